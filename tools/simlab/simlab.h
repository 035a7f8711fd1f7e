// SPDX-License-Identifier: MIT
#pragma once

// For the window's tests and the UI benchmark: a lab of simulated instruments, from lab text,
// run as the application runs a lab (a LabSession: a real DeviceHost on a real device thread,
// a handle per device on the calling thread), with the sim plugin loaded from the build tree.
// What it adds to the session is its temporary lab file. Link benchtop_simlab to get it.

#include <host/devicehost.h>
#include <host/localdevicehandle.h>
#include <plugins/pluginregistry.h>
#include <session/labsession.h>

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
    /// Writes `labText` to a temporary lab file and opens it in a LabSession whose handles are
    /// not paced (unless `options` says so) and whose devices neither read nor write state
    /// files. Throws std::runtime_error if the lab has errors. Destruction closes the session
    /// (Options::stopLimit, 3 s by default). `options.reload` gives the settings a restart uses
    /// (default: the lab file's).
    explicit SimLab(const QByteArray &labText, LabSession::Options options = unpaced())
    {
        if (!m_registry.addFile(QStringLiteral(BENCHTOP_SIM_PLUGIN_FILE)))
            throw std::runtime_error("cannot load the sim plugin " BENCHTOP_SIM_PLUGIN_FILE);
        m_path = m_dir.filePath(QStringLiteral("lab.toml"));
        QFile file(m_path);
        if (!file.open(QIODevice::WriteOnly) || file.write(labText) != labText.size())
            throw std::runtime_error("cannot write the lab file");
        file.close();
        m_session = std::make_unique<LabSession>(m_registry, nullptr, std::move(options));
        const QList<LabError> errors = m_session->open(m_path);
        if (!errors.isEmpty())
            throw std::runtime_error(errors.first().toString().toStdString());
        QMetaObject::invokeMethod(
            host(), [this] { m_deviceThreadId = pid_t(syscall(SYS_gettid)); },
            Qt::BlockingQueuedConnection);
    }
    ~SimLab() { stop(); }
    SimLab(const SimLab &) = delete;
    SimLab &operator=(const SimLab &) = delete;

    /// A session's options as a test wants them: handles delivered at once, no watchdog.
    static LabSession::Options unpaced()
    {
        LabSession::Options options;
        options.paced = false;
        options.host = DeviceHost::Options();
        return options;
    }

    /// Closes the session (see LabSession::close), once; false if the device thread did not
    /// end in time.
    bool stop()
    {
        if (!m_stopped) {
            m_stopped = true;
            m_stoppedInTime = m_session->close();
        }
        return m_stoppedInTime;
    }

    LabSession &session() { return *m_session; }
    DeviceHost *host() const { return m_session->host(); }
    PluginRegistry &registry() { return m_registry; }
    const QString &path() const { return m_path; }
    /// The devices of the lab, in file order.
    const QList<DeviceSettings> &devices() const { return m_session->devices(); }
    /// The kernel's id of the device thread (for its CPU time in /proc/self/task/<id>/stat).
    pid_t deviceThreadId() const { return m_deviceThreadId; }

    /// One more handle on `device` (the session has its own), on the calling thread, paced by
    /// `pacing` if given. Destroy it before the SimLab (and the clock).
    std::unique_ptr<LocalDeviceHandle> handle(
        const QString &device, FrameClock *pacing = nullptr) const
    {
        return std::make_unique<LocalDeviceHandle>(host(), device, pacing);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    PluginRegistry m_registry;
    std::unique_ptr<LabSession> m_session;
    pid_t m_deviceThreadId = 0;
    bool m_stopped = false;
    bool m_stoppedInTime = false;
};

} // namespace Benchtop
