// SPDX-License-Identifier: MIT
#include "runcommand.h"

#include <host/devicehost.h>
#include <lab/labfile.h>
#include <plugins/pluginregistry.h>
#include <run/planfile.h>
#include <run/runprogress.h>
#include <run/runservice.h>
#include <session/labsession.h>
#include <state/statestore.h>

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

namespace Benchtop {

namespace {

void say(const QString &line)
{
    std::fprintf(stderr, "benchtop-run: %s\n", qPrintable(line));
}

/// What `--check` prints of each axis: its device and the range or values it visits.
QString axisRange(const Run::Plan &plan, const Run::ExpandedPlan &expanded, int axis)
{
    const QString device = plan.axes[axis].device;
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    QStringList named;
    for (const Run::PlanPoint &point : expanded.points) {
        const QVariant &value = point.setpoints[std::size_t(axis)];
        if (value.typeId() == QMetaType::QString) {
            if (!named.contains(value.toString()))
                named << value.toString();
            continue;
        }
        low = std::min(low, value.toDouble());
        high = std::max(high, value.toDouble());
    }
    const QString relative = plan.axes[axis].relative ? QStringLiteral(" (relative)") : QString();
    if (!named.isEmpty())
        return QStringLiteral("%1: %2%3").arg(device, named.join(QStringLiteral(", ")), relative);
    if (low > high) {
        // Points not known in advance (adaptive_scan): the range the plan gives.
        const Run::PlanAxis &given = plan.axes[axis];
        if (given.start && given.stop) {
            return QStringLiteral("%1: %2 to %3%4")
                .arg(device, QString::number(*given.start, 'g', 10),
                    QString::number(*given.stop, 'g', 10), relative);
        }
        return QStringLiteral("%1: no points").arg(device);
    }
    return QStringLiteral("%1: %2 to %3%4")
        .arg(device, QString::number(low, 'g', 10), QString::number(high, 'g', 10), relative);
}

} // namespace

RunCommand::RunCommand(PluginRegistry &registry, Options options, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_options(std::move(options))
    , m_tty(::isatty(STDERR_FILENO) == 1)
{
}

RunCommand::~RunCommand()
{
    if (m_session)
        m_session->close();
}

int RunCommand::start()
{
    // The plan first: its errors need no lab, and nothing is opened for a plan that cannot run.
    QFile planFile(m_options.planPath);
    if (!planFile.open(QIODevice::ReadOnly)) {
        say(QStringLiteral("%1: cannot read the plan: %2")
                .arg(m_options.planPath, planFile.errorString()));
        return Refused;
    }
    const QByteArray planText = planFile.readAll();
    const Run::PlanParseResult parsed
        = Run::parsePlanText(planText, m_options.planPath, m_options.overrides);
    if (!parsed.ok()) {
        for (const LabError &error : parsed.errors)
            say(error.toString());
        return Refused;
    }

    const LabParseResult lab = parseLabFile(m_options.labPath);
    if (!lab.ok()) {
        for (const LabError &error : lab.errors)
            say(error.toString());
        return Refused;
    }
    LabSession::Options sessionOptions;
    sessionOptions.handles = false; // nothing here reads them: no device change crosses threads
    m_session = std::make_unique<LabSession>(m_registry,
        std::make_shared<StateStore>(StateStore::defaultDirectory()), sessionOptions);
    const QList<LabError> labErrors = m_session->open(m_options.labPath);
    int errors = 0;
    for (const LabError &error : labErrors) {
        say(error.toString());
        errors += error.isError();
    }
    if (errors > 0)
        return Refused;

    // The service lives on the device thread beside the devices, a child of the host.
    DeviceHost *host = m_session->host();
    Run::RunService::Options serviceOptions;
    serviceOptions.dataFolder = m_options.outDir;
    Run::CheckedPlan checked;
    Run::RunService::Queued queued;
    QMetaObject::invokeMethod(
        host,
        [&] {
            m_service = new Run::RunService(*host, lab.lab, serviceOptions, host);
            if (m_options.checkOnly) {
                checked = m_service->check(planText, m_options.planPath, m_options.overrides);
                return;
            }
            // queuePlan() checks the plan against the lab itself: no separate check first.
            connect(m_service, &Run::RunService::statusChanged, this, &RunCommand::onStatus);
            connect(m_service, &Run::RunService::runFinished, this, &RunCommand::onFinished);
            connect(m_service, &Run::RunService::runStarted, this,
                [](const QString &, const QString &h5) { say(QStringLiteral("writing ") + h5); });
            connect(m_service, &Run::RunService::problem, this, &say);
            // A plan refused at its start: nothing moved, no file.
            connect(m_service, &Run::RunService::runRefused, this,
                [this](const QString &, const QString &) { Q_EMIT finished(Refused); });
            queued = m_service->queuePlan(planText, m_options.planPath, m_options.overrides);
        },
        Qt::BlockingQueuedConnection);
    if (!checked.ok()) {
        for (const LabError &error : checked.errors)
            say(error.toString());
        return Refused;
    }
    if (m_options.checkOnly) {
        const Run::Plan &plan = checked.plan;
        const Run::ExpandedPlan &expanded = checked.expanded;
        std::printf("%s: %s, no errors\n", qPrintable(m_options.planPath), qPrintable(plan.kind));
        std::printf("points: %s\n",
            expanded.pointCount >= 0 ? qPrintable(QString::number(expanded.pointCount))
                                     : "not known in advance");
        for (int i = 0; i < plan.axes.size(); ++i)
            std::printf("axis %s\n", qPrintable(axisRange(plan, expanded, i)));
        std::printf("estimated duration: %s\n",
            expanded.estimatedSeconds >= 0
                ? qPrintable(Run::formatDuration(expanded.estimatedSeconds))
                : "not known in advance");
        return Completed;
    }
    if (!queued.errors.isEmpty()) {
        for (const LabError &error : queued.errors)
            say(error.toString());
        return Refused;
    }
    return -1;
}

void RunCommand::interrupt(int count)
{
    if (!m_service)
        return;
    const bool abort = count >= 2;
    say(abort ? QStringLiteral("aborting (the file stays valid)")
              : QStringLiteral("stopping after this point; press Ctrl+C again to abort"));
    Run::RunService *service = m_service;
    QMetaObject::invokeMethod(service, [service, abort] {
        if (abort)
            service->abort(QStringLiteral("interrupted"));
        else
            service->stop();
    });
}

void RunCommand::onStatus(const Run::RunStatus &status)
{
    printProgress(status, false);
}

void RunCommand::printProgress(const Run::RunStatus &status, bool last)
{
    // A terminal gets one line rewritten at most ten times a second; a log, a line every
    // five seconds.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 interval = m_tty ? 100 : 5000;
    if (!last && m_lastPrintMs >= 0 && now - m_lastPrintMs < interval)
        return;
    m_lastPrintMs = now;
    QString line = QStringLiteral("point %1").arg(status.point);
    if (status.points >= 0)
        line += QStringLiteral(" of %1").arg(status.points);
    if (status.rate > 0)
        line += QStringLiteral(", %1 points/s").arg(qRound64(status.rate));
    if (status.secondsLeft >= 0)
        line += QStringLiteral(", %1 left").arg(Run::formatDuration(status.secondsLeft));
    if (status.state != QLatin1String("running") && status.state != QLatin1String("idle"))
        line += QStringLiteral(" [%1]").arg(status.state);
    if (!status.message.isEmpty() && status.state == QLatin1String("suspended"))
        line += QStringLiteral(": ") + status.message;
    if (m_tty) {
        const int pad = std::max(0, m_lastLineLength - int(line.size()));
        std::fprintf(stderr, "\r%s%s%s", qPrintable(line), qPrintable(QString(pad, QLatin1Char(' '))),
            last ? "\n" : "");
        m_lastLineLength = int(line.size());
    } else {
        std::fprintf(stderr, "benchtop-run: %s\n", qPrintable(line));
    }
    std::fflush(stderr);
}

void RunCommand::onFinished(const Run::RunStop &stop, const QString &h5Path)
{
    if (m_service) {
        Run::RunStatus status;
        status.point = stop.numEvents;
        status.state = QStringLiteral("idle");
        printProgress(status, true);
    }
    say(QStringLiteral("%1 (%2), %3 points").arg(stop.exitStatus, stop.reason).arg(stop.numEvents));
    const QString stem = h5Path.chopped(3);
    for (const QString &extension : {QStringLiteral(".h5"), QStringLiteral(".csv"), QStringLiteral(".jsonl")}) {
        if (QFile::exists(stem + extension))
            std::printf("%s\n", qPrintable(stem + extension));
    }
    std::fflush(stdout);
    int code = AbortedOrFailed;
    if (stop.exitStatus == QLatin1String("success"))
        code = stop.reason == QLatin1String("stopped") ? Stopped : Completed;
    Q_EMIT finished(code);
}

} // namespace Benchtop
