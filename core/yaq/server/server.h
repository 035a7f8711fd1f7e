// SPDX-License-Identifier: MIT
#pragma once

#include <host/devicehost.h>

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QVariantList>

#include <functional>
#include <memory>

class QTcpServer;

namespace Benchtop::Yaq {

class ProtocolDocument;

/// One yaq daemon: a TCP port, a protocol document given in the handshake, and the answers to
/// its messages, each connection served independently by a ServerConnection. What the daemon
/// is — a device of a DeviceHost (DeviceServer), the run queue (Run::RunQueueServer) — is the
/// subclass's: its document, how it answers a message, what `shutdown` does. The is-daemon
/// messages the message table gives to the server (get_traits, get_version, shutdown) are
/// answered here for every kind.
///
/// Thread affinity: the thread whose loop serves its sockets (the device thread for a device,
/// so that a call is answered without a thread hop).
class Server : public QObject {
    Q_OBJECT
public:
    struct Options {
        /// Connections served at once; a further one is closed at once.
        int maxConnections = 64;
        /// Bytes of responses a client may leave unread before its connection is closed.
        qint64 maxUnsentBytes = 8 * 1024 * 1024;
    };
    using CallOutcome = DeviceHost::CallOutcome;

    ~Server() override;

    /// Starts listening on `address`:`port` (0: any free port). Returns false and sets `error`
    /// ("127.0.0.1:36000: address in use") when it cannot.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    QHostAddress address() const;
    quint16 port() const;
    /// The daemon's name, for messages and the log.
    const QString &name() const { return m_name; }
    int connectionCount() const;
    const Options &options() const noexcept { return m_options; }

    /// The protocol document now served; null when there is none yet (connections are refused).
    std::shared_ptr<const ProtocolDocument> document() const { return m_document; }

    /// Answers `message` with `args` (already checked against the document): calls `done` once,
    /// now (returns true) or later (returns false; CallOutcome::late set).
    virtual bool callNowOrLater(
        const QString &message, QVariantList args, std::function<void(CallOutcome)> done)
        = 0;
    /// What yaq's `shutdown(restart)` does; the connection that asked has been answered.
    virtual void requestShutdown(bool restart) = 0;

Q_SIGNALS:
    /// A client asked the daemon to shut down without restarting: it has stopped listening.
    void shutDown(const QString &name);

protected:
    Server(QString name, Options options, QObject *parent);
    void setDocument(std::shared_ptr<const ProtocolDocument> document);
    /// Stops taking connections (a shutdown underway); those open finish what they asked.
    void stopListening();

private:
    void onNewConnection();

    QString m_name;
    Options m_options;
    QTcpServer *m_server;
    std::shared_ptr<const ProtocolDocument> m_document;
    bool m_closed = false;
};

} // namespace Benchtop::Yaq
