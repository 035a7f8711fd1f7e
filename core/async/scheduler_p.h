// SPDX-License-Identifier: MIT
#pragma once

#include "wakeadvance_p.h"
#include "waiter_p.h"

#include <QtGlobal>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QObject;
class QSocketNotifier;
QT_END_NAMESPACE

namespace Benchtop::Async {
class ManualClock;
class TaskGroup;
} // namespace Benchtop::Async

namespace Benchtop::Async::detail {

class Scheduler;
[[gnu::tls_model("initial-exec")]] extern thread_local Scheduler *t_scheduler;

/// The per-thread scheduler that runs the toolkit's tasks on top of the thread's Qt event
/// loop. It owns a ready queue (tasks to resume, in FIFO order) and a timer heap (sleeps,
/// delays). A "pass" resumes every task that was ready when the pass began; tasks that become
/// ready during it run on the next pass. That is asyncio's round robin. Passes run back to back
/// for at most 100 us (or until a timer falls due) before Qt gets the loop back, so timers,
/// sockets and the GUI are served between them and one posted event serves many passes.
///
/// Deadlines are kept in one binary heap and a single timerfd is armed for the earliest, so
/// ten thousand sleeping pollers cost one kernel timer and wake with microsecond precision.
/// Thread affinity: one scheduler per thread, used only from that thread.
class Scheduler {
public:
    /// This thread's scheduler, created on first use. Needs a QCoreApplication and a thread
    /// that runs (or will run) a Qt event loop.
    static Scheduler &current()
    {
        if (t_scheduler) [[likely]]
            return *t_scheduler;
        return createForThisThread();
    }

    TimePoint now() const;

    void enqueueReady(Waiter *waiter);
    /// Resumes `waiter` on the spot, taking it out of the ready queue if it is queued.
    void resumeNow(Waiter *waiter);

    void addTimer(TimerNode *timer, TimePoint deadline);
    void removeTimer(TimerNode *timer) noexcept;

    /// Runs one pass of the ready queue; false if nothing was ready.
    bool runReadyPass();

    /// CallbackScope: tasks woken inside it run when the outermost one ends.
    void enterCallback() noexcept { ++m_callbackDepth; }
    void leaveCallback();

    /// Tasks that belong to no one else (shield of a bare function): cancelled when the
    /// thread's event loop ends.
    TaskGroup &background();

    void installManualClock(ManualClock *clock);
    void removeManualClock(ManualClock *clock);
    /// Moves manual time forward to `target`, expiring every timer due on the way at its
    /// own deadline and running every task made ready, in order.
    void advanceManualClock(TimePoint target);

    /// The QObject through which the scheduler receives Qt events on its thread.
    QObject *qobject() const noexcept { return m_object; }

    /// Destroys this thread's scheduler (thread exit, application exit).
    static void destroyCurrent();

private:
    friend class SchedulerObject;
    static Scheduler &createForThisThread();
    Scheduler();
    ~Scheduler();

    void resume(Waiter *waiter);
    void expireTimers(TimePoint now);
    void onTimerFd();
    void onPassEvent();
    void postPass();
    void rearm();
    TimePoint waitUntilDue(TimePoint realNow) const noexcept;
    void runPassesUntilIdle();

    bool earlier(const TimerNode *a, const TimerNode *b) const noexcept;
    void heapSet(std::size_t index, TimerNode *timer) noexcept;
    void siftUp(std::size_t index) noexcept;
    void siftDown(std::size_t index) noexcept;
    TimePoint nextDeadline() const noexcept
    {
        return m_heap.empty() ? TimePoint::max() : m_heap.front()->m_deadline;
    }

    IntrusiveList<Waiter> m_ready;
    std::vector<TimerNode *> m_heap;
    std::uint64_t m_nextSequence = 0;
    QObject *m_object = nullptr;
    QSocketNotifier *m_notifier = nullptr;
    int m_timerFd = -1;
    TimePoint m_armedFor = TimePoint::max(); // the deadline the timerfd is armed for
    TimePoint m_armedWake = TimePoint::max(); // when it fires: m_armedFor, or earlier (WakeAdvance)
    bool m_armedIdle = false; // armed for an idle wait: its wake-up latency is learned
    WakeAdvance m_wakeAdvance;
    bool m_passPosted = false;
    bool m_inTimerDispatch = false;
    int m_callbackDepth = 0;
    bool m_deferRearm = false; // onTimerFd() arms the timerfd once, when it is done
    ManualClock *m_manualClock = nullptr;
    std::unique_ptr<TaskGroup> m_background;
};

} // namespace Benchtop::Async::detail
