// SPDX-License-Identifier: MIT
#include "deviceserver.h"

#include "deviceprotocol.h"
#include "serverconnection.h"

#include <yaq/wire/protocoldocument.h>

#include <host/devicehost.h>
#include <plugins/driverinfo.h>

#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>

namespace Benchtop::Yaq {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

DeviceServer::DeviceServer(DeviceHost &host, QString device,
    std::shared_ptr<const DriverInfo> driver, Options options, QObject *parent)
    : QObject(parent)
    , m_host(&host)
    , m_device(std::move(device))
    , m_driver(std::move(driver))
    , m_options(options)
    , m_server(new QTcpServer(this))
{
    refreshDocument();
    // A restart may change what the device declares (its config, its properties).
    connect(&host, &DeviceHost::deviceStarted, this, [this](const QString &name) {
        if (name == m_device)
            refreshDocument();
    });
    connect(m_server, &QTcpServer::newConnection, this, &DeviceServer::onNewConnection);
}

DeviceServer::~DeviceServer() = default;

bool DeviceServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server->listen(address, port))
        return true;
    if (error) {
        *error = QStringLiteral("%1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_server->errorString());
    }
    return false;
}

QHostAddress DeviceServer::address() const
{
    return m_server->serverAddress();
}

quint16 DeviceServer::port() const
{
    return m_server->serverPort();
}

int DeviceServer::connectionCount() const
{
    return int(findChildren<ServerConnection *>(Qt::FindDirectChildrenOnly).size());
}

void DeviceServer::refreshDocument()
{
    Device *device = m_host ? m_host->device(m_device) : nullptr;
    if (!device)
        return;
    // A remote device learns what it is when it reaches its daemon (a gateway): serve that.
    connect(device, &Device::declarationChanged, this, &DeviceServer::refreshDocument,
        Qt::UniqueConnection);
    // Built as JSON, served as its canonical text: never parsed back from that text.
    m_document = std::make_shared<const ProtocolDocument>(deviceProtocol(*device, m_driver.get()));
}

void DeviceServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_shuttingDown || !m_document || connectionCount() >= m_options.maxConnections) {
            qCWarning(lcServer).noquote()
                << QStringLiteral("%1: refusing a connection from %2: %3")
                       .arg(m_device, socket->peerAddress().toString(),
                           m_shuttingDown ? QStringLiteral("shutting down")
                                          : QStringLiteral("%1 connections already")
                                                .arg(m_options.maxConnections));
            socket->abort();
            socket->deleteLater();
            continue;
        }
        new ServerConnection(*this, socket);
    }
}

void DeviceServer::requestShutdown(bool restart)
{
    if (m_shuttingDown || !m_host)
        return;
    DeviceHost *host = m_host;
    QPointer<DeviceServer> self(this);
    const QString device = m_device;
    if (restart) {
        host->tasks().spawn("yaq restart", [host, device]() -> QCoro::Task<> {
            try {
                co_await host->restart(device);
            } catch (const std::exception &e) {
                qCWarning(lcServer).noquote() << QStringLiteral("%1: restart failed: %2")
                                                     .arg(device, QString::fromUtf8(e.what()));
            }
        });
        return;
    }
    m_shuttingDown = true;
    m_server->close();
    qCInfo(lcServer).noquote() << QStringLiteral("%1: shut down by a client").arg(device);
    host->tasks().spawn("yaq shutdown", [host, device, self]() -> QCoro::Task<> {
        try {
            co_await host->removeDevice(device);
        } catch (const std::exception &e) {
            qCWarning(lcServer).noquote()
                << QStringLiteral("%1: shutdown: %2").arg(device, QString::fromUtf8(e.what()));
        }
        if (self)
            Q_EMIT self->shutDown(device);
    });
}

} // namespace Benchtop::Yaq
