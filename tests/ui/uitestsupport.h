// SPDX-License-Identifier: MIT
#pragma once

// For the window's tests: a lab of simulated instruments, from lab text, run by a real
// DeviceHost on a real device thread (as the application runs them), with the sim plugin
// loaded from the build tree, and handles on the test's (GUI) thread.

#include "testsupport.h"

#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/labloader.h>
#include <host/localdevicehandle.h>
#include <plugins/pluginregistry.h>

#include <QFile>
#include <QTemporaryDir>

#include <memory>
#include <stdexcept>
#include <vector>

namespace Benchtop::UiTest {

class SimLab {
public:
    /// Writes `labText` to a temporary lab file, loads it and starts its devices (state files
    /// are neither read nor written). Throws std::runtime_error if the lab has errors.
    explicit SimLab(const QByteArray &labText)
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
            auto host = std::make_unique<DeviceHost>(driversFrom(m_registry), nullptr);
            host->open(m_loaded.devices, reloaderFor(m_path, m_registry));
            return host;
        });
    }
    ~SimLab() { m_thread.stop(); }

    DeviceHost *host() const { return m_host; }
    PluginRegistry &registry() { return m_registry; }
    const QString &path() const { return m_path; }
    const LoadedLab &loaded() const { return m_loaded; }

    /// A new handle on `device`, on the calling thread. Destroy it before the SimLab.
    std::unique_ptr<DeviceHandle> handle(const QString &device) const
    {
        return std::make_unique<LocalDeviceHandle>(m_host, device);
    }
    /// Handles on every device of the lab, in file order.
    std::vector<std::unique_ptr<DeviceHandle>> handles() const
    {
        std::vector<std::unique_ptr<DeviceHandle>> all;
        for (const DeviceSettings &device : m_loaded.devices)
            all.push_back(handle(device.name));
        return all;
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    PluginRegistry m_registry;
    LoadedLab m_loaded;
    DeviceThread m_thread;
    DeviceHost *m_host = nullptr;
};

} // namespace Benchtop::UiTest
