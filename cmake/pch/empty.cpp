// SPDX-License-Identifier: MIT
// The one source of a precompiled header's host target (tests/CMakeLists.txt).
