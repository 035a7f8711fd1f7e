// SPDX-License-Identifier: MIT
#include "runengine.h"

#include <async/combinators.h>
#include <async/errors.h>
#include <async/sleep.h>
#include <device/awaitables.h>
#include <device/device.h>
#include <device/deviceerror.h>
#include <device/diagnostics.h>
#include <device/forwarding.h>
#include <device/traits.h>
#include <host/devicehost.h>

#include <QLoggingCategory>
#include <QUuid>

#include <chrono>
#include <cmath>

namespace Benchtop::Run {

Q_LOGGING_CATEGORY(lcRun, "benchtop.run")

namespace {

/// How a run ends other than by completing its points: thrown inside the run coroutine only.
struct RunAborted { };
struct RunFailed {
    QString reason;
};

QString newUid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

double unixNow()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Async::Clock::duration seconds(double s)
{
    return std::chrono::duration_cast<Async::Clock::duration>(std::chrono::duration<double>(s));
}

bool visitsPoints(const QString &kind)
{
    return kind != QLatin1String("time_series");
}

} // namespace

QString toString(RunState state)
{
    switch (state) {
    case RunState::Idle:
        return QStringLiteral("idle");
    case RunState::Running:
        return QStringLiteral("running");
    case RunState::Pausing:
        return QStringLiteral("pausing");
    case RunState::Paused:
        return QStringLiteral("paused");
    case RunState::Suspended:
        return QStringLiteral("suspended");
    case RunState::Stopping:
        return QStringLiteral("stopping");
    case RunState::Aborting:
        return QStringLiteral("aborting");
    case RunState::Done:
        return QStringLiteral("done");
    }
    return {};
}

RunEngine::RunEngine(
    DeviceHost &host, RunInput input, DocumentSink sink, Options options, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_input(std::move(input))
    , m_sink(std::move(sink))
    , m_options(options)
    , m_uid(m_input.uid.isEmpty() ? newUid() : m_input.uid)
{
    // The signals cross threads queued (to the window, benchtopd).
    static const bool registered = [] {
        qRegisterMetaType<RunState>();
        qRegisterMetaType<RunStop>();
        return true;
    }();
    Q_UNUSED(registered);
    const Plan &plan = m_input.plan;
    if (plan.kind == QLatin1String("count")) {
        if (m_input.expanded.pointCount >= 0)
            m_points = m_input.expanded.pointCount;
        else if (plan.points)
            m_points = *plan.points * std::max(1, plan.repeats);
    } else if (plan.kind == QLatin1String("adaptive_scan") || !visitsPoints(plan.kind)) {
        m_points = -1;
    } else {
        m_points = qint64(m_input.expanded.points.size());
    }
    connect(&m_host, &DeviceHost::deviceStarted, this, [this](const QString &name) {
        // A device of the run was restarted: the point in flight used the one that is gone.
        for (const Bound &b : m_bound) {
            if (b.name == name) {
                interrupt(Interrupt::Suspend);
                return;
            }
        }
    });
}

RunEngine::~RunEngine()
{
    for (const QMetaObject::Connection &c : m_watches)
        disconnect(c);
}

void RunEngine::start()
{
    m_tasks.spawn("run", [this]() -> QCoro::Task<> { (void)co_await run(); });
}

void RunEngine::setState(RunState state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void RunEngine::emitDocument(Document document)
{
    if (m_sink)
        m_sink(document);
}

void RunEngine::maybeProgress(bool force)
{
    const Async::TimePoint now = Async::now();
    if (!force && now - m_lastProgress < m_options.progressInterval)
        return;
    m_lastProgress = now;
    Q_EMIT progressed(m_events, m_points);
}

// ---- control ---------------------------------------------------------------------------------

void RunEngine::interrupt(Interrupt why)
{
    if (!m_inSteps)
        return;
    if (m_interrupt != Interrupt::None && why != Interrupt::Abort)
        return; // the first reason stands, except that an abort overrides any
    m_interrupt = why;
    m_interrupted.set();
}

void RunEngine::pause(PauseMode mode)
{
    switch (m_state) {
    case RunState::Running:
        setState(RunState::Pausing);
        if (mode == PauseMode::Now && m_inSteps)
            interrupt(Interrupt::PauseNow);
        else
            m_pauseRequested = true;
        m_wake.set();
        break;
    case RunState::Pausing:
        if (mode == PauseMode::Now && m_inSteps) {
            m_pauseRequested = false;
            interrupt(Interrupt::PauseNow);
        }
        break;
    case RunState::Suspended:
        m_pauseRequested = true; // once its devices are back
        break;
    default:
        break;
    }
}

void RunEngine::resume()
{
    switch (m_state) {
    case RunState::Paused:
        m_resumeRequested = true;
        m_wake.set();
        break;
    case RunState::Pausing:
        // Not paused yet: a deferred pause is cancelled; a pause now, already under way,
        // resumes as soon as it has stopped the devices.
        m_pauseRequested = false;
        if (m_interrupt == Interrupt::PauseNow)
            m_resumeRequested = true;
        else
            setState(RunState::Running);
        break;
    case RunState::Suspended:
        m_pauseRequested = false;
        break;
    default:
        break;
    }
}

void RunEngine::stop()
{
    switch (m_state) {
    case RunState::Stopping:
    case RunState::Aborting:
    case RunState::Done:
        return;
    default:
        break;
    }
    m_stopRequested = true;
    m_pauseRequested = false;
    if (m_state != RunState::Idle)
        setState(RunState::Stopping);
    m_wake.set();
    m_changed.set();
}

void RunEngine::abort(const QString &reason)
{
    if (m_state == RunState::Aborting || m_state == RunState::Done)
        return;
    m_abortRequested = true;
    m_abortReason = reason.isEmpty() ? QStringLiteral("aborted") : reason;
    if (m_state != RunState::Idle)
        setState(RunState::Aborting);
    interrupt(Interrupt::Abort);
    m_wake.set();
    m_changed.set();
}

// ---- the run ---------------------------------------------------------------------------------

QCoro::Task<RunStop> RunEngine::run()
{
    Q_ASSERT(!m_started);
    m_started = true;
    const Plan &plan = m_input.plan;
    if (!m_stopRequested && !m_abortRequested)
        setState(RunState::Running);

    RunStart start;
    start.uid = m_uid;
    start.scanId = m_input.scanId;
    start.time = unixNow();
    start.planKind = plan.kind;
    start.planPath = plan.path;
    start.planText = plan.text;
    start.labPath = m_input.labPath;
    start.labText = m_input.labText;
    start.metadata = plan.metadata;
    start.shape = m_input.expanded.shape;
    for (const PlanAxis &axis : plan.axes)
        start.axes << axis.device;
    start.detectors = plan.detectors;
    start.expectedPoints = m_points;
    start.program = QStringLiteral("Benchtop");
    start.programVersion = QStringLiteral(BENCHTOP_VERSION);

    RunStop stop;
    stop.uid = newUid();
    stop.runStart = m_uid;
    stop.exitStatus = QStringLiteral("success");
    stop.reason = QStringLiteral("completed");

    QString refused;
    try {
        m_primary = StreamLayout::primary(plan, m_host);
        if (plan.kind == QLatin1String("adaptive_scan")) {
            m_targetColumn = m_primary.indexOf(plan.target);
            if (m_targetColumn < 0) {
                throw DeviceError(QStringLiteral("the target %1 is not a channel of a detector "
                                                 "or a recorded value of the plan")
                                      .arg(plan.target));
            }
            if (plan.axes.size() != 1 || !plan.axes.front().start || !plan.axes.front().stop)
                throw DeviceError(
                    QStringLiteral("adaptive_scan needs one axis with start and stop"));
            const PlanAxis &axis = plan.axes.front();
            m_adaptive.emplace(AdaptiveStepper::Parameters{.start = *axis.start,
                .stop = *axis.stop,
                .minStep = plan.minStep,
                .maxStep = plan.maxStep,
                .targetDelta = plan.targetDelta,
                .backstep = plan.backstep});
        }
        if (!m_input.suspenders.isEmpty()) {
            Plan watched;
            for (const SuspendCondition &condition : std::as_const(m_input.suspenders))
                watched.record << condition.value;
            m_suspenders = StreamLayout::primary(watched, m_host);
        }
        if (plan.kind == QLatin1String("time_series") && !plan.onChange
            && (!plan.periodSeconds || *plan.periodSeconds <= 0)) {
            throw DeviceError(QStringLiteral("time_series needs period_s or on_change = true"));
        }
        bindDevices();
    } catch (const std::exception &e) {
        refused = QString::fromStdString(e.what());
    }
    emitDocument(start);
    if (!refused.isEmpty()) {
        stop.exitStatus = QStringLiteral("fail");
        stop.reason = refused;
        stop.time = unixNow();
        setState(RunState::Done);
        emitDocument(stop);
        Q_EMIT finished(stop);
        co_return stop;
    }

    const QList<DeviceConfiguration> configuration = labConfiguration(m_host);
    m_baseline = StreamLayout::baseline(m_host);
    Descriptor baseline;
    baseline.uid = m_baselineUid = newUid();
    baseline.runStart = m_uid;
    baseline.name = QStringLiteral("baseline");
    baseline.time = unixNow();
    baseline.dataKeys = m_baseline.keys();
    baseline.configuration = configuration;
    emitDocument(baseline);
    auto readBaseline = [this](qint64 seq) {
        Event event;
        event.descriptor = m_baselineUid;
        event.seqNum = seq;
        event.time = unixNow();
        event.data.resize(std::size_t(m_baseline.size()));
        for (qsizetype i = 0; i < m_baseline.size(); ++i) {
            if (const Device *device = m_host.device(m_baseline.sources()[std::size_t(i)].device))
                event.data[std::size_t(i)] = m_baseline.read(*device, i);
        }
        event.timestamps.assign(event.data.size(), event.time);
        emitDocument(std::move(event));
    };
    readBaseline(1);

    Descriptor primary;
    primary.uid = m_primaryUid = newUid();
    primary.runStart = m_uid;
    primary.name = QStringLiteral("primary");
    primary.time = unixNow();
    primary.dataKeys = m_primary.keys();
    primary.configuration = configuration;
    emitDocument(primary);

    // Where each axis is now: relative setpoints are offsets from it, return_to_start goes back.
    m_startSetpoints.assign(std::size_t(plan.axes.size()), QVariant());
    m_lastSetpoints.assign(std::size_t(plan.axes.size()), QVariant());
    for (qsizetype i = 0; i < plan.axes.size(); ++i) {
        if (const Device *device = m_bound[m_axisBound[std::size_t(i)]].device)
            m_startSetpoints[std::size_t(i)] = m_primary.read(*device, i);
    }
    maybeProgress(true);

    try {
        co_await runPoints();
        if (m_stopRequested)
            stop.reason = QStringLiteral("stopped");
    } catch (const RunAborted &) {
        stop.exitStatus = QStringLiteral("abort");
        stop.reason = m_abortReason;
    } catch (const RunFailed &e) {
        stop.exitStatus = QStringLiteral("fail");
        stop.reason = e.reason;
    }
    m_inSteps = false;
    if (stop.exitStatus == QLatin1String("abort"))
        stopDevices();
    if (stop.exitStatus != QLatin1String("fail") || !unhealthyDevice())
        co_await returnToStart();

    readBaseline(2);
    stop.time = unixNow();
    stop.numEvents = m_events;
    maybeProgress(true);
    setState(RunState::Done);
    for (const QMetaObject::Connection &c : m_watches)
        disconnect(c);
    m_watches.clear();
    emitDocument(stop);
    Q_EMIT finished(stop);
    co_return stop;
}

QCoro::Task<> RunEngine::runPoints()
{
    for (;;) {
        if (m_abortRequested)
            throw RunAborted{};
        if (m_stopRequested)
            co_return;
        m_interrupt = Interrupt::None;
        m_interrupted.clear();
        bindDevices();
        QString error;
        bool done = false;
        m_inSteps = true;
        try {
            auto first = co_await Async::whenAny(
                [this] { return steps(); }, [this] { return m_interrupted.wait(); });
            done = first.index() == 0;
        } catch (const std::exception &e) {
            error = QString::fromStdString(e.what());
        }
        m_inSteps = false;
        if (done)
            co_return;
        QString device;
        QString reason;
        if (m_interrupt == Interrupt::None) {
            // The point failed. A device of the run that went away explains it (it suspends);
            // otherwise the error is the run's.
            if (const auto bad = unhealthyDevice()) {
                m_interrupt = Interrupt::Suspend;
                device = bad->first;
                reason = bad->second;
            } else if (deviceReplaced()) {
                m_rewind = true; // take the point again with the new device
                continue;
            } else {
                throw RunFailed{error};
            }
        } else if (m_interrupt == Interrupt::Suspend) {
            if (const auto bad = unhealthyDevice()) {
                device = bad->first;
                reason = bad->second;
            } else {
                // Back already (a restart, a blink of the link): take the point again.
                m_rewind = true;
                continue;
            }
        }
        switch (m_interrupt) {
        case Interrupt::Abort:
            throw RunAborted{};
        case Interrupt::PauseNow:
            stopDevices();
            setState(RunState::Paused);
            co_await waitWhilePaused();
            break;
        case Interrupt::Suspend:
            qCInfo(lcRun).noquote() << QStringLiteral("run %1 suspended: %2").arg(m_uid, reason);
            stopDevices();
            co_await waitWhileSuspended(device, reason);
            break;
        case Interrupt::None:
            break;
        }
        m_rewind = true; // the dropped point is taken again from its setpoints
    }
}

QCoro::Task<> RunEngine::sleepUntilOrWoken(Async::TimePoint deadline)
{
    m_wake.clear();
    co_await Async::whenAny(
        [deadline] { return Async::sleepUntil(deadline); }, [this] { return m_wake.wait(); });
}

QCoro::Task<> RunEngine::waitWhilePaused()
{
    while (!m_resumeRequested && !m_stopRequested && !m_abortRequested) {
        m_wake.clear();
        co_await m_wake.wait();
    }
    m_resumeRequested = false;
    if (!m_stopRequested && !m_abortRequested)
        setState(RunState::Running);
}

QCoro::Task<> RunEngine::waitWhileSuspended(QString device, QString reason)
{
    setState(RunState::Suspended);
    Suspension suspension;
    suspension.runStart = m_uid;
    suspension.start = unixNow();
    suspension.device = device;
    suspension.reason = reason;
    const Async::TimePoint began = Async::now();
    const Async::TimePoint deadline = began + seconds(m_input.plan.suspendTimeoutSeconds);
    std::optional<Async::TimePoint> backSince;
    for (;;) {
        if (m_stopRequested || m_abortRequested)
            break;
        const Async::TimePoint now = Async::now();
        if (!unhealthyDevice()) {
            if (!backSince)
                backSince = now;
            if (now - *backSince >= m_options.resumeDelay)
                break;
        } else {
            backSince.reset();
            if (now >= deadline) {
                suspension.end = unixNow();
                emitDocument(suspension);
                throw RunFailed{QStringLiteral("suspended for longer than %1 s: %2")
                                    .arg(m_input.plan.suspendTimeoutSeconds)
                                    .arg(reason)};
            }
        }
        Async::TimePoint next = now + m_options.suspendPoll;
        if (backSince)
            next = std::min(next, *backSince + m_options.resumeDelay);
        else
            next = std::min(next, std::max(deadline, now));
        co_await sleepUntilOrWoken(next);
    }
    suspension.end = unixNow();
    emitDocument(suspension);
    qCInfo(lcRun).noquote() << QStringLiteral("run %1 resumed after: %2").arg(m_uid, reason);
    if (!m_stopRequested && !m_abortRequested)
        setState(m_pauseRequested ? RunState::Pausing : RunState::Running);
}

bool RunEngine::checkpointPending() const
{
    if (m_stopRequested || m_pauseRequested)
        return true;
    for (const Bound &b : m_bound) {
        const Device *device = b.device;
        if (!device || device->status() != DeviceStatus::Ready
            || device->link() != LinkState::Connected)
            return true;
    }
    return violatedCondition().has_value();
}

std::optional<QString> RunEngine::violatedCondition() const
{
    for (qsizetype i = 0; i < m_input.suspenders.size(); ++i) {
        const Device *device = m_bound[m_suspenderBound[std::size_t(i)]].device;
        std::optional<double> reading;
        if (device) {
            const QVariant value = m_suspenders.read(*device, i);
            if (value.isValid())
                reading = value.toDouble();
        }
        if (auto why = m_input.suspenders[i].violation(reading))
            return why;
    }
    return std::nullopt;
}

QCoro::Task<bool> RunEngine::checkpoint()
{
    if (m_stopRequested)
        co_return false;
    if (const auto bad = unhealthyDevice())
        throw DeviceError(bad->second); // suspends
    if (m_pauseRequested) {
        m_pauseRequested = false;
        setState(RunState::Paused);
        co_await waitWhilePaused();
        if (m_stopRequested)
            co_return false;
        m_rewind = true; // someone may have moved an axis meanwhile
    }
    co_return true;
}

QCoro::Task<> RunEngine::steps()
{
    if (!visitsPoints(m_input.plan.kind)) {
        co_await timeSeries();
        co_return;
    }
    const double delay = m_input.plan.delaySeconds;
    for (;;) {
        const PlanPoint *point = nextPoint();
        if (!point)
            co_return;
        if (m_events > 0 && delay > 0 && !m_stopRequested && !m_pauseRequested)
            co_await sleepUntilOrWoken(Async::now() + seconds(delay));
        if (checkpointPending() && !co_await checkpoint())
            co_return;
        while (m_options.holdBack && m_options.holdBack() && !m_stopRequested && !m_abortRequested)
            co_await sleepUntilOrWoken(Async::now() + m_options.holdBackPoll);
        co_await takePoint(*point);
    }
}

const PlanPoint *RunEngine::nextPoint()
{
    const QString &kind = m_input.plan.kind;
    if (m_adaptive) {
        const std::optional<double> next = m_adaptive->next();
        if (!next)
            return nullptr;
        m_generated.setpoints = {QVariant(*next)};
        return &m_generated;
    }
    if (kind == QLatin1String("count")) {
        if (m_points >= 0 && m_nextIndex >= m_points)
            return nullptr;
        if (m_nextIndex < qint64(m_input.expanded.points.size()))
            return &m_input.expanded.points[std::size_t(m_nextIndex)];
        return &m_generated; // no axes
    }
    if (m_nextIndex >= qint64(m_input.expanded.points.size()))
        return nullptr;
    return &m_input.expanded.points[std::size_t(m_nextIndex)];
}

void RunEngine::pointTaken(const std::vector<QVariant> &data)
{
    ++m_nextIndex;
    if (m_adaptive)
        m_adaptive->measured(data[std::size_t(m_targetColumn)].toDouble());
}

QCoro::Task<> RunEngine::takePoint(const PlanPoint &point)
{
    const QList<PlanAxis> &axes = m_input.plan.axes;
    std::vector<QVariant> targets(std::size_t(axes.size()));
    for (std::size_t i = 0; i < targets.size() && i < point.setpoints.size(); ++i) {
        QVariant target = point.setpoints[i];
        if (axes[qsizetype(i)].relative && m_startSetpoints[i].isValid()
            && target.typeId() != QMetaType::QString) {
            target = m_startSetpoints[i].toDouble() + target.toDouble();
        }
        targets[i] = target;
    }
    const bool moved = co_await moveAxes(targets, m_rewind);
    m_rewind = false;
    if (moved && m_input.plan.settleSeconds > 0)
        co_await Async::sleep(seconds(m_input.plan.settleSeconds));
    co_await triggerDetectors();
    if (m_interrupt != Interrupt::None) {
        // Interrupted in the same pass as the detectors ended (a suspender's value crossed,
        // a pause now): the point is not recorded; whenAny cancels this wait.
        co_await m_never.wait();
    }

    // From here to the event nothing awaits: a point is recorded whole or not at all.
    std::vector<QVariant> data;
    readRow(data);
    std::vector<int> gridIndex = point.gridIndex;
    pointTaken(data); // may change `point` (a generated one): it is not used after this
    emitEvent(std::move(data), std::move(gridIndex));
}

Device &RunEngine::alive(const Bound &bound) const
{
    if (!bound.device)
        throw DeviceError(QStringLiteral("%1 was restarted or removed").arg(bound.name));
    return *bound.device;
}

QCoro::Task<bool> RunEngine::moveAxes(const std::vector<QVariant> &targets, bool all)
{
    std::vector<Device *> moving;
    std::vector<std::function<QCoro::Task<QVariant>()>> forwarded;
    std::vector<std::size_t> movedAxes;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const QVariant &target = targets[i];
        if (!target.isValid() || (!all && m_lastSetpoints[i] == target))
            continue;
        const Bound &b = m_bound[m_axisBound[i]];
        Device &device = alive(b);
        const QString &stateKey = m_primary.sources()[i].stateKey;
        m_lastSetpoints[i] = QVariant(); // unknown until it has arrived
        movedAxes.push_back(i);
        QString message;
        QVariant argument = target;
        if (stateKey == StateKey::PositionIdentifier) {
            message = QStringLiteral("set_identifier");
            argument = target.toString();
        } else if (stateKey == StateKey::Turret) {
            message = QStringLiteral("set_turret");
            if (target.typeId() != QMetaType::QString && b.turret) {
                const QStringList turrets = b.turret->turretIdentifiers();
                const int slot = target.toInt();
                if (slot < 0 || slot >= turrets.size()) {
                    throw DeviceError(QStringLiteral("%1 has no turret %2").arg(b.name).arg(slot));
                }
                argument = turrets[slot];
            } else {
                argument = target.toString();
            }
        } else {
            message = QStringLiteral("set_position");
            argument = target.toDouble();
        }
        if (b.forwards) {
            QPointer<Device> guard(&device);
            forwarded.push_back([guard, message, argument]() -> QCoro::Task<QVariant> {
                if (!guard)
                    throw DeviceError(QStringLiteral("a device was restarted or removed"));
                co_return co_await callAndWait(*guard, message, {argument});
            });
            continue;
        }
        device.ensureReady();
        if (stateKey == StateKey::PositionIdentifier)
            b.discrete->setIdentifier(argument.toString());
        else if (stateKey == StateKey::Turret)
            b.turret->setTurret(argument.toString());
        else
            b.position->setPosition(argument.toDouble());
        moving.push_back(&device);
    }
    if (movedAxes.empty())
        co_return false;
    if (!forwarded.empty())
        co_await Async::whenAll(std::move(forwarded));
    for (std::size_t k = 0; k < moving.size(); ++k) {
        QPointer<Device> device(moving[k]);
        co_await device->untilIdle();
        if (!device)
            throw DeviceError(QStringLiteral("an axis was restarted or removed during a move"));
        const QString error = device->values().value(StateKey::Error).toString();
        if (!error.isEmpty())
            throw DeviceError(error);
    }
    for (std::size_t i : movedAxes)
        m_lastSetpoints[i] = targets[i];
    co_return true;
}

QCoro::Task<> RunEngine::triggerDetectors()
{
    std::vector<std::pair<Device *, int>> measuring;
    std::vector<std::function<QCoro::Task<QVariant>()>> forwarded;
    for (std::size_t index : m_detectorBound) {
        const Bound &b = m_bound[index];
        Device &device = alive(b);
        if (b.forwards) {
            if (!device.hasTrait(Trait::HasMeasureTrigger))
                continue;
            QPointer<Device> guard(&device);
            forwarded.push_back([guard]() -> QCoro::Task<QVariant> {
                if (!guard)
                    throw DeviceError(QStringLiteral("a detector was restarted or removed"));
                co_return co_await callAndWait(*guard, QStringLiteral("measure"));
            });
            continue;
        }
        device.ensureReady();
        if (b.trigger)
            measuring.emplace_back(&device, b.trigger->measure(false));
    }
    if (!forwarded.empty())
        co_await Async::whenAll(std::move(forwarded));
    for (const auto &[raw, id] : measuring) {
        QPointer<Device> device(raw);
        co_await device->untilIdle();
        if (!device)
            throw DeviceError(QStringLiteral("a detector was restarted or removed"));
        if (device->values().value(StateKey::MeasurementId).toInt() != id) {
            throw DeviceError(QStringLiteral("%1: measurement %2 was stopped before it ended")
                                  .arg(device->name())
                                  .arg(id));
        }
    }
}

void RunEngine::readRow(std::vector<QVariant> &data) const
{
    data.resize(std::size_t(m_primary.size()));
    for (qsizetype i = 0; i < m_primary.size(); ++i)
        data[std::size_t(i)] = m_primary.read(alive(m_bound[m_columnBound[std::size_t(i)]]), i);
}

void RunEngine::emitEvent(std::vector<QVariant> data, std::vector<int> gridIndex, double time)
{
    Event event;
    event.descriptor = m_primaryUid;
    event.seqNum = ++m_events;
    event.time = time > 0 ? time : unixNow();
    event.timestamps.assign(data.size(), event.time);
    event.data = std::move(data);
    event.gridIndex = std::move(gridIndex);
    emitDocument(std::move(event));
    maybeProgress(false);
}

// ---- time_series -----------------------------------------------------------------------------

QCoro::Task<> RunEngine::timeSeries()
{
    const Plan &plan = m_input.plan;
    if (!m_seriesStarted) {
        m_seriesStarted = true;
        m_seriesStart = Async::now();
    }
    const std::optional<Async::TimePoint> end = plan.durationSeconds
        ? std::optional(m_seriesStart + seconds(*plan.durationSeconds))
        : std::nullopt;

    if (plan.onChange) {
        // The rows are taken by onDeviceChanged() as each device publishes (so that no update
        // is lost between two passes of this task); this task hands them on.
        // Nothing is recorded while paused or suspended: the row starts again from what the
        // devices publish now, so that the next change is not recorded beside stale values.
        auto resync = [this] {
            std::vector<QVariant> row;
            readRow(row);
            if (row != m_lastRow) {
                m_lastRow = row;
                m_changes.push_back({std::move(row), unixNow(), m_bound.size()});
            }
        };
        resync();
        for (;;) {
            while (!m_changes.empty()) {
                Change change = std::move(m_changes.front());
                m_changes.pop_front();
                emitEvent(std::move(change.row), {}, change.time);
            }
            if (end && Async::now() >= *end)
                co_return;
            if (checkpointPending()) {
                if (!co_await checkpoint())
                    co_return;
                resync();
            }
            if (!m_changes.empty())
                continue;
            m_changed.clear();
            if (end) {
                co_await Async::whenAny([this] { return m_changed.wait(); },
                    [e = *end] { return Async::sleepUntil(e); });
            } else {
                co_await m_changed.wait();
            }
        }
    }

    const Async::Clock::duration period = seconds(*plan.periodSeconds);
    for (;;) {
        // After a pause or a stall, the ticks missed are skipped, not caught up in a burst.
        const qint64 due = (Async::now() - m_seriesStart) / period;
        if (due > m_nextIndex)
            m_nextIndex = due;
        const Async::TimePoint tick = m_seriesStart + m_nextIndex * period;
        if (end && tick >= *end)
            co_return;
        if (checkpointPending() && !co_await checkpoint())
            co_return;
        if (Async::now() < tick) {
            co_await sleepUntilOrWoken(tick);
            if (Async::now() < tick)
                continue; // a stop or a pause: the checkpoint takes it
        }
        std::vector<QVariant> row;
        readRow(row);
        ++m_nextIndex;
        emitEvent(std::move(row));
    }
}

// ---- devices ---------------------------------------------------------------------------------

std::size_t RunEngine::boundIndex(const QString &name) const
{
    for (std::size_t i = 0; i < m_bound.size(); ++i) {
        if (m_bound[i].name == name)
            return i;
    }
    return m_bound.size();
}

void RunEngine::bindDevices()
{
    for (const QMetaObject::Connection &c : m_watches)
        disconnect(c);
    m_watches.clear();
    if (m_bound.empty()) {
        auto add = [this](const QString &name) {
            const std::size_t index = boundIndex(name);
            if (index < m_bound.size())
                return index;
            m_bound.push_back({.name = name});
            return m_bound.size() - 1;
        };
        for (const PlanAxis &axis : m_input.plan.axes)
            m_axisBound.push_back(add(axis.device));
        for (const QString &detector : m_input.plan.detectors)
            m_detectorBound.push_back(add(detector));
        for (const ColumnSource &source : m_primary.sources())
            m_columnBound.push_back(add(source.device));
        for (const ColumnSource &source : m_suspenders.sources())
            m_suspenderBound.push_back(add(source.device));
    }
    for (std::size_t i = 0; i < m_bound.size(); ++i) {
        Bound &b = m_bound[i];
        Device *device = m_host.device(b.name);
        b = Bound{.name = b.name, .device = device};
        if (!device)
            continue;
        b.position = qobject_cast<HasPosition *>(device);
        b.discrete = qobject_cast<IsDiscrete *>(device);
        b.turret = qobject_cast<HasTurret *>(device);
        b.trigger = qobject_cast<HasMeasureTrigger *>(device);
        b.stoppable = qobject_cast<IsStoppable *>(device);
        b.forwards = forwardingOf(device) != nullptr;
        m_watches.push_back(
            connect(device, &Device::changed, this, [this, i] { onDeviceChanged(i); }));
    }
}

void RunEngine::onDeviceChanged(std::size_t index)
{
    const Bound &b = m_bound[index];
    if (!b.device)
        return;
    const Device &device = *b.device;
    if (device.status() != DeviceStatus::Ready || device.link() != LinkState::Connected) {
        interrupt(Interrupt::Suspend);
        return;
    }
    for (std::size_t k = 0; k < m_suspenderBound.size(); ++k) {
        if (m_suspenderBound[k] == index && violatedCondition()) {
            interrupt(Interrupt::Suspend);
            return;
        }
    }
    const Plan &plan = m_input.plan;
    if (!plan.onChange || m_lastRow.empty() || !m_inSteps
        || (m_state != RunState::Running && m_state != RunState::Pausing))
        return;
    // on_change: this device's columns, as it publishes them.
    bool changed = false;
    for (qsizetype c = 0; c < m_primary.size(); ++c) {
        if (m_columnBound[std::size_t(c)] != index)
            continue;
        QVariant value = m_primary.read(device, c);
        if (value != m_lastRow[std::size_t(c)]) {
            m_lastRow[std::size_t(c)] = std::move(value);
            changed = true;
        }
    }
    if (!changed)
        return;
    if (!m_changes.empty() && m_changes.back().device == index) {
        // The same publish going on (measured, then measurement_id): one row for it.
        m_changes.back().row = m_lastRow;
    } else {
        m_changes.push_back({m_lastRow, unixNow(), index});
    }
    m_changed.set();
}

std::optional<std::pair<QString, QString>> RunEngine::unhealthyDevice() const
{
    for (const Bound &b : m_bound) {
        const Device *device = m_host.device(b.name);
        if (!device)
            return std::pair(b.name, QStringLiteral("%1 is no longer in the lab").arg(b.name));
        if (device->status() == DeviceStatus::Fault) {
            return std::pair(
                b.name, QStringLiteral("%1 is in fault: %2").arg(b.name, device->faultReason()));
        }
        if (device->status() == DeviceStatus::Stopped)
            return std::pair(b.name, QStringLiteral("%1 is stopped").arg(b.name));
        if (device->link() != LinkState::Connected) {
            QString reason = QStringLiteral("%1 is %2").arg(b.name, toString(device->link()));
            const QString why = device->values().value(StateKey::LinkError).toString();
            if (!why.isEmpty())
                reason += QStringLiteral(" (%1)").arg(why);
            return std::pair(b.name, reason);
        }
    }
    if (const std::optional<QString> why = violatedCondition())
        return std::pair(QString(), *why);
    return std::nullopt;
}

bool RunEngine::deviceReplaced() const
{
    for (const Bound &b : m_bound) {
        if (b.device != m_host.device(b.name))
            return true;
    }
    return false;
}

void RunEngine::stopDevices()
{
    for (const Bound &b : m_bound) {
        Device *device = m_host.device(b.name);
        if (!device || device != b.device || device->status() != DeviceStatus::Ready)
            continue;
        if (!device->hasTrait(Trait::IsStoppable) || !device->busy())
            continue;
        try {
            if (b.forwards) {
                m_host.callNowOrLater(b.name, QStringLiteral("stop"), {}, [](auto) {});
            } else {
                b.stoppable->stop();
            }
        } catch (const std::exception &e) {
            qCWarning(lcRun).noquote() << QStringLiteral("run %1: stopping %2 failed: %3")
                                              .arg(m_uid, b.name, QString::fromUtf8(e.what()));
        }
    }
}

QCoro::Task<> RunEngine::returnToStart()
{
    if (!m_input.plan.returnToStart || m_startSetpoints.empty())
        co_return;
    bindDevices();
    try {
        (void)co_await moveAxes(m_startSetpoints, true);
    } catch (const std::exception &e) {
        qCWarning(lcRun).noquote() << QStringLiteral("run %1: returning to the start failed: %2")
                                          .arg(m_uid, QString::fromUtf8(e.what()));
    }
}

} // namespace Benchtop::Run
