# SPDX-License-Identifier: MIT
# One misuse of a Benchtop CMake helper, chosen by -DCASE=<name>, run in script mode: the
# helper must stop with its message before it creates anything (CMakeLists.txt checks the text).
# The sdk_ cases read the file the CMake package installs, alone, as a driver built outside the
# tree does.
if(CASE MATCHES "^sdk_")
    include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/BenchtopMacros.cmake)
else()
    include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/BenchtopHelpers.cmake)
endif()

if(CASE STREQUAL "driver_unknown_argument")
    benchtop_add_driver(benchtop_x CLASS_NAME XFactory Extra SOURCES xfactory.h)
elseif(CASE STREQUAL "driver_without_class_name")
    benchtop_add_driver(benchtop_x SOURCES xfactory.h)
elseif(CASE STREQUAL "driver_without_sources")
    benchtop_add_driver(benchtop_x CLASS_NAME XFactory)
elseif(CASE STREQUAL "sdk_driver_unknown_argument")
    benchtop_add_driver(benchtop_x xfactory.cpp CLASS_NAME XFactory SOURCES xfactory.h)
elseif(CASE STREQUAL "test_unknown_argument")
    benchtop_add_test(tst_x tst_x.cpp)
elseif(CASE STREQUAL "test_keyword_without_value")
    benchtop_add_test(tst_x SOURCES tst_x.cpp TIMEOUT)
else()
    message(FATAL_ERROR "misuse.cmake: unknown CASE ${CASE}")
endif()
message(FATAL_ERROR "misuse.cmake: ${CASE} was accepted")
