// SPDX-License-Identifier: MIT
#pragma once

#include "clock.h"
#include "waiter_p.h"

namespace Benchtop::Async {

namespace detail {

class SleepAwaiter final
    : public Waiter
    , private TimerNode {
public:
    explicit SleepAwaiter(TimePoint deadline) noexcept
        : m_deadline(deadline)
    {
    }

    bool await_ready() { return takeCancellation(); }
    void await_suspend(std::coroutine_handle<> handle);
    void await_resume() const { throwIfInterrupted("sleep"); }

private:
    void detach() override { unschedule(); }
    void expire() override { wake(); }

    TimePoint m_deadline;
};

class YieldAwaiter final : public Waiter {
public:
    bool await_ready() { return takeCancellation(); }
    void await_suspend(std::coroutine_handle<> handle);
    void await_resume() const { throwIfInterrupted("yield"); }
};

} // namespace detail

/// Suspends the calling task for `duration` (at least; it resumes on the first scheduler pass
/// after the deadline, typically within tens of microseconds). A duration of zero or less
/// yields instead. A cancellation point: throws Cancelled if the task is cancelled meanwhile.
[[nodiscard]] detail::SleepAwaiter sleep(Clock::duration duration);

/// Suspends the calling task until `deadline` (for fixed-rate loops that must not drift).
[[nodiscard]] inline detail::SleepAwaiter sleepUntil(TimePoint deadline) noexcept
{
    return detail::SleepAwaiter(deadline);
}

/// asyncio's `sleep(0)`: lets every other ready task run once, round robin, and Qt dispatch
/// its pending events, then resumes. A cancellation point.
[[nodiscard]] inline detail::YieldAwaiter yield() noexcept
{
    return {};
}

} // namespace Benchtop::Async
