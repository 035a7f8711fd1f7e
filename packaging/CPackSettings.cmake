# SPDX-License-Identifier: MIT
# `cpack -G DEB` from the build tree's root makes two packages, one per install component:
# benchtop_<version>_<arch>.deb, the application (component `runtime`, everything not marked
# otherwise), and benchtop-dev_<version>_<arch>.deb, the driver SDK (component `dev`: the
# headers, libbenchtop_core.so and the CMake package; cmake/BenchtopPackage.cmake).
set(CPACK_PACKAGE_NAME "benchtop")
set(CPACK_PACKAGE_VENDOR "Benchtop developers")
set(CPACK_PACKAGE_CONTACT "Benchtop developers <dev@benchtop.dev>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "benchtop")
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "benchtop")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON) # Qt and QCoro runtime packages, from the binaries
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "qt6-qpa-plugins")

# What find_package(Benchtop) finds in turn (BenchtopConfig.cmake.in), and the application of
# exactly this version, whose libbenchtop_core the SDK links against and whose registry loads
# the plugins built with it.
set(CPACK_DEBIAN_DEV_PACKAGE_NAME "benchtop-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION "libdevel")
# The summary line is CPACK_PACKAGE_DESCRIPTION_SUMMARY for both packages (CPack has no summary
# per component); this is the text under it.
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "The driver SDK: headers and a CMake package for building Benchtop driver plugins outside
Benchtop's source tree. The headers of the driver API (devices, traits and their helpers, the
async toolkit, transports, the plugin factory) and find_package(Benchtop), which gives the
target Benchtop::Core and benchtop_add_driver().")
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF) # no binaries of its own
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "benchtop (= ${PROJECT_VERSION}), qt6-base-dev, qt6-serialport-dev, qcoro-qt6-dev")
include(CPack)
