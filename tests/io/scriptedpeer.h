// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <functional>

namespace Benchtop::Test {

/// An instrument on a loopback TCP port, scripted by the test: every line it receives goes to
/// `answer`, which replies whatever, whenever and however cut up the test wants. Runs on the
/// test's own event loop, like the transport under test.
class ScriptedPeer : public QObject {
public:
    using Answer = std::function<void(const QByteArray &command, ScriptedPeer &peer)>;

    ScriptedPeer()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                m_client = socket;
                ++m_connections;
                QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            }
        });
    }

    quint16 port() const { return m_server.serverPort(); }
    void stopListening() { m_server.close(); }
    bool listen(quint16 port) { return m_server.listen(QHostAddress::LocalHost, port); }

    /// Replies to every command; the default echoes nothing.
    void setAnswer(Answer answer) { m_answer = std::move(answer); }

    /// Writes `bytes` to the connected client after `delayMs` (0: now).
    void send(const QByteArray &bytes, int delayMs = 0)
    {
        if (delayMs <= 0) {
            if (m_client)
                m_client->write(bytes);
            return;
        }
        QTimer::singleShot(delayMs, this, [this, bytes] { send(bytes); });
    }
    /// Closes the client's connection, as an instrument switched off.
    void hangUp()
    {
        if (m_client)
            m_client->close();
    }

    const QList<QByteArray> &received() const { return m_received; }
    int connections() const { return m_connections; }
    /// Commands that arrived while an earlier one was still unanswered (see markAnswered()).
    int overlaps() const { return m_overlaps; }
    void markAnswered() { m_unanswered = false; }

private:
    void read(QTcpSocket *socket)
    {
        m_buffer += socket->readAll();
        qsizetype end;
        while ((end = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray command = m_buffer.left(end);
            m_buffer.remove(0, end + 1);
            m_received << command;
            if (m_unanswered)
                ++m_overlaps;
            m_unanswered = command.endsWith('?');
            if (m_answer)
                m_answer(command, *this);
        }
    }

    QTcpServer m_server;
    QPointer<QTcpSocket> m_client;
    Answer m_answer;
    QByteArray m_buffer;
    QList<QByteArray> m_received;
    int m_connections = 0;
    int m_overlaps = 0;
    bool m_unanswered = false;
};

} // namespace Benchtop::Test
