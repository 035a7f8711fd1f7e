// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QStringList>

#include <chrono>
#include <memory>

namespace Benchtop {

class DeviceHost;
class LabSession;
struct Lab;
class PluginRegistry;
class StateStore;

/// benchtopd's work: the lab run as the window runs it (a LabSession: the same plugins, host
/// and state files), each device with a `port` served on the device thread as a yaq daemon
/// (Yaq::DeviceServer). Lines for the log go to `log` (stderr in benchtopd).
class Daemon : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString labPath;
        QHostAddress bind = QHostAddress::LocalHost;
        std::chrono::milliseconds watchdog{20};
    };

    Daemon(PluginRegistry &registry, std::shared_ptr<StateStore> store, Options options,
        QObject *parent = nullptr);
    ~Daemon() override;

    /// Opens the lab and starts serving. Returns false, with the reasons in `errors`, when
    /// nothing can be served (unreadable lab, no device with a port, no port could be bound);
    /// otherwise true, with what could not be served (lab errors, a port in use) in `errors`.
    bool start(QStringList *errors);
    /// Stops serving and shuts the devices down, their state saved. Bounded (DeviceThread).
    void stop();

    /// "stage (sim-motor) on 127.0.0.1:36001", one per device served.
    QStringList served() const { return m_served; }

Q_SIGNALS:
    /// A line for the log (a client shut a daemon down, a device faulted, ...).
    void logLine(const QString &line);
    /// Every daemon has been shut down by its clients: nothing is left to serve.
    void finished();

private:
    /// On the device thread: the lab's run queue (Run::RunService) served on `port`.
    void serveRuns(DeviceHost &host, const Lab &lab, quint16 port, QStringList *served,
        QStringList *failed);

    PluginRegistry &m_registry;
    QString m_stateDirectory;
    Options m_options;
    std::unique_ptr<LabSession> m_session;
    QStringList m_served;
    int m_running = 0;
};

} // namespace Benchtop
