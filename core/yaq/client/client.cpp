// SPDX-License-Identifier: MIT
#include "client.h"

#include <yaq/wire/protocoldocument.h>
#include <yaq/wire/socketwrite.h>
#include <yaq/wire/wirevalues.h>
#include <yaq/wire/yaqerror.h>

#include <async/callbackscope.h>
#include <async/combinators.h>
#include <async/errors.h>
#include <device/deviceerror.h>
#include <io/ioerror.h>

#include <QPointer>
#include <QTcpSocket>

namespace Benchtop::Yaq {

namespace {

using Clock = std::chrono::steady_clock;

/// The socket's connected() or its failure, for connectTo() to await.
struct Connecting {
    Async::Event done;
    QString failure;
};

} // namespace

Client::Client(QObject *parent)
    : Client(Options(), parent)
{
}

Client::Client(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (m_pending.empty())
            return;
        if (Clock::now() >= m_pending.front()->deadline) {
            fail(QStringLiteral("%1: no answer within %2 ms")
                     .arg(m_peer)
                     .arg(m_options.callTimeout.count()));
            return;
        }
        armDeadline();
    });
}

Client::~Client()
{
    if (m_socket) {
        // A call answered in the socket's readyRead resumes there (CallbackScope), and its
        // caller may destroy this client: the socket is still in Qt's hands until that returns.
        m_socket->disconnect(this);
        m_socket->setParent(nullptr);
        m_socket->abort();
        m_socket->deleteLater();
    }
    // Waiting calls hear why rather than ObjectDestroyed.
    for (const auto &pending : m_pending) {
        pending->failure = QStringLiteral("%1: the connection was closed").arg(m_peer);
        pending->done.set();
    }
}

QCoro::Task<> Client::connectTo(QString host, quint16 port)
{
    if (m_socket)
        close(QStringLiteral("reconnecting"));
    m_peer = QStringLiteral("%1:%2").arg(host).arg(port);
    m_socket = new QTcpSocket(this);
    m_decoder = std::make_unique<ClientDecoder>(m_options.limits);
    auto connecting = std::make_shared<Connecting>();
    QTcpSocket *socket = m_socket;
    connect(socket, &QTcpSocket::connected, this, [connecting] { connecting->done.set(); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket, connecting] {
        const QString reason = QStringLiteral("%1: %2").arg(m_peer, socket->errorString());
        if (!connecting->done.isSet()) {
            connecting->failure = reason;
            connecting->done.set();
            return;
        }
        fail(reason);
    });
    connect(socket, &QTcpSocket::readyRead, this, &Client::onReadyRead);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->connectToHost(host, port);
    try {
        co_await Async::timeout(
            [connecting]() -> QCoro::Task<> { co_await connecting->done.wait(); },
            m_options.connectTimeout);
    } catch (const Async::Timeout &) {
        connecting->failure = QStringLiteral("%1: no connection within %2 ms")
                                  .arg(m_peer)
                                  .arg(m_options.connectTimeout.count());
    }
    if (!connecting->failure.isEmpty()) {
        close(connecting->failure);
        throw Io::LinkDown(connecting->failure);
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);

    try {
        // As yaqc does: ask without knowing the daemon's protocol; it answers NONE with its
        // document; then handshake again naming it, which it answers BOTH.
        const CallResponse first = co_await handshake(HandshakeRequest());
        if (!first.handshake || !first.handshake->serverProtocol)
            throw ProtocolError(
                QStringLiteral("%1: the handshake brought no protocol").arg(m_peer));
        const QByteArray text = first.handshake->serverProtocol->toUtf8();
        std::shared_ptr<const ProtocolDocument> document;
        RemoteProtocol remote;
        try {
            document = std::make_shared<const ProtocolDocument>(text);
            remote = RemoteProtocol::fromDocument(*document);
        } catch (const SchemaError &e) {
            throw SchemaError(
                QStringLiteral("%1: its protocol document: %2").arg(m_peer, e.message()));
        }
        HandshakeRequest again;
        again.clientHash = first.handshake->serverHash.value_or(document->hash());
        again.clientProtocol = QString::fromUtf8(text);
        again.serverHash = again.clientHash;
        const CallResponse second = co_await handshake(again);
        if (!second.handshake || second.handshake->match != HandshakeMatch::Both)
            throw ProtocolError(QStringLiteral("%1: the daemon did not accept its own protocol "
                                               "in the handshake")
                                    .arg(m_peer));
        m_document = std::move(document);
        m_remote = std::move(remote);
    } catch (const ProtocolError &e) {
        close(QString::fromUtf8(e.what()));
        throw;
    }
}

