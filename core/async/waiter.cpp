// SPDX-License-Identifier: MIT
#include "waiter_p.h"

#include "errors.h"
#include "logging_p.h"
#include "scheduler_p.h"

#include <string>

namespace Benchtop::Async {
Q_LOGGING_CATEGORY(lcAsync, "benchtop.async")
}

namespace Benchtop::Async::detail {

void Waiter::wake()
{
    Q_ASSERT(m_state == WaitState::Pending);
    unlink();
    m_state = WaitState::Ready;
    Scheduler::current().enqueueReady(this);
}

void Waiter::failDestroyed()
{
    Q_ASSERT(m_state == WaitState::Pending);
    unlink();
    m_state = WaitState::Destroyed;
    Scheduler::current().enqueueReady(this);
}

void Waiter::cancel(Wake mode)
{
    Scheduler &scheduler = Scheduler::current();
    switch (m_state) {
    case WaitState::Idle:
        return;
    case WaitState::Pending:
        detach();
        m_state = WaitState::Cancelled;
        if (mode == Wake::Now)
            scheduler.resumeNow(this);
        else
            scheduler.enqueueReady(this);
        return;
    case WaitState::Ready:
        if (revoke())
            m_state = WaitState::Cancelled;
        else if (m_context)
            m_context->m_cancelRequested = true; // the grant stands; cancel at the next await
        break;
    case WaitState::Cancelled:
    case WaitState::Destroyed:
        break;
    }
    // Already in the ready queue.
    if (mode == Wake::Now)
        scheduler.resumeNow(this);
}

void Waiter::throwInterrupted(const char *what) const
{
    if (m_state == WaitState::Cancelled)
        throw Cancelled{};
    throw ObjectDestroyed(std::string(what) + " was destroyed while a task waited on it");
}

void TaskContext::cancel(Wake mode)
{
    if (m_currentWait)
        m_currentWait->cancel(mode);
    else
        m_cancelRequested = true; // running, or awaiting something that is not ours
}

void TaskContext::orphan(Wake mode)
{
    m_orphaned = true;
    cancel(mode);
}

void TimerNode::schedule(TimePoint deadline)
{
    Scheduler::current().addTimer(this, deadline);
}

void TimerNode::unschedule() noexcept
{
    if (isScheduled())
        Scheduler::current().removeTimer(this);
}

} // namespace Benchtop::Async::detail
