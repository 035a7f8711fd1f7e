// SPDX-License-Identifier: MIT
#pragma once

#include "clock.h"

namespace Benchtop::Async {

namespace detail {
class Scheduler;
}

/// Virtual time for tests (Trio's MockClock). While a ManualClock exists, this thread's
/// scheduler reads time from it and no real timer fires: advance() moves time forward,
/// expiring every timer due on the way at its own deadline and running every task made
/// ready, so timing logic (debounce, long press, timeouts racing) is tested exactly and
/// instantly. Create it before starting the tasks under test; one per thread at a time.
class ManualClock {
public:
    /// Installs on this thread's scheduler; time starts at the real monotonic time.
    ManualClock();
    ~ManualClock();
    ManualClock(const ManualClock &) = delete;
    ManualClock &operator=(const ManualClock &) = delete;

    TimePoint now() const noexcept { return m_now; }

    /// Moves time forward by `step` (zero: just runs every ready task).
    void advance(Clock::duration step);

private:
    friend class detail::Scheduler;
    TimePoint m_now;
};

} // namespace Benchtop::Async
