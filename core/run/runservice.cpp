// SPDX-License-Identifier: MIT
#include "runservice.h"

#include "filenaming.h"
#include "plancheck.h"
#include "planexpansion.h"
#include "planfile.h"
#include "queuefile.h"
#include "runwriter.h"

#include <async/blocking.h>
#include <async/event.h>
#include <host/devicehost.h>

#include <QDateTime>
#include <QDir>

namespace Benchtop::Run {

namespace {

/// Documents a run may be ahead of its writer: about a tenth of a second at 300,000 points a
/// second, a few MB.
constexpr qint64 kMaxWriterBacklog = 30'000;

} // namespace

RunService::RunService(DeviceHost &host, Lab lab, Options options, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_lab(std::move(lab))
    , m_options(std::move(options))
{
    connect(&m_queue, &RunQueue::changed, this, [this] {
        m_status.waiting = m_queue.waitingCount();
        saveQueueSoon();
        publishStatus();
    });
}

RunService::~RunService()
{
    if (m_engine)
        m_engine->abort(QStringLiteral("the lab was closed"));
}

QString RunService::openQueue()
{
    if (m_options.stateDirectory.isEmpty())
        return {};
    m_queueFile = std::make_unique<QueueFile>(m_options.stateDirectory, m_lab.path);
    if (!m_queueFile->lock()) {
        m_ownsQueue = false;
        return tr("the run queue of %1 is held by %2: runs cannot start here while it runs")
            .arg(m_lab.path, m_queueFile->holder());
    }
    const QueueFile::Loaded loaded = m_queueFile->load();
    m_queue.restore(loaded.items);
    return loaded.warning;
}

CheckedPlan RunService::check(
    const QByteArray &planText, const QString &planPath, const QStringList &overrides) const
{
    CheckedPlan checked;
    PlanParseResult parsed = parsePlanText(planText, planPath, overrides);
    checked.plan = std::move(parsed.plan);
    checked.errors = std::move(parsed.errors);
    if (!checked.errors.isEmpty())
        return checked;
    checked.errors = checkPlan(checked.plan, describePlanDevices(m_host));
    if (checked.errors.isEmpty())
        checked.expanded = expandPlan(checked.plan);
    return checked;
}

RunService::Queued RunService::queuePlan(const QByteArray &planText, const QString &planPath,
    const QStringList &overrides, int position)
{
    const CheckedPlan checked = check(planText, planPath, overrides);
    if (!checked.ok())
        return {{}, checked.errors};
    const QString uid = m_queue.addPlan(planText, planPath, overrides, position);
    if (m_options.startAutomatically)
        startQueue();
    return {uid, {}};
}

void RunService::startQueue()
{
    if (m_queueRunning || !m_ownsQueue)
        return;
    m_queueRunning = true;
    m_tasks.spawn("run queue", [this] { return runQueue(); });
}

void RunService::pause(PauseMode mode)
{
    if (m_engine)
        m_engine->pause(mode);
}

void RunService::resume()
{
    if (m_engine)
        m_engine->resume();
}

void RunService::stop()
{
    if (m_engine)
        m_engine->stop();
}

void RunService::abort(const QString &reason)
{
    if (m_engine)
        m_engine->abort(reason);
}

RunStatus RunService::status() const
{
    return m_status;
}

void RunService::publishStatus()
{
    if (m_progress) {
        m_status.rate = m_progress->rate();
        const auto left = m_progress->secondsLeft();
        m_status.secondsLeft = left ? *left : -1;
    }
    Q_EMIT statusChanged(m_status);
}

QCoro::Task<> RunService::runQueue()
{
    // One run at a time, in queue order, until nothing waits or a stop marker is reached.
    while (std::optional<QueueItem> item = m_queue.startNext()) {
        const std::optional<RunStop> stop = co_await runItem(*item);
        if (!stop)
            continue; // refused before it started: the item says why
        m_queue.finishRunning(stop->exitStatus, stop->reason);
        // A run the user aborted ends the queue's progress too: what follows may depend on it.
        if (stop->exitStatus == QLatin1String("abort"))
            break;
    }
    m_queueRunning = false;
    m_status.state = QStringLiteral("idle");
    publishStatus();
}

void RunService::refuseItem(const QString &uid, const QString &reason)
{
    m_queue.finishRunning(QStringLiteral("fail"), reason);
    m_status.message = reason;
    Q_EMIT problem(reason);
    Q_EMIT runRefused(uid, reason);
    publishStatus();
}

QCoro::Task<std::optional<RunStop>> RunService::runItem(QueueItem item)
{
    // Checked again: the lab may have changed since it was queued.
    CheckedPlan checked = check(item.planText, item.planPath, item.overrides);
    if (!checked.ok()) {
        refuseItem(item.uid, tr("the plan %1 cannot run: %2")
                       .arg(item.planPath.isEmpty() ? item.uid : item.planPath,
                           checked.errors.first().toString()));
        co_return std::nullopt;
    }

    // Its files: the data folder's counter gives the scan_id, the template the name.
    const QString folder = m_options.dataFolder.isEmpty() ? dataFolder(m_lab).path
                                                          : QDir(m_options.dataFolder).absolutePath();
    FileNameValues names;
    names.start = QDateTime::currentDateTime();
    names.kind = checked.plan.kind;
    names.uid = item.uid;
    names.metadata = checked.plan.metadata;
    const QString fileTemplate = checked.plan.fileTemplate;
    const auto reserved = co_await Async::runBlocking([folder, fileTemplate, names] {
        QString error;
        std::optional<RunFiles> files = reserveRunFiles(folder, fileTemplate, names, &error);
        return std::make_pair(files, error);
    });
    if (!reserved.first) {
        refuseItem(item.uid, tr("the plan %1 cannot run: %2")
                       .arg(item.planPath.isEmpty() ? item.uid : item.planPath, reserved.second));
        co_return std::nullopt;
    }
    const RunFiles files = *reserved.first;

    m_writer = std::make_unique<RunWriter>();
    const QString refused = m_writer->start(files.stem);
    if (!refused.isEmpty()) {
        m_writer.reset();
        refuseItem(item.uid, tr("the plan %1 cannot run: %2")
                       .arg(item.planPath.isEmpty() ? item.uid : item.planPath, refused));
        co_return std::nullopt;
    }
    RunWriter *writer = m_writer.get();
    Async::Event writerDone;
    connect(writer, &RunWriter::finished, this, [&writerDone] { writerDone.set(); });
    connect(writer, &RunWriter::failed, this, [this](const QString &message) {
        Q_EMIT problem(message);
        if (m_engine)
            m_engine->abort(message); // nothing measured may go unsaved
    });
    connect(writer, &RunWriter::spaceLow, this, [this](qint64 freeBytes, qint64 reserve) {
        const QString message
            = tr("the data folder has %1 MB free, under the %2 MB kept in reserve: the run is "
                 "paused; free some space, then resume")
                  .arg(freeBytes / (1024 * 1024))
                  .arg(reserve / (1024 * 1024));
        m_status.message = message;
        Q_EMIT problem(message);
        if (m_engine)
            m_engine->pause(PauseMode::Deferred);
    });

    RunInput input;
    input.plan = std::move(checked.plan);
    input.expanded = std::move(checked.expanded);
    input.labPath = m_lab.path;
    input.labText = m_lab.text;
    input.scanId = files.scanId;
    input.uid = item.uid;
    RunEngine::Options engineOptions = m_options.engine;
    // A run faster than its disk waits for the writer rather than queueing without end.
    engineOptions.holdBack = [writer] { return writer->backlog() > kMaxWriterBacklog; };
    auto *engine = new RunEngine(
        m_host, std::move(input), [writer](const Document &document) { writer->post(document); },
        engineOptions, this);
    m_engine = engine;
    m_progress.emplace(engine->points());
    m_status = RunStatus{};
    m_status.uid = engine->uid();
    m_status.file = writer->h5Path();
    m_status.points = engine->points();
    m_status.waiting = m_queue.waitingCount();
    m_queue.setRunningFile(writer->h5Path());
    connect(engine, &RunEngine::stateChanged, this, [this](RunState state) {
        m_status.state = toString(state);
        if (state == RunState::Running && m_progress)
            m_progress->resumedAt(Async::Clock::now());
        publishStatus();
    });
    connect(engine, &RunEngine::progressed, this, [this](qint64 point, qint64 points) {
        // The engine says how far it is at most every 100 ms: catch the progress up.
        const Async::TimePoint now = Async::Clock::now();
        while (m_progress && m_progress->done() < point)
            m_progress->pointDone(now);
        m_status.point = point;
        m_status.points = points;
        publishStatus();
    });
    Q_EMIT runStarted(engine->uid(), writer->h5Path());

    const RunStop stop = co_await engine->run();
    co_await writerDone.wait(); // every file closed
    m_engine = nullptr;
    engine->deleteLater();
    const QString h5 = writer->h5Path();
    m_writer.reset();
    m_progress.reset();
    m_status.state = QStringLiteral("idle");
    m_status.message.clear();
    publishStatus();
    Q_EMIT runFinished(stop, h5);
    co_return stop;
}

void RunService::saveQueueSoon()
{
    if (!m_queueFile || !m_ownsQueue || m_saveScheduled)
        return;
    m_saveScheduled = true;
    m_tasks.spawn("save run queue", [this] { return saveQueue(); });
}

QCoro::Task<> RunService::saveQueue()
{
    // Changes made while a save runs are written by the next one: the flag is cleared first.
    m_saveScheduled = false;
    const QList<QueueItem> items = m_queue.items();
    const QString path = m_queueFile->path();
    // On one serial executor: saves land in the order they were made.
    const QString error = co_await Async::runBlocking(
        m_queueIo, [path, items] { return QueueFile::saveTo(path, items); });
    if (!error.isEmpty())
        Q_EMIT problem(tr("the run queue could not be saved: %1").arg(error));
}

} // namespace Benchtop::Run
