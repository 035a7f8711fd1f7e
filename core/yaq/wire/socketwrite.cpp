// SPDX-License-Identifier: MIT
#include "socketwrite.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace Benchtop::Yaq {

void writeNow(QTcpSocket &socket, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    qint64 sent = 0;
    const qintptr fd = socket.socketDescriptor();
    if (fd >= 0 && socket.state() == QAbstractSocket::ConnectedState
        && socket.bytesToWrite() == 0) {
        // MSG_NOSIGNAL: a peer gone meanwhile is an error Qt meets on its next read or write,
        // not a SIGPIPE. A failure here (EAGAIN, a reset) leaves everything to QTcpSocket.
        const ssize_t n = ::send(
            int(fd), bytes.constData(), std::size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        sent = n > 0 ? qint64(n) : 0;
    }
    if (sent < bytes.size()) {
        socket.write(bytes.constData() + sent, bytes.size() - sent);
        socket.flush();
    }
}

} // namespace Benchtop::Yaq
