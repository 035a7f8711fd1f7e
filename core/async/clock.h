// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>

namespace Benchtop::Async {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

/// The scheduler's time on this thread: the monotonic clock, or a ManualClock's time while
/// one is installed (tests). Every deadline of the toolkit is measured against it.
TimePoint now();

} // namespace Benchtop::Async
