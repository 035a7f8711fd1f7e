// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class QTcpServer;

namespace Benchtop {
class DeviceHost;
struct DriverInfo;
} // namespace Benchtop

namespace Benchtop::Yaq {

class ProtocolDocument;
class ServerConnection;

/// Serves one device of a DeviceHost as a yaq daemon: a TCP port, the device's protocol
/// document (protocolDocument(), regenerated when the device is restarted) in the handshake,
/// and its messages answered through the host, each connection independently (see
/// ServerConnection for what a client can and cannot do to the others and to the devices).
///
/// `shutdown(restart)` as yaq defines it, for one daemon among the host's: restart = true
/// restarts the device (its settings re-read); false removes it from the host, closes this
/// server and emits shutDown (benchtopd exits when its last daemon has).
///
/// Thread affinity: the host's thread (the device thread), where its sockets are served:
/// a call is answered without a thread hop.
class DeviceServer : public QObject {
    Q_OBJECT
public:
    struct Options {
        /// Connections served at once; a further one is closed at once.
        int maxConnections = 64;
        /// Bytes of responses a client may leave unread before its connection is closed.
        qint64 maxUnsentBytes = 8 * 1024 * 1024;
    };

    /// `driver` (may be null): the device kind's metadata, for the document's doc and config.
    DeviceServer(DeviceHost &host, QString device, std::shared_ptr<const DriverInfo> driver,
        Options options, QObject *parent = nullptr);
    DeviceServer(DeviceHost &host, QString device, std::shared_ptr<const DriverInfo> driver,
        QObject *parent = nullptr)
        : DeviceServer(host, std::move(device), std::move(driver), Options(), parent)
    {
    }
    ~DeviceServer() override;

    /// Starts listening on `address`:`port` (0: any free port). Returns false and sets `error`
    /// ("127.0.0.1:36000: address in use") when it cannot.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    QHostAddress address() const;
    quint16 port() const;
    const QString &device() const { return m_device; }
    int connectionCount() const;

    /// The protocol document now served (regenerated when the device restarts).
    std::shared_ptr<const ProtocolDocument> document() const { return m_document; }
    /// The host whose device this serves; null once it is gone.
    DeviceHost *host() const { return m_host.data(); }
    const Options &options() const noexcept { return m_options; }

    /// What yaq's `shutdown(restart)` does, answered by the server rather than the device (see
    /// above); the connection that asked has already been answered.
    void requestShutdown(bool restart);

Q_SIGNALS:
    /// A client asked the daemon to shut down without restarting: the device was removed and
    /// this server has stopped listening.
    void shutDown(const QString &device);

private:
    void onNewConnection();
    void refreshDocument();

    QPointer<DeviceHost> m_host;
    QString m_device;
    std::shared_ptr<const DriverInfo> m_driver;
    Options m_options;
    QTcpServer *m_server;
    std::shared_ptr<const ProtocolDocument> m_document;
    bool m_shuttingDown = false;
};

} // namespace Benchtop::Yaq
