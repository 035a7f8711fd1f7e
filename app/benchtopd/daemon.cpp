// SPDX-License-Identifier: MIT
#include "daemon.h"

#include <host/devicehost.h>
#include <host/labloader.h>
#include <lab/labfile.h>
#include <plugins/pluginregistry.h>
#include <run/runqueueserver.h>
#include <run/runservice.h>
#include <session/labsession.h>
#include <state/statestore.h>
#include <yaq/server/deviceserver.h>

#include <algorithm>

namespace Benchtop {

Daemon::Daemon(
    PluginRegistry &registry, std::shared_ptr<StateStore> store, Options options, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_options(std::move(options))
{
    LabSession::Options session;
    session.host.watchdog = m_options.watchdog;
    session.handles = false; // nothing here reads them: no device change crosses threads
    m_stateDirectory = store ? store->directory() : StateStore::defaultDirectory();
    m_session = std::make_unique<LabSession>(registry, std::move(store), session);
    connect(m_session.get(), &LabSession::deviceFaulted, this,
        [this](const QString &name, const QString &reason) {
            Q_EMIT logLine(QStringLiteral("%1: fault: %2").arg(name, reason));
        });
    connect(m_session.get(), &LabSession::loopStalled, this, [this](const Async::LoopStall &stall) {
        Q_EMIT logLine(
            QStringLiteral("device loop held by %1.%2 for %3 ms")
                .arg(stall.owner, stall.task)
                .arg(std::chrono::duration_cast<std::chrono::milliseconds>(stall.held).count()));
    });
}

Daemon::~Daemon()
{
    stop();
}

bool Daemon::start(QStringList *errors)
{
    // Checked before anything runs: a lab with nothing to serve never starts its instruments.
    const LoadedLab checked = loadLab(m_options.labPath, m_registry);
    const bool anyPort = std::any_of(checked.devices.cbegin(), checked.devices.cend(),
        [](const DeviceSettings &device) { return device.port != 0; });
    // The run queue is served too when the lab's [benchtop] table gives it a port.
    const LabParseResult parsed = parseLabFile(m_options.labPath);
    const int runsPort
        = parsed.lab.settings.values.value(QStringLiteral("runs_port")).toInt();
    if (!anyPort && runsPort == 0) {
        for (const LabError &error : checked.errors)
            *errors << error.toString();
        *errors << QStringLiteral("%1: no device has a \"port\" to be served on (add `port = "
                                  "36000` or another port to a device's table), and the lab has "
                                  "no [benchtop] runs_port for its run queue")
                       .arg(m_options.labPath);
        return false;
    }

    for (const LabError &error : m_session->open(m_options.labPath))
        *errors << error.toString();
    QList<DeviceSettings> servedDevices;
    for (const DeviceSettings &device : m_session->devices()) {
        if (device.port != 0)
            servedDevices << device;
    }

    // The servers live on the device thread with the devices, children of the host (so that
    // they end with it); created there, and waited for here.
    DeviceHost *host = m_session->host();
    QStringList served;
    QStringList failed;
    QMetaObject::invokeMethod(
        host,
        [&] {
            for (const DeviceSettings &device : std::as_const(servedDevices)) {
                std::optional<DriverInfo> info = m_registry.driver(device.kind);
                auto *server = new Yaq::DeviceServer(*host, device.name,
                    info ? std::make_shared<const DriverInfo>(*info) : nullptr, host);
                QString error;
                if (!server->listen(m_options.bind, quint16(device.port), &error)) {
                    failed << QStringLiteral("%1: cannot serve on %2").arg(device.name, error);
                    delete server;
                    continue;
                }
                served << QStringLiteral("%1 (%2) on %3:%4")
                              .arg(device.name, device.kind, m_options.bind.toString())
                              .arg(server->port());
                connect(server, &Yaq::DeviceServer::shutDown, this, [this](const QString &name) {
                    Q_EMIT logLine(QStringLiteral("%1: shut down by a client").arg(name));
                    if (--m_running == 0)
                        Q_EMIT finished();
                });
            }
            if (runsPort != 0)
                serveRuns(*host, parsed.lab, quint16(runsPort), &served, &failed);
        },
        Qt::BlockingQueuedConnection);
    *errors << failed;
    m_served = served;
    m_running = int(served.size());
    return m_running > 0;
}

void Daemon::serveRuns(
    DeviceHost &host, const Lab &lab, quint16 port, QStringList *served, QStringList *failed)
{
    // On the device thread, beside the devices; the service and its server end with the host.
    Run::RunService::Options options;
    options.stateDirectory = m_stateDirectory;
    auto *service = new Run::RunService(host, lab, options, &host);
    if (const QString said = service->openQueue(); !said.isEmpty())
        Q_EMIT logLine(said);
    connect(service, &Run::RunService::problem, this, &Daemon::logLine);
    connect(service, &Run::RunService::runStarted, this,
        [this](const QString &uid, const QString &file) {
            Q_EMIT logLine(QStringLiteral("run %1 started: %2").arg(uid, file));
        });
    connect(service, &Run::RunService::runFinished, this,
        [this](const Run::RunStop &stop, const QString &file) {
            Q_EMIT logLine(QStringLiteral("run %1 ended: %2 (%3), %4 points: %5")
                               .arg(stop.runStart, stop.exitStatus, stop.reason)
                               .arg(stop.numEvents)
                               .arg(file));
        });
    auto *server = new Run::RunQueueServer(*service, service);
    QString error;
    if (!server->listen(m_options.bind, port, &error)) {
        *failed << QStringLiteral("runs: cannot serve on %1").arg(error);
        delete server;
        return;
    }
    *served << QStringLiteral("runs (benchtop-runs) on %1:%2")
                   .arg(m_options.bind.toString())
                   .arg(server->port());
    connect(server, &Yaq::Server::shutDown, this, [this](const QString &name) {
        Q_EMIT logLine(QStringLiteral("%1: shut down by a client").arg(name));
        if (--m_running == 0)
            Q_EMIT finished();
    });
    // A queue restored from its file goes on where it was left.
    service->startQueue();
}

void Daemon::stop()
{
    // The devices shut down, their state saved; the servers end with the host.
    m_session->close();
}

} // namespace Benchtop
