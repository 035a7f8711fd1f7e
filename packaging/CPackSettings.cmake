# SPDX-License-Identifier: MIT
# `cpack -G DEB` from the build tree's root makes benchtop_<version>_<arch>.deb.
set(CPACK_PACKAGE_NAME "benchtop")
set(CPACK_PACKAGE_VENDOR "Benchtop developers")
set(CPACK_PACKAGE_CONTACT "Benchtop developers <dev@benchtop.dev>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "benchtop")
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # Qt and QCoro runtime packages, from the binaries
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_PACKAGE_CHECKSUM SHA256)
include(CPack)
