// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtEndian>

#include <memory>
#include <vector>

namespace Benchtop::Yaq::Test {

/// A TCP relay on loopback between yaq peers that passes what each side sends to the other one
/// byte at a time: a byte, a flush, then a turn of the event loop before the next, so that the
/// receiver reads each message in as many pieces as it has bytes. With Frames::OneByte it also
/// cuts every frame into frames of one payload byte each (zero-length frames stay as they are),
/// so that every value is decoded across frames, which the reference readers allow. For tests
/// that the protocol does not depend on how the kernel or the peer splits it. Each accepted
/// connection opens its own connection to `upstreamPort`; a side that closes closes the other
/// once what it sent has been passed on.
class TrickleProxy : public QObject {
public:
    enum class Frames { AsSent, OneByte };

    explicit TrickleProxy(quint16 upstreamPort, Frames frames = Frames::AsSent)
        : m_upstreamPort(upstreamPort)
        , m_frames(frames)
    {
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("TrickleProxy: cannot listen");
        connect(&m_server, &QTcpServer::newConnection, this, &TrickleProxy::accept);
        m_tick.setInterval(0);
        connect(&m_tick, &QTimer::timeout, this, &TrickleProxy::passOneByte);
        m_tick.start();
    }
    ~TrickleProxy() override
    {
        // The sockets are deleted after the pipes their handlers use: silence them first.
        for (const auto &pipe : m_pipes)
            pipe->from->disconnect(this);
    }
    TrickleProxy(const TrickleProxy &) = delete;
    TrickleProxy &operator=(const TrickleProxy &) = delete;

    quint16 port() const { return m_server.serverPort(); }
    /// Bytes passed on towards the upstream server / back to the clients so far, each in a
    /// write of its own.
    qint64 bytesUp() const { return m_bytesUp; }
    qint64 bytesDown() const { return m_bytesDown; }

private:
    struct Pipe {
        Pipe(QTcpSocket *from, QTcpSocket *to, qint64 *count)
            : from(from)
            , to(to)
            , count(count)
        {
        }
        QTcpSocket *from;
        QTcpSocket *to;
        qint64 *count;
        QByteArray queue; ///< bytes to pass on
        bool fromClosed = false;
        // Frames::OneByte: where the frame being read stands.
        char header[4] = {};
        int headerHave = 0;
        quint32 payloadLeft = 0;
    };

    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            client->setParent(this);
            auto *upstream = new QTcpSocket(this);
            client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
            m_pipes.push_back(std::make_unique<Pipe>(client, upstream, &m_bytesUp));
            m_pipes.push_back(std::make_unique<Pipe>(upstream, client, &m_bytesDown));
            for (Pipe *pipe : {m_pipes[m_pipes.size() - 2].get(), m_pipes.back().get()}) {
                connect(pipe->from, &QTcpSocket::readyRead, this,
                    [this, pipe] { take(*pipe, pipe->from->readAll()); });
                connect(pipe->from, &QTcpSocket::disconnected, this, [this, pipe] {
                    // A side that reset the connection (a peer's abort()) is closed already:
                    // nothing is left to read from it.
                    if (pipe->from->isOpen())
                        take(*pipe, pipe->from->readAll());
                    pipe->fromClosed = true;
                });
            }
        }
    }

    void take(Pipe &pipe, const QByteArray &bytes)
    {
        if (m_frames == Frames::AsSent) {
            pipe.queue.append(bytes);
            return;
        }
        for (const char byte : bytes) {
            if (pipe.payloadLeft > 0) {
                pipe.queue.append("\0\0\0\1", 4);
                pipe.queue.append(byte);
                --pipe.payloadLeft;
                continue;
            }
            pipe.header[pipe.headerHave++] = byte;
            if (pipe.headerHave < 4)
                continue;
            pipe.headerHave = 0;
            pipe.payloadLeft = qFromBigEndian<quint32>(pipe.header);
            if (pipe.payloadLeft == 0)
                pipe.queue.append("\0\0\0\0", 4);
        }
    }

    void passOneByte()
    {
        for (const auto &pipe : m_pipes) {
            if (pipe->to->state() != QAbstractSocket::ConnectedState)
                continue;
            if (!pipe->queue.isEmpty()) {
                pipe->to->write(pipe->queue.constData(), 1);
                pipe->to->flush();
                pipe->queue.remove(0, 1);
                ++*pipe->count;
            } else if (pipe->fromClosed) {
                pipe->to->disconnectFromHost();
            }
        }
    }

    quint16 m_upstreamPort;
    Frames m_frames;
    QTcpServer m_server;
    QTimer m_tick;
    std::vector<std::unique_ptr<Pipe>> m_pipes;
    qint64 m_bytesUp = 0;
    qint64 m_bytesDown = 0;
};

} // namespace Benchtop::Yaq::Test
