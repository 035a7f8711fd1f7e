# SPDX-License-Identifier: MIT
# benchtop_add_driver(), shared by Benchtop's own build (cmake/BenchtopHelpers.cmake includes
# this file) and by drivers built outside it (the installed CMake package, BenchtopConfig.cmake,
# includes its installed copy), as KDE's frameworks install their *Macros.cmake.

# Stops the configure at a call that benchtop_<function> would otherwise misread: an argument
# it does not know (a misspelt keyword or a file before the first keyword, a second word after
# a one-value keyword), a keyword given no value, or a required keyword left out. As KDE's
# kcoreaddons_add_plugin does, so that a mistake in a driver's CMakeLists is a configure error
# rather than a plugin built without a file.
# `prefix`: the cmake_parse_arguments prefix; `required`: the keywords that must have a value.
macro(benchtop_check_arguments function name prefix required)
    if(${prefix}_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR
            "${function}(${name}): unknown arguments: ${${prefix}_UNPARSED_ARGUMENTS}")
    endif()
    if(${prefix}_KEYWORDS_MISSING_VALUES)
        message(FATAL_ERROR
            "${function}(${name}): no value given for ${${prefix}_KEYWORDS_MISSING_VALUES}")
    endif()
    foreach(keyword ${required})
        if(NOT ${prefix}_${keyword})
            message(FATAL_ERROR "${function}(${name}): ${keyword} is required")
        endif()
    endforeach()
endmacro()

# benchtop_add_driver(<name> CLASS_NAME <factory class> SOURCES <files...> [LIBS <targets...>])
# One driver plugin: a Qt plugin whose root object is a DriverFactory (its header carries
# Q_PLUGIN_METADATA with the JSON file), linked against Benchtop::Core.
# - Built into BENCHTOP_BUILD_PLUGIN_DIR (default: the build tree's plugins/ folder), a folder of
#   plugins only, for `benchtop --plugin-dir`; Benchtop's own build tree is searched by itself.
# - Installed into BENCHTOP_INSTALL_PLUGINDIR (default lib/benchtop/plugins), relative to the
#   install prefix: under the prefix Benchtop was installed to (/usr for its package), that is
#   the folder its registry searches.
# Unknown arguments stop the configure (benchtop_check_arguments). Compiler warnings are the
# project's own: Benchtop's build adds its set through benchtop_target_warnings when that exists.
function(benchtop_add_driver name)
    cmake_parse_arguments(ARG "" "CLASS_NAME" "SOURCES;LIBS" ${ARGN})
    benchtop_check_arguments(benchtop_add_driver ${name} ARG "CLASS_NAME;SOURCES")
    set(build_dir ${BENCHTOP_BUILD_PLUGIN_DIR})
    if(NOT build_dir)
        set(build_dir ${CMAKE_BINARY_DIR}/plugins)
    endif()
    set(install_dir ${BENCHTOP_INSTALL_PLUGINDIR})
    if(NOT install_dir)
        set(install_dir lib/benchtop/plugins)
    endif()
    qt_add_plugin(${name} SHARED CLASS_NAME ${ARG_CLASS_NAME})
    target_sources(${name} PRIVATE ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Benchtop::Core ${ARG_LIBS})
    set_target_properties(${name} PROPERTIES
        AUTOMOC ON # moc reads Q_PLUGIN_METADATA and its JSON
        LIBRARY_OUTPUT_DIRECTORY ${build_dir}
        INSTALL_RPATH "$ORIGIN/..") # lib/benchtop, where libbenchtop_core is
    if(COMMAND benchtop_target_warnings)
        benchtop_target_warnings(${name})
    endif()
    install(TARGETS ${name} LIBRARY DESTINATION ${install_dir})
endfunction()
