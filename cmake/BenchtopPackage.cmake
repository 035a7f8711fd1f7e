# SPDX-License-Identifier: MIT
# The CMake package of the driver SDK, as KDE's frameworks install theirs: a driver built
# outside Benchtop's tree says find_package(Benchtop) and gets the imported target
# Benchtop::Core (the library, the headers under include/benchtop and their usage
# requirements) and benchtop_add_driver() (BenchtopMacros.cmake). Installed with the headers
# as the `dev` component (the benchtop-dev package); examples/driver uses it, tests/sdk checks it.
include(CMakePackageConfigHelpers)

set(BENCHTOP_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Benchtop)

install(EXPORT BenchtopTargets
    NAMESPACE Benchtop::
    DESTINATION ${BENCHTOP_INSTALL_CMAKEDIR}
    FILE BenchtopTargets.cmake
    COMPONENT dev)

# The versions the config asks its dependencies for: those Benchtop itself was built with.
set(BENCHTOP_QT_VERSION ${Qt6_VERSION})
set(BENCHTOP_QCORO_VERSION ${QCoro6_VERSION})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/BenchtopConfig.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/BenchtopConfig.cmake
    INSTALL_DESTINATION ${BENCHTOP_INSTALL_CMAKEDIR}
    PATH_VARS BENCHTOP_INSTALL_PLUGINDIR BENCHTOP_INSTALL_INCLUDEDIR)
# libbenchtop_core's soname carries major.minor (core/CMakeLists.txt): a driver links against
# one minor version, and its plugin ABI number (docs/plugin-abi.md) decides what loads it.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/BenchtopConfigVersion.cmake
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY SameMinorVersion)
install(FILES
    ${CMAKE_CURRENT_BINARY_DIR}/BenchtopConfig.cmake
    ${CMAKE_CURRENT_BINARY_DIR}/BenchtopConfigVersion.cmake
    ${CMAKE_CURRENT_LIST_DIR}/BenchtopMacros.cmake
    DESTINATION ${BENCHTOP_INSTALL_CMAKEDIR}
    COMPONENT dev)
