// SPDX-License-Identifier: MIT
#pragma once

// For the window's tests and the UI benchmark: a lab of simulated instruments, from lab text,
// run by a real DeviceHost on a real device thread (as the application runs them), with the sim
// plugin loaded from the build tree, and handles on the calling (GUI) thread. Link
// benchtop_simlab to get it.

#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/labloader.h>
#include <host/localdevicehandle.h>
#include <plugins/pluginregistry.h>

#include <QFile>
#include <QTemporaryDir>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

namespace Benchtop {

class SimLab {
public:
    /// Writes `labText` to a temporary lab file, loads it and starts its devices (state files
    /// are neither read nor written). Throws std::runtime_error if the lab has errors.
    /// Destruction stops the device thread, waiting at most `stopLimit`.
    /// `reload` gives the settings a restart uses (default: the lab file's); `options` are the
    /// host's.
    explicit SimLab(const QByteArray &labText,
        std::chrono::milliseconds stopLimit = std::chrono::seconds(3),
        DeviceHost::SettingsSource reload = {}, DeviceHost::Options options = {})
        : m_stopLimit(stopLimit)
    {
        if (!m_registry.addFile(QStringLiteral(BENCHTOP_SIM_PLUGIN_FILE)))
            throw std::runtime_error("cannot load the sim plugin " BENCHTOP_SIM_PLUGIN_FILE);
        m_path = m_dir.filePath(QStringLiteral("lab.toml"));
        QFile file(m_path);
        if (!file.open(QIODevice::WriteOnly) || file.write(labText) != labText.size())
            throw std::runtime_error("cannot write the lab file");
        file.close();
        m_loaded = loadLab(m_path, m_registry);
        if (!m_loaded.ok())
            throw std::runtime_error(m_loaded.errors.first().toString().toStdString());
        if (!reload)
            reload = reloaderFor(m_path, m_registry);
        m_host = m_thread.start([this, &reload, &options] {
            m_deviceThreadId = pid_t(syscall(SYS_gettid));
            auto host = std::make_unique<DeviceHost>(driversFrom(m_registry), nullptr, options);
            host->open(m_loaded.devices, reload);
            return host;
        });
    }
    ~SimLab() { stop(); }
    /// Stops the device thread (see DeviceThread::stop), once; false if it did not end in time.
    bool stop()
    {
        if (m_stopped)
            return m_stoppedInTime;
        m_stopped = true;
        m_stoppedInTime = m_thread.stop(m_stopLimit);
        return m_stoppedInTime;
    }
    SimLab(const SimLab &) = delete;
    SimLab &operator=(const SimLab &) = delete;

    DeviceHost *host() const { return m_host; }
    PluginRegistry &registry() { return m_registry; }
    const QString &path() const { return m_path; }
    const LoadedLab &loaded() const { return m_loaded; }
    /// The kernel's id of the device thread (for its CPU time in /proc/self/task/<id>/stat).
    pid_t deviceThreadId() const { return m_deviceThreadId; }

    /// A new handle on `device`, on the calling thread, paced by `pacer` if given. Destroy it
    /// before the SimLab (and the pacer).
    std::unique_ptr<LocalDeviceHandle> handle(
        const QString &device, SnapshotPacer *pacer = nullptr) const
    {
        return std::make_unique<LocalDeviceHandle>(m_host, device, pacer);
    }
    /// Handles on every device of the lab, in file order.
    std::vector<std::unique_ptr<LocalDeviceHandle>> handles(SnapshotPacer *pacer = nullptr) const
    {
        std::vector<std::unique_ptr<LocalDeviceHandle>> all;
        for (const DeviceSettings &device : m_loaded.devices)
            all.push_back(handle(device.name, pacer));
        return all;
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    PluginRegistry m_registry;
    LoadedLab m_loaded;
    std::chrono::milliseconds m_stopLimit;
    DeviceThread m_thread;
    DeviceHost *m_host = nullptr;
    pid_t m_deviceThreadId = 0;
    bool m_stopped = false;
    bool m_stoppedInTime = false;
};

} // namespace Benchtop
