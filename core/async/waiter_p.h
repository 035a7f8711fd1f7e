// SPDX-License-Identifier: MIT
#pragma once

// The two building blocks every awaitable of the toolkit shares: a Waiter (one suspended
// await point) and the TaskContext of the task it belongs to. Cancellation travels from the
// context to its current Waiter, which detaches from whatever it waited on and resumes the
// coroutine so that await_resume() throws Cancelled.

#include "clock.h"
#include "intrusivelist_p.h"

namespace Benchtop::Async {
struct ActivityLabel;
}

#include <coroutine>
#include <cstddef>
#include <cstdint>

namespace Benchtop::Async::detail {

class Waiter;

enum class WaitState : std::uint8_t {
    Idle, ///< not suspended
    Pending, ///< suspended, registered with its source
    Ready, ///< granted by its source, queued to resume
    Cancelled, ///< cancelled, queued to resume with Cancelled
    Destroyed, ///< its source was destroyed, queued to resume with ObjectDestroyed
};

/// How a cancellation resumes the task: through the ready queue on the next pass (the normal
/// case, never re-entrant), or on the spot (a TaskGroup being destroyed must unwind its tasks
/// before its owner's members go away).
enum class Wake : std::uint8_t { Later, Now };

/// The cancellation state of one task. A task is a chain of coroutines that are suspended at
/// one await point at a time, so one current Waiter is enough. Cancellation is asyncio's:
/// a request is delivered once, as Cancelled at the current (or next) await point, and the
/// task may then await cleanup normally. An orphaned context (its TaskGroup was destroyed)
/// is cancelled for good: every await throws Cancelled at once.
class TaskContext {
public:
    explicit TaskContext(const char *name = nullptr) noexcept
        : m_name(name)
    {
    }
    TaskContext(const TaskContext &) = delete;
    TaskContext &operator=(const TaskContext &) = delete;

    void cancel(Wake mode);
    void orphan(Wake mode);

    bool hasCancelRequest() const noexcept { return m_cancelRequested || m_orphaned; }
    const char *name() const noexcept { return m_name; }
    void setName(const char *name) noexcept { m_name = name; }
    /// What a watchdog calls this task (activity.h): set when a group adopts it.
    const ActivityLabel *label() const noexcept { return m_label; }
    void setLabel(const ActivityLabel *label) noexcept { m_label = label; }

private:
    friend class Waiter;
    friend class Scheduler;
    Waiter *m_currentWait = nullptr;
    const char *m_name;
    const ActivityLabel *m_label = nullptr;
    bool m_cancelRequested = false;
    bool m_orphaned = false;
};

/// The context of the task running right now on this thread (nullptr outside tasks). Read on
/// every await, so it is a thread-local in static TLS (the library is loaded at start-up).
[[gnu::tls_model("initial-exec")]] extern thread_local TaskContext *t_currentContext;

inline TaskContext *currentContext() noexcept
{
    return t_currentContext;
}

inline void setCurrentContext(TaskContext *context) noexcept
{
    t_currentContext = context;
}

/// One suspended await point. Lives inside the awaiter, i.e. inside the coroutine frame, so
/// waiting never allocates. While Pending it sits in its source's wait list; while Ready,
/// Cancelled or Destroyed it sits in the scheduler's ready queue.
class Waiter : public ListNode {
public:
    Waiter() = default;
    /// GCC may move an awaiter into the coroutine frame before it suspends; nothing is
    /// registered yet at that point, so there is nothing to carry over.
    Waiter(Waiter &&) noexcept { }
    Waiter(const Waiter &) = delete;
    Waiter &operator=(const Waiter &) = delete;

    WaitState state() const noexcept { return m_state; }

    /// The source grants the wait (leaving the source's wait list, if in one): the task
    /// resumes on the scheduler's next pass.
    void wake();
    /// The source is going away: the task resumes with ObjectDestroyed.
    void failDestroyed();
    /// Cancels this wait (see Wake). Does nothing once the task has resumed.
    void cancel(Wake mode);

protected:
    virtual ~Waiter() = default;

    /// A cancellation point before suspending: true if the task has a cancellation request,
    /// which is then taken and makes await_resume() throw Cancelled without suspending.
    bool takeCancellation() noexcept
    {
        TaskContext *context = t_currentContext;
        if (!context || !context->hasCancelRequest()) [[likely]]
            return false;
        context->m_cancelRequested = false;
        m_state = WaitState::Cancelled;
        return true;
    }
    /// Records the coroutine and its task; call from await_suspend before registering.
    void suspend(std::coroutine_handle<> handle, WaitState state = WaitState::Pending) noexcept
    {
        m_handle = handle;
        m_context = t_currentContext;
        m_state = state;
        if (m_context)
            m_context->m_currentWait = this;
    }
    /// Throws Cancelled or ObjectDestroyed(`what`) if the wait did not end normally.
    void throwIfInterrupted(const char *what) const
    {
        if (m_state == WaitState::Cancelled || m_state == WaitState::Destroyed) [[unlikely]]
            throwInterrupted(what);
    }

    /// Cancel while Pending: unregister from the source. The default leaves its wait list;
    /// waits on a timer, a connection or a future override it.
    virtual void detach() { unlink(); }
    /// Cancel after the source granted the wait (Ready) but before the task ran: hand back
    /// what was granted (a lock, a queue item) so that a cancelled waiter never keeps it, and
    /// return true. Return false when the grant cannot be undone (an item already put): the
    /// wait then completes and the cancellation is delivered at the task's next await.
    virtual bool revoke() { return true; }

private:
    friend class Scheduler;
    [[noreturn]] void throwInterrupted(const char *what) const;

    std::coroutine_handle<> m_handle;
    TaskContext *m_context = nullptr;
    WaitState m_state = WaitState::Idle;
};

/// Makes `context` current for the lifetime of the scope (used to start a task in it).
class ContextScope {
public:
    explicit ContextScope(TaskContext *context) noexcept
        : m_previous(currentContext())
    {
        setCurrentContext(context);
    }
    ~ContextScope() { setCurrentContext(m_previous); }
    ContextScope(const ContextScope &) = delete;
    ContextScope &operator=(const ContextScope &) = delete;

private:
    TaskContext *m_previous;
};

/// An entry in the scheduler's timer heap.
class TimerNode {
public:
    TimerNode() = default;
    TimerNode(TimerNode &&) noexcept { } // moved before it is scheduled (see Waiter)
    TimerNode(const TimerNode &) = delete;
    TimerNode &operator=(const TimerNode &) = delete;

    bool isScheduled() const noexcept { return m_heapIndex != kNotScheduled; }

    /// (Re)schedules expiry at `deadline` on this thread's scheduler.
    void schedule(TimePoint deadline);
    void unschedule() noexcept;

protected:
    virtual ~TimerNode() { unschedule(); }
    /// Called by the scheduler once the deadline has passed (already unscheduled).
    virtual void expire() = 0;

private:
    friend class Scheduler;
    static constexpr std::size_t kNotScheduled = static_cast<std::size_t>(-1);
    TimePoint m_deadline{};
    std::uint64_t m_sequence = 0;
    std::size_t m_heapIndex = kNotScheduled;
};

} // namespace Benchtop::Async::detail
