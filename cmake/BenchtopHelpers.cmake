# SPDX-License-Identifier: MIT

# Warnings for Benchtop's own targets (Qt's and QCoro's headers are system headers).
function(benchtop_target_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough)
    if(BENCHTOP_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# benchtop_precompile(<target> <header in cmake/pch>)
# Precompiles the standard, Qt and QCoro headers a library's sources share: parsing them was
# most of each source's compile time. A no-op with -DBENCHTOP_PCH=OFF.
function(benchtop_precompile target header)
    if(BENCHTOP_PCH)
        target_precompile_headers(${target} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch/${header})
    endif()
endfunction()

# benchtop_check_arguments and benchtop_add_driver: shared with drivers built outside the tree
# (installed with the CMake package, docs/plugin-abi.md).
include(${CMAKE_CURRENT_LIST_DIR}/BenchtopMacros.cmake)

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
    # One precompiled header for all tests, another for those with the widgets
    # (tests/CMakeLists.txt makes both).
    if(BENCHTOP_PCH)
        if("Benchtop::Ui" IN_LIST ARG_LIBS)
            set_target_properties(${name} PROPERTIES PRECOMPILE_HEADERS_REUSE_FROM benchtop_uitestpch)
        else()
            set_target_properties(${name} PROPERTIES PRECOMPILE_HEADERS_REUSE_FROM benchtop_testpch)
        endif()
    endif()
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
