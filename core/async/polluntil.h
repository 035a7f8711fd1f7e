// SPDX-License-Identifier: MIT
#pragma once

#include "sleep.h"
#include "task.h"

#include <concepts>
#include <type_traits>

namespace Benchtop::Async {

/// Checks `ready` at once and then on a fixed grid, start + k·interval, until it is true;
/// returns how many checks were made. The grid is what makes it precise: `while (!ready())
/// co_await sleep(interval)` adds every wake-up's lateness (tens of microseconds each, far more
/// on a busy machine) to the next check, so a 5 ms integration polled every 1 ms is seen after
/// five lateness figures; on the grid it is seen after one. A check that takes longer than the
/// interval (an instrument query) skips the grid points it overran instead of bunching checks.
///
/// `ready` is called with no arguments and returns a bool, or an awaitable of one (a query to
/// the instrument). The grid starts when pollUntil is called, so call it after the kickoff: a
/// grid anchored before it could fall just short of the ready time and cost one more interval.
/// A cancellation point, between checks.
template<typename Ready>
requires std::invocable<Ready &> Task<int> pollUntil(Ready ready, Clock::duration interval)
{
    const TimePoint start = now();
    int checks = 0;
    for (long long k = 1;; ++k) {
        ++checks;
        bool isReady = false;
        if constexpr (std::is_convertible_v<std::invoke_result_t<Ready &>, bool>)
            isReady = ready();
        else
            isReady = co_await ready();
        if (isReady)
            co_return checks;
        if (interval <= Clock::duration::zero()) {
            co_await yield();
            continue;
        }
        const TimePoint checked = now();
        if (start + k * interval <= checked) // overran: the next grid point still ahead
            k = (checked - start) / interval + 1;
        co_await sleepUntil(start + k * interval);
    }
}

} // namespace Benchtop::Async
