// SPDX-License-Identifier: MIT
#pragma once

#include <async/loopwatchdog.h>
#include <async/taskgroup.h>
#include <device/devicesettings.h>
#include <host/loophealth.h>
#include <host/snapshotpacer.h>
#include <lab/laberror.h>

#include <QCoroTask>
#include <QObject>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace Benchtop {
class DeviceHandle;
class DeviceHost;
class DeviceThread;
class PluginRegistry;
class StateStore;
} // namespace Benchtop

namespace Benchtop::Ui {

/// The open lab, as the window sees it: its devices running on their own device thread, a
/// handle on each for this (the GUI) thread, and the operations of the window's menus. Every
/// operation that reaches the devices returns an awaitable and never blocks this thread, except
/// open() and close(), which start and stop the device thread (close() is bounded by the host's
/// shutdown limit; it saves every device's state).
class LabSession : public QObject {
    Q_OBJECT
public:
    LabSession(
        PluginRegistry &registry, std::shared_ptr<StateStore> store, QObject *parent = nullptr);
    ~LabSession() override;

    /// Closes the open lab, if any, then reads, checks and opens the lab at `path` (a file or
    /// ":/..." resource). Returns the lab's problems (errors and warnings), each naming its
    /// device and key; devices with errors are in fault, the others run. A file that cannot be
    /// read gives one error and an empty lab.
    QList<LabError> open(const QString &path);
    /// Destroys the handles, then shuts the devices down (state saved) and ends their thread.
    void close();
    bool isOpen() const { return m_host != nullptr; }

    QString path() const { return m_path; }
    /// "Demo lab" for the built-in one, else the file's name.
    QString title() const;
    PluginRegistry &registry() { return m_registry; }

    const std::vector<std::unique_ptr<DeviceHandle>> &handles() const { return m_handles; }
    DeviceHandle *handle(const QString &name) const;
    /// The lab's devices as the lab file would list them now (with added and removed ones).
    const QList<DeviceSettings> &devices() const { return m_devices; }

    /// Adds a device and starts it; resumes once its handle exists (deviceAdded). Throws
    /// DeviceError (name taken, no lab open).
    QCoro::Task<> addDevice(DeviceSettings settings);
    /// Stops and removes a device (its state saved); deviceRemoved is emitted first, so that
    /// views drop the handle, which is then destroyed.
    QCoro::Task<> removeDevice(QString name);
    /// Restarts a device (re-reading its settings from the lab file when it came from one).
    QCoro::Task<> restartDevice(QString name);
    /// Calls `stop` on every stoppable device; returns the names called.
    QStringList stopAll();
    /// Calls `measure` on every device with a measure trigger; returns the names called.
    QStringList measureAll();

    /// Writes the lab (devices()) to `path` atomically, and makes it the lab's file (restarts
    /// read it from then on). On failure returns false and sets `error`.
    bool saveAs(const QString &path, QString *error);

    /// The device loop's watchdog threshold for the labs opened from now on (zero: none).
    void setWatchdog(std::chrono::milliseconds threshold) { m_watchdog = threshold; }
    std::chrono::milliseconds watchdog() const { return m_watchdog; }
    static constexpr std::chrono::milliseconds kDefaultWatchdog{20};

Q_SIGNALS:
    void opened();
    /// Before the handles go.
    void aboutToClose();
    void deviceAdded(Benchtop::DeviceHandle *handle);
    void deviceRemoved(const QString &name);
    void healthChanged(const Benchtop::LoopHealth &health);
    /// A step held the device loop past the watchdog's threshold (DeviceHost::loopStalled):
    /// while it still does, and once when it ends.
    void loopStalled(const Benchtop::Async::LoopStall &stall);
    void loopStallEnded(const Benchtop::Async::LoopStall &stall);
    void deviceFaulted(const QString &name, const QString &reason);
    void bindingFailed(const QString &binding, const QString &reason);
    /// A call made by stopAll() / measureAll() failed.
    void callFailed(const QString &device, const QString &reason);

private:
    struct PathHolder;
    QCoro::Task<> onHost(std::function<QCoro::Task<>(DeviceHost *)> work);
    void callEach(const QString &trait, const QString &message, QStringList *called);

    PluginRegistry &m_registry;
    std::shared_ptr<StateStore> m_store;
    std::shared_ptr<PathHolder> m_reloadPath;
    QString m_path;
    QList<DeviceSettings> m_devices;
    std::unique_ptr<DeviceThread> m_thread;
    DeviceHost *m_host = nullptr;
    std::chrono::milliseconds m_watchdog = kDefaultWatchdog;
    /// Paces the handles' deliveries to this thread, as a window needs.
    SnapshotPacer m_pacer{SnapshotPacer::kFrameInterval, SnapshotPacer::kFrameBudget};
    std::vector<std::unique_ptr<DeviceHandle>> m_handles; // after the pacer: destroyed first
    Async::TaskGroup m_calls{QStringLiteral("window calls")}; // last: destroyed first
};

} // namespace Benchtop::Ui
