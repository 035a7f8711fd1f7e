// SPDX-License-Identifier: MIT
#include "server.h"

#include "serverconnection.h"

#include <yaq/wire/protocoldocument.h>

#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>

namespace Benchtop::Yaq {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

Server::Server(QString name, Options options, QObject *parent)
    : QObject(parent)
    , m_name(std::move(name))
    , m_options(options)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &Server::onNewConnection);
}

Server::~Server() = default;

bool Server::listen(const QHostAddress &address, quint16 port, QString *error)
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

QHostAddress Server::address() const
{
    return m_server->serverAddress();
}

quint16 Server::port() const
{
    return m_server->serverPort();
}

int Server::connectionCount() const
{
    return int(findChildren<ServerConnection *>(Qt::FindDirectChildrenOnly).size());
}

void Server::setDocument(std::shared_ptr<const ProtocolDocument> document)
{
    m_document = std::move(document);
}

void Server::stopListening()
{
    m_closed = true;
    m_server->close();
}

void Server::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_closed || !m_document || connectionCount() >= m_options.maxConnections) {
            qCWarning(lcServer).noquote()
                << QStringLiteral("%1: refusing a connection from %2: %3")
                       .arg(m_name, socket->peerAddress().toString(),
                           m_closed ? QStringLiteral("shutting down")
                                    : QStringLiteral("%1 connections already")
                                          .arg(m_options.maxConnections));
            socket->abort();
            socket->deleteLater();
            continue;
        }
        new ServerConnection(*this, socket);
    }
}

} // namespace Benchtop::Yaq
