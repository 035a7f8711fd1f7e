// SPDX-License-Identifier: MIT
#include "manualclock.h"

#include "scheduler_p.h"

namespace Benchtop::Async {

ManualClock::ManualClock()
    : m_now(Clock::now())
{
    detail::Scheduler::current().installManualClock(this);
}

ManualClock::~ManualClock()
{
    detail::Scheduler::current().removeManualClock(this);
}

void ManualClock::advance(Clock::duration step)
{
    detail::Scheduler::current().advanceManualClock(m_now + step);
}

} // namespace Benchtop::Async
