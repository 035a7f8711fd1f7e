// SPDX-License-Identifier: MIT
#include "sleep.h"

#include "scheduler_p.h"

namespace Benchtop::Async {

namespace detail {

void SleepAwaiter::await_suspend(std::coroutine_handle<> handle)
{
    suspend(handle);
    if (m_deadline == TimePoint::min())
        wake(); // sleep(0): a plain yield, no timer
    else
        schedule(m_deadline);
}

void YieldAwaiter::await_suspend(std::coroutine_handle<> handle)
{
    suspend(handle);
    wake();
}

} // namespace detail

detail::SleepAwaiter sleep(Clock::duration duration)
{
    if (duration <= Clock::duration::zero())
        return detail::SleepAwaiter(TimePoint::min());
    return detail::SleepAwaiter(now() + duration);
}

} // namespace Benchtop::Async
