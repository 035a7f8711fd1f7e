// SPDX-License-Identifier: MIT
#include "tcptransport.h"

namespace Benchtop::Io {

TcpTransport::TcpTransport(QString host, quint16 port, QObject *parent)
    : Transport(parent)
    , m_host(std::move(host))
    , m_port(port)
{
    setDevice(&m_socket);
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_socket.setSocketOption(QAbstractSocket::KeepAliveOption, 1);
        opened();
    });
    connect(&m_socket, &QTcpSocket::errorOccurred, this,
        [this](QAbstractSocket::SocketError) { peerGone(m_socket.errorString()); });
    connect(&m_socket, &QTcpSocket::disconnected, this,
        [this] { peerGone(QStringLiteral("the instrument closed the connection")); });
}

TcpTransport::~TcpTransport()
{
    // Closing emits disconnected(), which must not reach a half-destroyed transport.
    m_socket.disconnect(this);
    m_socket.abort();
}

QString TcpTransport::describe() const
{
    return QStringLiteral("tcp %1:%2").arg(m_host).arg(m_port);
}

void TcpTransport::startOpen()
{
    m_socket.connectToHost(m_host, m_port);
}

void TcpTransport::closeDevice()
{
    // abort(): close at once, dropping unsent data, so that a reconnect starts from nothing.
    const QSignalBlocker quiet(m_socket);
    m_socket.abort();
}

} // namespace Benchtop::Io
