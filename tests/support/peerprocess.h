// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <memory>

#include <sys/prctl.h>

#include <csignal>

namespace Benchtop::Test {

/// A peer of an integration test (tests/peers/: a SCPI simulator, a Modbus server, a serial
/// pair) run as a child process. Peers print one line "READY <where>" once they serve; start()
/// waits for it (without blocking the event loop: the device under test keeps running) and
/// gives <where>. The peer is killed when this is destroyed, or by kill() mid-test.
class PeerProcess {
public:
    PeerProcess() = default;
    PeerProcess(const PeerProcess &) = delete;
    PeerProcess &operator=(const PeerProcess &) = delete;
    ~PeerProcess() { kill(); }

    /// Runs `/usr/bin/python3 <BENCHTOP_PEERS_DIR>/<script> <arguments>` (Debian's Python: the
    /// peers use Debian's pymodbus) and waits up to `limitMs` for READY. "" on failure, with the
    /// reason in error().
    QString start(const QString &script, const QStringList &arguments, int limitMs = 15000)
    {
        kill();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::SeparateChannels);
        m_process->setReadChannel(QProcess::StandardOutput);
        // Should the test crash or abort (a sanitizer), the peer goes with it instead of
        // holding ctest's output pipe open until the test's timeout.
        m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_process->start(QStringLiteral("/usr/bin/python3"),
            QStringList{QStringLiteral(BENCHTOP_PEERS_DIR "/") + script} + arguments);
        QElapsedTimer waited;
        waited.start();
        QByteArray out;
        while (waited.elapsed() < limitMs) {
            QTest::qWait(10);
            out += m_process->readAllStandardOutput();
            const qsizetype end = out.indexOf('\n');
            if (end >= 0 && out.startsWith("READY "))
                return QString::fromUtf8(out.mid(6, end - 6)).trimmed();
            if (m_process->state() == QProcess::NotRunning) {
                m_error = QStringLiteral("%1 ended before READY: %2").arg(script,
                    QString::fromUtf8(m_process->readAllStandardError()));
                return {};
            }
        }
        m_error = QStringLiteral("%1 gave no READY line within %2 ms (stdout: %3, stderr: %4)")
                      .arg(script).arg(limitMs)
                      .arg(QString::fromUtf8(out), QString::fromUtf8(m_process->readAllStandardError()));
        return {};
    }

    /// Ends the peer at once (SIGKILL), as a powered-off instrument.
    void kill()
    {
        if (!m_process)
            return;
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
        m_process.reset();
    }
    /// Asks it to end (SIGTERM) and waits: for peers that must clean up (socat).
    void terminate()
    {
        if (!m_process)
            return;
        m_process->terminate();
        m_process->waitForFinished(5000);
        m_process.reset();
    }

    const QString &error() const { return m_error; }

private:
    std::unique_ptr<QProcess> m_process;
    QString m_error;
};

} // namespace Benchtop::Test
