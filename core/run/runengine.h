// SPDX-License-Identifier: MIT
#pragma once

#include "adaptivestepper.h"
#include "documents.h"
#include "plan.h"
#include "streamlayout.h"
#include "suspendcondition.h"

#include <async/clock.h>
#include <async/event.h>
#include <async/taskgroup.h>

#include <QByteArray>
#include <QCoroTask>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

namespace Benchtop {
class Device;
class DeviceHost;
class HasMeasureTrigger;
class HasPosition;
class HasTurret;
class IsDiscrete;
class IsStoppable;
} // namespace Benchtop

namespace Benchtop::Run {

/// Where a run is. Done once its RunStop has been given to the sink.
enum class RunState { Idle, Running, Pausing, Paused, Suspended, Stopping, Aborting, Done };
/// "idle", "running", "pausing", "paused", "suspended", "stopping", "aborting", "done": the
/// words benchtopd's get_status and the window show.
QString toString(RunState state);

/// How pause() takes effect.
enum class PauseMode {
    Deferred, ///< the point in flight completes; the run pauses at the next checkpoint
    Now, ///< stoppable devices are stopped, the point in flight is dropped (and taken again)
};

/// What a run is given: the plan, its expansion (from planexpansion), the lab it runs in.
struct RunInput {
    Plan plan;
    ExpandedPlan expanded;
    QString labPath;
    QByteArray labText;
    qint64 scanId = 0; ///< from the data folder's counter (the writers' business)
    /// Conditions on values of the lab that suspend the run while they do not hold.
    QList<SuspendCondition> suspenders;
    /// The RunStart's uid (a queue item's, so that a client that queued a plan finds its run);
    /// empty: a new one.
    QString uid;
};

/// Runs one plan as one coroutine on the device thread, beside the devices: it talks to them
/// through their trait interfaces (or their messages, for devices that forward to a peer) with
/// no thread hop per point, and hands every document it makes to the sink, in order: RunStart,
/// the "baseline" Descriptor and its first Event, the "primary" Descriptor, one Event per point,
/// the baseline's last Event, RunStop (docs/runs.md, "The engine").
///
/// Per point: a checkpoint (a deferred pause or a stop takes effect here), the axes whose
/// setpoint changed moved together, the settle time (when something moved), every detector
/// triggered together (measure() where it has has-measure-trigger; the others are read as they
/// are), the point read, one Event. A point that fails or is interrupted leaves no Event: the
/// Event is made in one step after the last await of the point.
///
/// A device of the run (an axis, a detector, a recorded device) in fault, disconnected, or
/// restarted suspends the run, as does a suspender's condition that does not hold: the point in
/// flight is dropped, and once every device of the run is ready with its link up again, and stays
/// so for Options::resumeDelay, the run takes that point again from its setpoints and records a
/// Suspension. A suspension longer than the plan's suspend_timeout_s ends the run with exit_status
/// "fail". An error of a healthy device (a target refused, a measurement that failed) ends it with
/// "fail" and the device's message.
///
/// Thread affinity: the device thread (the host's); construct it there and call everything
/// there (other threads: QMetaObject::invokeMethod on it; the signals are ordinary Qt signals
/// and cross threads queued). The sink is called on the device thread, synchronously, at up to
/// the run's point rate: it must return at once (a writer queues the document for its thread).
class RunEngine : public QObject {
    Q_OBJECT
public:
    using DocumentSink = std::function<void(const Document &)>;

    struct Options {
        /// How long every device of a suspended run must be back before the run resumes.
        std::chrono::milliseconds resumeDelay{1000};
        /// How often a suspended run looks at its devices.
        std::chrono::milliseconds suspendPoll{50};
        /// The shortest time between two progressed() signals while points are taken.
        std::chrono::milliseconds progressInterval{100};
        /// True while the sink's consumer is too far behind (a writer's backlog): the run takes
        /// no further point until it is false again, looked at every holdBackPoll. So a run
        /// faster than its disk keeps its memory bounded instead of queueing without end.
        std::function<bool()> holdBack;
        std::chrono::milliseconds holdBackPoll{1};
    };