QCoro::Task<CallResponse> Client::handshake(const HandshakeRequest &request)
{
    QByteArray bytes;
    appendHandshakeRequest(bytes, request);
    appendCallRequest(bytes, handshakeOnlyMessage(), {});
    co_return co_await await(
        send(bytes, *handshakeOnlyMessage().response, ClientDecoder::WithHandshake::Yes));
}

QCoro::Task<QVariant> Client::call(QString message, QVariantList args)
{
    if (!m_document || !m_socket)
        throw Io::LinkDown(QStringLiteral("%1: not connected").arg(m_peer));
    const MessageSchema *schema = m_document->message(message);
    if (!schema) {
        throw UnknownMessage(
            QStringLiteral("%1 (%2) has no message %3").arg(m_peer, m_remote.kind, message));
    }
    m_request.clear();
    appendCallRequest(m_request, *schema, args);
    const CallResponse response
        = co_await await(send(m_request, *schema->response, ClientDecoder::WithHandshake::No));
    if (response.error)
        throw DeviceError(*response.error);
    co_return fromWire(response.value);
}

std::shared_ptr<Client::Pending> Client::send(
    const QByteArray &request, const Schema &response, ClientDecoder::WithHandshake handshake)
{
    auto pending = std::make_shared<Pending>();
    if (!m_socket) {
        pending->failure = QStringLiteral("%1: not connected").arg(m_peer);
        pending->done.set();
        return pending;
    }
    m_decoder->expect(response, handshake);
    pending->deadline = Clock::now() + m_options.callTimeout;
    m_pending.push_back(pending);
    m_held.append(request);
    if (m_holding != Holding::Rest) {
        writeHeld();
        if (m_holding == Holding::FirstPending)
            m_holding = Holding::Rest;
    }
    if (!m_deadline.isActive())
        armDeadline();
    return pending;
}

QCoro::Task<CallResponse> Client::await(std::shared_ptr<Pending> pending)
{
    co_await pending->done.wait();
    if (!pending->response)
        throw Io::LinkDown(pending->failure);
    co_return std::move(*pending->response);
}

void Client::onReadyRead()
{
    // Declared before the scope, so it runs after the answered calls have resumed (and sent
    // their next requests), unless one of them destroyed this client.
    struct WriteHeldRequests {
        QPointer<Client> client;
        ~WriteHeldRequests()
        {
            if (!client)
                return;
            client->m_holding = Holding::No;
            client->writeHeld();
        }
    } writeHeldRequests{this};
    m_holding = Holding::FirstPending;
    // The calls answered here resume as this returns, not one turn of the loop later.
    Async::CallbackScope resumeAnsweredCalls;
    if (!m_socket)
        return;
    try {
        m_decoder->feed(m_socket->readAll());
        while (std::optional<CallResponse> response = m_decoder->next()) {
            if (m_pending.empty())
                throw ProtocolError(QStringLiteral("%1 answered a call never made").arg(m_peer));
            std::shared_ptr<Pending> pending = std::move(m_pending.front());
            m_pending.pop_front();
            pending->response = std::move(*response);
            pending->done.set();
        }
    } catch (const ProtocolError &e) {
        fail(QString::fromUtf8(e.what()));
    }
}

void Client::writeHeld()
{
    if (m_held.isEmpty() || !m_socket)
        return;
    writeNow(*m_socket, m_held);
    m_held.clear();
}

void Client::armDeadline()
{
    if (m_pending.empty())
        return; // it fires once more, finds nothing and stops
    const auto left
        = std::chrono::ceil<std::chrono::milliseconds>(m_pending.front()->deadline - Clock::now());
    m_deadline.start(std::max<std::chrono::milliseconds>(left, std::chrono::milliseconds(0)));
}

void Client::close(const QString &reason)
{
    fail(reason);
}

void Client::fail(const QString &reason)
{
    const bool wasOpen = m_socket != nullptr;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    std::deque<std::shared_ptr<Pending>> pending;
    pending.swap(m_pending);
    for (const auto &call : pending) {
        call->failure = reason;
        call->done.set();
    }
    m_deadline.stop();
    m_held.clear();
    m_decoder.reset();
    m_document.reset();
    if (wasOpen)
        Q_EMIT disconnected(reason);
}

} // namespace Benchtop::Yaq
