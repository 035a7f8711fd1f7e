// SPDX-License-Identifier: MIT
#include "loopwatchdog.h"

#include "activity.h"

#include <QAbstractEventDispatcher>
#include <QFile>

#include <algorithm>
#include <cstdio>

#include <condition_variable>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace Benchtop::Async {

using namespace std::chrono_literals;

QString LoopStall::culprit() const
{
    if (owner.isEmpty())
        return task;
    if (task.isEmpty())
        return owner;
    return owner + QLatin1Char('.') + task;
}

/// The watchdog's own thread: samples the watched loop's published activity every period. A
/// stall is the same (label, change count) seen for longer than the threshold while the loop
/// is not asleep.
struct LoopWatchdog::Worker {
    using Clock = std::chrono::steady_clock;

    Worker(LoopWatchdog *owner, const detail::LoopActivity *activity, pid_t watchedThread)
        : owner(owner)
        , activity(activity)
        , schedstat(QStringLiteral("/proc/self/task/%1/schedstat").arg(watchedThread))
        , thread([this] { run(); })
    {
    }
    ~Worker()
    {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_one();
        thread.join();
    }

    void run()
    {
        const Clock::duration period = owner->period();
        detail::LoopActivity::Sample seen = activity->sample();
        Clock::time_point seenSince = Clock::now();
        Clock::duration waitedSince = cpuWait();
        Clock::time_point next = seenSince;
        bool reported = false;
        Clock::duration reportedAt{};
        std::unique_lock lock(mutex);
        for (;;) {
            next += period;
            if (wake.wait_until(lock, next, [this] { return stopping; }))
                return;
            const Clock::time_point now = Clock::now();
            if (now - next > period)
                next = now; // this thread was held up itself: no burst of catching up
            const detail::LoopActivity::Sample sample = activity->sample();
            if (!(sample == seen)) {
                const Clock::duration held = now - seenSince;
                if (reported) {
                    Q_EMIT owner->stallEnded(
                        stallOf(seen.label, held, cpuWait() - waitedSince, false));
                } else if (blamable(seen.label) && held >= owner->m_threshold) {
                    Q_EMIT owner->machineBusy(
                        stallOf(seen.label, held, cpuWait() - waitedSince, false));
                }
                seen = sample;
                seenSince = now;
                waitedSince = cpuWait();
                reported = false;
                continue;
            }
            if (!blamable(seen.label))
                continue;
            const Clock::duration held = now - seenSince;
            if (reported ? held - reportedAt >= 1s : held >= owner->m_threshold) {
                const Clock::duration waited = cpuWait() - waitedSince;
                // The machine's doing so far, not the task's: too little of its own time, or
                // mostly waiting for a CPU (its own time is then a busy machine's slow CPU too).
                if (!reported && (held - waited < owner->m_threshold || waited * 2 > held))
                    continue;
                reported = true;
                reportedAt = held;
                Q_EMIT owner->stalled(stallOf(seen.label, held, waited, true));
            }
        }
    }

    /// Unlabelled work is nobody's to blame (see the header); the idle label is sleep.
    static bool blamable(const ActivityLabel *label)
    {
        return label && label != &detail::kLoopIdle;
    }

    static LoopStall stallOf(
        const ActivityLabel *label, Clock::duration held, Clock::duration waited, bool ongoing)
    {
        LoopStall stall;
        if (label) {
            stall.owner = label->owner;
            stall.task = label->task;
        }
        stall.held = std::chrono::duration_cast<std::chrono::milliseconds>(held);
        stall.waitedForCpu = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::clamp(waited, Clock::duration::zero(), held));
        stall.ongoing = ongoing;
        return stall;
    }

    /// How long the watched thread has waited for a CPU since it started (the second field of
    /// its schedstat, in nanoseconds); zero where the kernel does not say.
    Clock::duration cpuWait()
    {
        if (!schedstat.isOpen() && !schedstat.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
            return {};
        schedstat.seek(0);
        char text[96] = {};
        const qint64 size = schedstat.read(text, sizeof text - 1);
        if (size <= 0)
            return {};
        unsigned long long running = 0;
        unsigned long long waiting = 0;
        if (std::sscanf(text, "%llu %llu", &running, &waiting) != 2)
            return {};
        return std::chrono::nanoseconds(waiting);
    }

    LoopWatchdog *owner;
    const detail::LoopActivity *activity;
    QFile schedstat;
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::thread thread; // last: starts once everything above exists
};

LoopWatchdog::LoopWatchdog(std::chrono::milliseconds threshold, QObject *parent)
    : QObject(parent)
    , m_threshold(std::max(threshold, 1ms))
{
    qRegisterMetaType<LoopStall>();
    // A step that runs a nested event loop is not holding the loop while that loop sleeps:
    // the dispatcher says when it is about to block (whatever runs next labels itself).
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    Q_ASSERT(dispatcher);
    connect(
        dispatcher, &QAbstractEventDispatcher::aboutToBlock, this,
        [] { detail::t_loopActivity.publish(&detail::kLoopIdle); }, Qt::DirectConnection);
    m_worker = std::make_unique<Worker>(this, &detail::t_loopActivity, pid_t(::gettid()));
}

LoopWatchdog::~LoopWatchdog()
{
    m_worker.reset();
}

std::chrono::milliseconds LoopWatchdog::period() const noexcept
{
    return std::max(m_threshold / 4, std::chrono::milliseconds(1));
}

} // namespace Benchtop::Async
