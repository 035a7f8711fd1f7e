// SPDX-License-Identifier: MIT
#pragma once

// The Modbus TCP server of tests/peers/modbus_server.py (pymodbus, with a fixed register map),
// run as a child process of the test.

#include <QDeadlineTimer>
#include <QProcess>
#include <QString>
#include <QTest>

#include <sys/prctl.h>

#include <csignal>

namespace Benchtop::Test {

class ModbusPeer {
public:
    ModbusPeer()
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // Should the test crash or abort (a sanitizer), the server goes with it instead of
        // holding ctest's output pipe open until the test's timeout.
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    }
    ~ModbusPeer() { kill(); }
    ModbusPeer(const ModbusPeer &) = delete;
    ModbusPeer &operator=(const ModbusPeer &) = delete;

    /// Starts the server on `port` (0: a free port) and waits, running the event loop, until it
    /// prints "READY <port>". False if it did not within 10 s (a busy machine starts Python
    /// slowly). The output so far is in output().
    bool start(quint16 port = 0)
    {
        kill();
        m_output.clear();
        m_port = 0;
        // Debian's python: the one on PATH may lack pymodbus.
        m_process.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral(BENCHTOP_PEERS_DIR "/modbus_server.py"), QStringLiteral("--port"),
                QString::number(port)});
        const bool ready = QTest::qWaitFor(
            [this] {
                m_output += m_process.readAllStandardOutput();
                if (m_process.state() == QProcess::NotRunning)
                    return true;
                const qsizetype at = m_output.indexOf("READY ");
                const qsizetype end = m_output.indexOf('\n', at);
                if (at < 0 || end < 0)
                    return false;
                m_port
                    = static_cast<quint16>(m_output.mid(at + 6, end - at - 6).trimmed().toUInt());
                return true;
            },
            10000);
        return ready && m_port != 0;
    }

    /// Ends the server at once (SIGKILL), as a crashed or unplugged instrument; its sockets are
    /// closed by the kernel.
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        resume();
        m_process.kill();
        m_process.waitForFinished(5000);
    }

    /// Freezes the server (SIGSTOP): connections stay open, but nothing is answered.
    void pause()
    {
        ::kill(static_cast<pid_t>(m_process.processId()), SIGSTOP);
        m_paused = true;
    }
    void resume()
    {
        if (!m_paused)
            return;
        ::kill(static_cast<pid_t>(m_process.processId()), SIGCONT);
        m_paused = false;
    }

    quint16 port() const { return m_port; }
    QByteArray output() const { return m_output; }

private:
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
    bool m_paused = false;
};

} // namespace Benchtop::Test