    /// `host` must outlive the engine. Nothing happens until start() or run().
    RunEngine(DeviceHost &host, RunInput input, DocumentSink sink, Options options,
        QObject *parent = nullptr);
    RunEngine(DeviceHost &host, RunInput input, DocumentSink sink, QObject *parent = nullptr)
        : RunEngine(host, std::move(input), std::move(sink), Options(), parent)
    {
    }
    /// Cancels a run still going (no RunStop is made then).
    ~RunEngine() override;

    /// Starts run() as a task of the engine; finished() tells its end. Once only.
    void start();
    /// The run: resumes with its RunStop once it has ended and every document has gone to the
    /// sink. Once only (start() calls it). A plan the lab cannot run (an unknown device, a
    /// missing trait) ends at once with "fail", after RunStart, before anything moved.
    QCoro::Task<RunStop> run();

    /// Pauses (see PauseMode). While paused, resume(), stop() and abort() apply. Pausing a run
    /// that is suspended pauses it once its devices are back. Nothing once it is stopping,
    /// aborting or done.
    void pause(PauseMode mode = PauseMode::Deferred);
    /// Resumes a paused run (after moving its axes back to the setpoints of the point it takes
    /// next), or cancels a deferred pause not yet reached.
    void resume();
    /// Ends the run after the point in flight (at once when paused or suspended): cleanup
    /// (return_to_start), exit_status "success", reason "stopped".
    void stop();
    /// Ends the run now: the point in flight is dropped, stoppable devices of the run are
    /// stopped, cleanup; exit_status "abort", `reason` (default "aborted").
    void abort(const QString &reason = {});

    RunState state() const noexcept { return m_state; }
    /// Events of the primary stream so far.
    qint64 point() const noexcept { return m_events; }
    /// The points the run will take, or -1 when not known in advance.
    qint64 points() const noexcept { return m_points; }
    /// The RunStart's uid (made at construction).
    const QString &uid() const noexcept { return m_uid; }

Q_SIGNALS:
    void stateChanged(Benchtop::Run::RunState state);
    /// `point` events of `points` (-1: unknown) taken; at most every Options::progressInterval
    /// while points are taken, and at the end.
    void progressed(qint64 point, qint64 points);
    /// After the RunStop went to the sink. Exactly once per start().
    void finished(const Benchtop::Run::RunStop &stop);

private:
    /// A device the run uses, resolved from the host at the start of each stretch of points.
    struct Bound {
        QString name;
        QPointer<Device> device;
        HasPosition *position = nullptr;
        IsDiscrete *discrete = nullptr;
        HasTurret *turret = nullptr;
        HasMeasureTrigger *trigger = nullptr;
        IsStoppable *stoppable = nullptr;
        bool forwards = false; ///< answered by a peer: driven by messages
    };
    enum class Interrupt { None, PauseNow, Suspend, Abort };

