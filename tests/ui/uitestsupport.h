// SPDX-License-Identifier: MIT
#pragma once

// For the window's tests: the lab of sim devices they run against (tools/simlab/simlab.h, shared
// with the UI benchmark).

#include "testsupport.h"

#include <simlab.h>

namespace Benchtop::UiTest {
using SimLab = Benchtop::SimLab;
} // namespace Benchtop::UiTest
