// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

class QTcpSocket;

namespace Benchtop::Yaq {

/// Sends `bytes` on a connected socket now, in one write(2) when Qt has nothing queued before
/// them. QTcpSocket::write() on a buffered socket only queues and arms the write notifier,
/// and flush() then writes and disarms it: two more wake-ups of the loop per message, which
/// is much of a loopback round trip. What the kernel does not take here goes through
/// QTcpSocket as usual (queued, written when the socket can take more, errors reported by
/// it). Bytes sent here are not counted by QTcpSocket::bytesWritten().
/// Thread affinity: the socket's thread.
void writeNow(QTcpSocket &socket, const QByteArray &bytes);

} // namespace Benchtop::Yaq
