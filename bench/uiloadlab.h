// SPDX-License-Identifier: MIT
#pragma once

// For bench_uiload: a lab of simulated instruments from lab text, run by a real DeviceHost on a
// real device thread (as the application runs them), with the sim plugin loaded from the build
// tree, and handles on the calling (GUI) thread. The benchmark's copy of the tests' SimLab
// (tests/ui/uitestsupport.h), which bench/ may not include.

#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/labloader.h>
#include <host/localdevicehandle.h>
#include <plugins/pluginregistry.h>

#include <QFile>
#include <QTemporaryDir>

#include <memory>
#include <stdexcept>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace Benchtop::Bench {

class UiLoadLab {
public:
    /// Writes `labText` to a temporary lab file, loads it and starts its devices (state files
    /// are neither read nor written). Throws std::runtime_error if the lab has errors.
    explicit UiLoadLab(const QByteArray &labText)
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
        m_host = m_thread.start([this] {
            m_deviceThreadId = pid_t(syscall(SYS_gettid));
            auto host = std::make_unique<DeviceHost>(driversFrom(m_registry), nullptr);
            host->open(m_loaded.devices, reloaderFor(m_path, m_registry));
            return host;
        });
    }
    ~UiLoadLab() { m_thread.stop(std::chrono::seconds(10)); }
    UiLoadLab(const UiLoadLab &) = delete;
    UiLoadLab &operator=(const UiLoadLab &) = delete;

    /// The kernel's id of the device thread (for its CPU time in /proc/self/task/<id>/stat).
    pid_t deviceThreadId() const { return m_deviceThreadId; }

    /// Handles on every device of the lab, in file order, on the calling thread. Destroy them
    /// before the lab.
    std::vector<std::unique_ptr<LocalDeviceHandle>> handles() const
    {
        std::vector<std::unique_ptr<LocalDeviceHandle>> all;
        for (const DeviceSettings &device : m_loaded.devices)
            all.push_back(std::make_unique<LocalDeviceHandle>(m_host, device.name));
        return all;
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    PluginRegistry m_registry;
    LoadedLab m_loaded;
    DeviceThread m_thread;
    DeviceHost *m_host = nullptr;
    pid_t m_deviceThreadId = 0;
};

} // namespace Benchtop::Bench