    void setState(RunState state);
    void emitDocument(Document document);
    void maybeProgress(bool force);
    QCoro::Task<> runPoints();
    QCoro::Task<> steps();
    /// Whether the checkpoint has anything to do (a pause, a device of the run unwell): the
    /// cheap test made at every point before the checkpoint's coroutine.
    bool checkpointPending() const;
    QCoro::Task<bool> checkpoint();
    QCoro::Task<> waitWhilePaused();
    QCoro::Task<> waitWhileSuspended(QString device, QString reason);
    QCoro::Task<> sleepUntilOrWoken(Async::TimePoint deadline);
    QCoro::Task<> takePoint(const PlanPoint &point);
    /// Moves the axes to `targets` (absolute, one per axis; invalid: leave it), together:
    /// those whose target changed since the last move, or all of them when `all`.
    QCoro::Task<bool> moveAxes(const std::vector<QVariant> &targets, bool all);
    QCoro::Task<> triggerDetectors();
    QCoro::Task<> timeSeries();
    void readRow(std::vector<QVariant> &data) const;
    /// `time` 0: now.
    void emitEvent(std::vector<QVariant> data, std::vector<int> gridIndex = {}, double time = 0);
    QCoro::Task<> returnToStart();
    void stopDevices();
    void bindDevices();
    void onDeviceChanged(std::size_t index);
    /// The first suspender whose condition does not hold: why, or nullopt.
    std::optional<QString> violatedCondition() const;
    /// The first device of the run that is not ready or not connected, {name, reason}, or the
    /// first suspender's condition that does not hold, {"", reason}.
    std::optional<std::pair<QString, QString>> unhealthyDevice() const;
    /// Whether a device of the run was replaced (restarted) since bindDevices().
    bool deviceReplaced() const;
    Device &alive(const Bound &bound) const;
    std::size_t boundIndex(const QString &name) const;
    void interrupt(Interrupt why);
    /// The next point of a run that visits points, or null when they are done.
    const PlanPoint *nextPoint();
    void pointTaken(const std::vector<QVariant> &data);

    DeviceHost &m_host;
    RunInput m_input;
    DocumentSink m_sink;
    Options m_options;
    QString m_uid;
    QString m_primaryUid;
    QString m_baselineUid;
    StreamLayout m_primary;
    StreamLayout m_baseline;
    StreamLayout m_suspenders; ///< one column per suspender's value
    std::vector<std::size_t> m_suspenderBound; ///< per suspender, its device in m_bound
    std::vector<Bound> m_bound; ///< the devices of the run, each once, axes first
    std::vector<std::size_t> m_axisBound; ///< per axis, its index in m_bound
    std::vector<std::size_t> m_detectorBound; ///< per detector
    std::vector<std::size_t> m_columnBound; ///< per primary column
    std::vector<QMetaObject::Connection> m_watches;
    PlanPoint m_generated; ///< the point of a count or adaptive_scan
    std::vector<QVariant> m_startSetpoints; ///< per axis, where it was at the start
    std::vector<QVariant> m_lastSetpoints; ///< per axis, the last target sent (invalid: none)
    std::optional<AdaptiveStepper> m_adaptive;
    qsizetype m_targetColumn = -1;
    RunState m_state = RunState::Idle;
    qint64 m_points = -1;
    qint64 m_events = 0;
    qint64 m_nextIndex = 0; ///< of the next point to take (points, count, time_series ticks)
    bool m_started = false;
    bool m_pauseRequested = false;
    bool m_resumeRequested = false;
    bool m_stopRequested = false;
    bool m_abortRequested = false;
    bool m_inSteps = false; ///< points are being taken: an interrupt cancels them
    bool m_rewind = false; ///< move every axis at the next point, not only those that changed
    Interrupt m_interrupt = Interrupt::None;
    QString m_abortReason;
    QString m_suspendDevice;
    QString m_suspendReason;
    Async::TimePoint m_lastProgress;
    // time_series
    Async::TimePoint m_seriesStart;
    bool m_seriesStarted = false;
    /// on_change: rows not yet handed on; a device's burst of changes (one publish setting
    /// several values) amends its row until the run task takes it.
    struct Change {
        std::vector<QVariant> row;
        double time = 0;
        std::size_t device = 0;
    };
    std::deque<Change> m_changes;
    std::vector<QVariant> m_lastRow;
    Async::Event m_changed;
    Async::Event m_wake; ///< a control call or a device's change, for the waits
    Async::Event m_interrupted; ///< set with m_interrupt
    Async::Event m_never; ///< never set: where an interrupted point waits to be cancelled
    Async::TaskGroup m_tasks{QStringLiteral("run")}; // last: destroyed first
};

} // namespace Benchtop::Run
