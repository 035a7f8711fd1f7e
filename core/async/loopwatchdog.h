// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace Benchtop::Async {

/// One time a single step held an event loop longer than the watchdog's threshold.
struct LoopStall {
    QString owner; ///< the task group's name (a device's name); empty outside tasks
    QString task; ///< the task's name or the message; empty outside tasks
    /// How long it has held the loop (still holding) or held it (ended), give or take the
    /// watchdog's sampling period.
    std::chrono::milliseconds held{0};
    /// Of `held`, the time the loop's thread was ready to run but waited for a CPU (a busy
    /// machine, not the task). A hold is only reported when what is left reaches the threshold.
    std::chrono::milliseconds waitedForCpu{0};
    bool ongoing = false;

    /// "stage-x.update_state", or the one of the two that is not empty.
    QString culprit() const;
    /// More than half of `held` was spent waiting for a CPU: the machine was busy; the step
    /// itself was not what held the loop (docs/decisions.md, "A hold that was mostly waiting
    /// for a CPU").
    bool mostlyWaitingForCpu() const noexcept { return waitedForCpu * 2 > held; }
};

/// Watches the event loop of the thread it is created on, from a thread of its own: any single
/// task step, or labelled callback, that keeps the loop busy longer than `threshold` is
/// reported while it still runs (stalled(), at the threshold and then every second) and when it
/// ends (stallEnded()). The seeds' first rule is that no task holds the loop; this says which
/// one broke it, and for how long. Time the loop's thread spent waiting for a CPU (the kernel's
/// run-queue delay, /proc/self/task/<tid>/schedstat) is not the task's doing: on a busy machine
/// a short step may take long on the wall clock, so a hold counts only what is left, and a hold
/// that was mostly waiting for a CPU (LoopStall::mostlyWaitingForCpu()) is not reported as a
/// stall at all while it lasts: when it ends, machineBusy() says the machine was busy. (A hold
/// already reported as a stall ends with stallEnded(), its share of waiting included, for the
/// receiver to judge.)
///
/// What it sees is what the loop publishes (activity.h): every step of every task, labelled by
/// the scheduler, and synchronous work that labels itself with an ActivityScope (the device
/// host labels each device call, device creation and subscription). Unlabelled work outside
/// tasks is never blamed on anyone: Qt's dispatchers say too unreliably when a callback starts
/// to tell it from sleep, and a false alarm would be worse than a missed one. The signals are
/// emitted on the watchdog's own thread (the loop is busy, after all): connect them queued, or
/// to thread-safe code.
///
/// Thread affinity: created and destroyed on the watched thread, which must have an event
/// dispatcher. The destructor stops and joins the watchdog's thread.
class LoopWatchdog : public QObject {
    Q_OBJECT
public:
    explicit LoopWatchdog(std::chrono::milliseconds threshold, QObject *parent = nullptr);
    ~LoopWatchdog() override;

    std::chrono::milliseconds threshold() const noexcept { return m_threshold; }
    /// How often the watchdog samples the loop: a quarter of the threshold, at least 1 ms.
    std::chrono::milliseconds period() const noexcept;

Q_SIGNALS:
    void stalled(const Benchtop::Async::LoopStall &stall);
    void stallEnded(const Benchtop::Async::LoopStall &stall);
    /// A step held the loop past the threshold on the wall clock but was never reported as a
    /// stall, because (so far) its own time was under the threshold or it was mostly waiting
    /// for a CPU: the machine was busy. Emitted when it ends; `ongoing` is false.
    void machineBusy(const Benchtop::Async::LoopStall &stall);

private:
    struct Worker;
    std::chrono::milliseconds m_threshold;
    std::unique_ptr<Worker> m_worker;
};

} // namespace Benchtop::Async

Q_DECLARE_METATYPE(Benchtop::Async::LoopStall)
