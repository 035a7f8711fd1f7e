// SPDX-License-Identifier: MIT
#pragma once

#include "remoteprotocol.h"

#include <yaq/wire/messages.h>

#include <async/event.h>

#include <QCoroTask>
#include <QObject>
#include <QTimer>
#include <QVariant>

#include <chrono>
#include <deque>
#include <memory>

class QTcpSocket;

namespace Benchtop::Yaq {

class ProtocolDocument;

/// One connection to a yaq daemon: connect() opens it and does the Avro handshake (which
/// brings the daemon's protocol document), then call() sends its messages. What yaqc does,
/// made fast and strict:
/// - each request goes out in one write, with TCP_NODELAY (no Nagle, no delayed-ACK wait);
/// - calls may overlap: requests are pipelined and the daemon answers them in order;
/// - a message name or arguments the daemon's protocol does not have are refused here, without
///   a round trip (an unknown name would kill a Python daemon's connection);
/// - every call has a deadline; one missed means the connection can no longer be trusted to
///   be in step, so it is closed and every call waiting on it fails (the caller reconnects).
///
/// Errors: the daemon's error reply → DeviceError with its text; no connection, a closed or
/// timed-out one → Io::LinkDown; bytes that are not the protocol → ProtocolError (the
/// connection is closed). Thread affinity: the thread that created it.
class Client : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds connectTimeout{3000};
        std::chrono::milliseconds callTimeout{10000};
        FrameLimits limits;
    };

    explicit Client(QObject *parent = nullptr);
    Client(Options options, QObject *parent = nullptr);
    ~Client() override;

    /// Connects to `host`:`port` and handshakes. Throws Io::LinkDown (with the reason) or
    /// ProtocolError / SchemaError (a peer that is not a yaq daemon, or whose document cannot
    /// be read). A connection already open is closed first.
    QCoro::Task<> connectTo(QString host, quint16 port);
    bool isConnected() const { return m_document != nullptr; }
    /// "host:port" of the last connectTo().
    QString peer() const { return m_peer; }
    /// The daemon's protocol document (null until connected), read once: for the wire, and
    /// remote() is built from it.
    std::shared_ptr<const ProtocolDocument> document() const { return m_document; }
    /// The daemon as Benchtop sees it (its traits, messages and properties), from document().
    const RemoteProtocol &remote() const { return m_remote; }

    /// Calls `message` with positional `args` (missing trailing ones take their defaults);
    /// resumes with the response (an invalid QVariant for null; ndarrays as lists, fromWire()).
    QCoro::Task<QVariant> call(QString message, QVariantList args = {});

    /// Closes the connection; waiting calls fail with Io::LinkDown naming `reason`.
    void close(const QString &reason);

Q_SIGNALS:
    /// The connection closed (by the peer, a timeout, a protocol error or close()).
    void disconnected(const QString &reason);

private:
    struct Pending {
        Async::Event done;
        std::optional<CallResponse> response;
        QString failure; ///< set when the call failed without a response
        std::chrono::steady_clock::time_point deadline;
    };

    std::shared_ptr<Pending> send(
        const QByteArray &request, const Schema &response, ClientDecoder::WithHandshake handshake);
    QCoro::Task<CallResponse> await(std::shared_ptr<Pending> pending);
    QCoro::Task<CallResponse> handshake(const HandshakeRequest &request);
    void onReadyRead();
    void writeHeld();
    void armDeadline();
    void fail(const QString &reason);

    Options m_options;
    QTcpSocket *m_socket = nullptr;
    QString m_peer;
    std::unique_ptr<ClientDecoder> m_decoder;
    std::deque<std::shared_ptr<Pending>> m_pending;
    std::shared_ptr<const ProtocolDocument> m_document;
    RemoteProtocol m_remote;
    QTimer m_deadline;
    QByteArray m_request; ///< reused between calls
    /// While onReadyRead resumes the calls it answered, the first request those callers send
    /// goes to the kernel at once (the daemon starts on it while the others are made), and
    /// the rest together as it ends: one write, one wake-up of the daemon for them all.
    enum class Holding { No, FirstPending, Rest };
    Holding m_holding = Holding::No;
    QByteArray m_held; ///< requests not yet written (see m_holding)
};

} // namespace Benchtop::Yaq
