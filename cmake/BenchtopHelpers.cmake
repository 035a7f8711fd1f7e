# SPDX-License-Identifier: MIT

# Warnings for Benchtop's own targets (Qt's and QCoro's headers are system headers).
function(benchtop_target_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough)
    if(BENCHTOP_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# Stops the configure at a call that benchtop_<function> would otherwise misread: an argument
# it does not know (a misspelt keyword or a file before the first keyword, a second word after
# a one-value keyword), a keyword given no value, or a required keyword left out. As KDE's kcoreaddons_add_plugin does, so that a mistake in a
# driver's CMakeLists is a configure error rather than a plugin built without a file.
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

# benchtop_add_test(<name> SOURCES <files...> [LIBS <targets...>] [TIMEOUT <s>])
# One Qt Test executable, registered with CTest. Tests run on the offscreen platform, with
# Qt warnings turned into failures by the test's own QTest::failOnWarning. Unknown arguments
# stop the configure (benchtop_check_arguments).
function(benchtop_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
    benchtop_check_arguments(benchtop_add_test ${name} ARG "SOURCES")
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    qt_add_executable(${name} ${ARG_SOURCES})
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    target_link_libraries(${name} PRIVATE Qt6::Test benchtop_testsupport ${ARG_LIBS})
    benchtop_target_warnings(${name})
    add_test(NAME ${name} COMMAND ${name})
    set(env "QT_QPA_PLATFORM=offscreen" "QT_LOGGING_RULES=benchtop.*.debug=false")
    if(BENCHTOP_SANITIZE)
        list(APPEND env
            "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1"
            "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
            "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp")
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} ENVIRONMENT "${env}")
endfunction()

# benchtop_add_driver(<name> CLASS_NAME <factory class> SOURCES <files...> [LIBS <targets...>])
# One driver plugin (a Qt plugin whose root object is a DriverFactory; its header carries
# Q_PLUGIN_METADATA with the JSON file). Built into the build tree's plugins/ folder, where the
# registry finds it, and installed into lib/benchtop/plugins. Unknown arguments stop the
# configure (benchtop_check_arguments).
function(benchtop_add_driver name)
    cmake_parse_arguments(ARG "" "CLASS_NAME" "SOURCES;LIBS" ${ARGN})
    benchtop_check_arguments(benchtop_add_driver ${name} ARG "CLASS_NAME;SOURCES")
    qt_add_plugin(${name} SHARED CLASS_NAME ${ARG_CLASS_NAME})
    target_sources(${name} PRIVATE ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Benchtop::Core ${ARG_LIBS})
    set_target_properties(${name} PROPERTIES
        LIBRARY_OUTPUT_DIRECTORY ${BENCHTOP_BUILD_PLUGIN_DIR}
        INSTALL_RPATH "$ORIGIN/..")
    benchtop_target_warnings(${name})
    install(TARGETS ${name} LIBRARY DESTINATION ${BENCHTOP_INSTALL_PLUGINDIR})
endfunction()
