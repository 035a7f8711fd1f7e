// SPDX-License-Identifier: MIT
#pragma once

#include <yaq/wire/messages.h>

#include <device/messagedefinition.h>
#include <host/devicehost.h>

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <memory>

class QTcpSocket;

namespace Benchtop::Yaq {

class Server;
class ProtocolDocument;

/// One client of a Server (a yaq daemon): reads its requests, answers them strictly in order, and keeps
/// what it can do to others bounded.
/// - Requests are decoded as they arrive (ServerDecoder: frames, Avro, size bounds). Bytes
///   that are not the protocol, or a request past its bounds, close this connection; an
///   unknown message name or arguments the device refuses get a yaq error reply.
/// - A call the device answers at once is answered in the same turn of the loop; several
///   requests that arrived together are answered in one write. A call that must be awaited (a
///   device forwarding to a peer, shutdown) holds back this connection's later requests only.
/// - A client that does not read its responses is closed once they pass maxUnsentBytes; one
///   that floods requests is closed past the decoder's buffering bound.
/// - TCP_NODELAY, and TCP_QUICKACK re-armed after every read (Linux clears it): a stock yaqc
///   client, which sends a request in several small writes, is not held up by delayed ACKs.
///
/// Thread affinity: its server's thread. It deletes itself when the socket closes.
class ServerConnection : public QObject {
    Q_OBJECT
public:
    ServerConnection(Server &server, QTcpSocket *socket);
    ~ServerConnection() override;

    /// Requests answered so far (tests, statistics).
    qint64 answered() const { return m_answered; }

private:
    void onReadyRead();
    void serve();
    /// Answers `request` into m_out now; returns false if the answer comes later (a device
    /// that forwards: serving resumes when it has been appended).
    bool answerNow(const CallRequest &request);
    /// The is-daemon messages the server answers itself (Answerer::Server).
    void answerAsServer(Server &server, const CallRequest &request);
    void appendOutcome(const CallRequest &request, ResponseEncoding encoding,
        const DeviceHost::CallOutcome &outcome);
    void appendResult(const CallRequest &request, const QVariant &value);
    void appendError(const QString &text);
    void flush();
    void drop(const QString &why);

    QPointer<Server> m_server;
    QTcpSocket *m_socket;
    std::shared_ptr<const ProtocolDocument> m_document;
    ServerDecoder m_decoder;
    QByteArray m_out;
    bool m_awaiting = false;
    bool m_closeAfterWrite = false;
    qint64 m_answered = 0;
};

} // namespace Benchtop::Yaq
