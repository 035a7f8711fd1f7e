// SPDX-License-Identifier: MIT
#include "serverconnection.h"

#include "server.h"

#include <yaq/wire/protocoldocument.h>
#include <yaq/wire/socketwrite.h>
#include <yaq/wire/wirevalues.h>
#include <yaq/wire/yaqerror.h>

#include <async/callbackscope.h>
#include <device/deviceerror.h>
#include <device/messagetable.h>
#include <host/devicehost.h>
#include <lab/tomlwriter.h>

#include <QJsonArray>
#include <QLoggingCategory>
#include <QTcpSocket>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace Benchtop::Yaq {

Q_LOGGING_CATEGORY(lcServer, "benchtop.yaq.server")

namespace {

/// Linux clears TCP_QUICKACK after it has been used: set again after every read, it makes the
/// kernel acknowledge at once rather than wait up to 40 ms for a response to carry the ACK,
/// which a client that writes a request in pieces (yaqc, with Nagle on) would wait for.
void rearmQuickAck(const QTcpSocket &socket)
{
#ifdef TCP_QUICKACK
    const int on = 1;
    const qintptr fd = socket.socketDescriptor();
    if (fd >= 0)
        ::setsockopt(int(fd), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
#else
    Q_UNUSED(socket)
#endif
}

QString errorText(const std::exception &error)
{
    return QString::fromUtf8(error.what());
}

/// yaq's get_config / get_state answer: the map as a TOML document, as yaqd-core's
/// tomli_w.dumps writes it (tables under `[headers]`). A key whose value has no TOML form (null)
/// is left out rather than failing the whole answer.
QString tomlText(const QVariantMap &map)
{
    QVariantMap writable;
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        if (!tomlValue(*it).isEmpty())
            writable.insert(it.key(), *it);
    }
    return QString::fromUtf8(tomlDocument(writable).value_or(QByteArray()));
}

} // namespace

ServerConnection::ServerConnection(Server &server, QTcpSocket *socket)
    : QObject(&server)
    , m_server(&server)
    , m_socket(socket)
    , m_document(server.document())
    , m_decoder([document = m_document](const QString &name) { return document->message(name); },
          m_document->hash())
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &ServerConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_closeAfterWrite && m_socket->bytesToWrite() == 0)
            m_socket->disconnectFromHost();
    });
    rearmQuickAck(*m_socket);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

ServerConnection::~ServerConnection() = default;

void ServerConnection::onReadyRead()
{
    Async::CallbackScope resumeWokenTasks; // a forwarded call's answer goes out sooner
    rearmQuickAck(*m_socket);
    if (m_closeAfterWrite) {
        m_socket->readAll(); // after shutdown: nothing more is served
        return;
    }
    try {
        m_decoder.feed(m_socket->readAll());
    } catch (const ProtocolError &e) {
        drop(errorText(e));
        return;
    }
    serve();
}

void ServerConnection::serve()
{
    try {
        while (!m_awaiting && !m_closeAfterWrite) {
            std::optional<CallRequest> request = m_decoder.next();
            if (!request)
                break;
            if (!answerNow(*request))
                break; // serving resumes once the peer has answered
        }
    } catch (const ProtocolError &e) {
        flush(); // what was answered before the bad bytes still goes out
        drop(errorText(e));
        return;
    }
    flush();
}

bool ServerConnection::answerNow(const CallRequest &request)
{
    if (request.handshake) {
        const HandshakeResponse response
            = answerHandshake(*request.handshake, m_document->text(), m_document->hash());
        appendHandshakeResponse(m_out, response);
    }
    Server *server = m_server.data();
    if (!server) {
        appendError(QStringLiteral("the daemon is shutting down"));
        return true;
    }
    const QString &device = server->name();
    if (request.name.isEmpty()) { // the handshake's own call
        appendResult(request, {});
        return true;
    }
    if (!request.message) {
        appendError(QStringLiteral("%1 has no message %2").arg(device, request.name));
        return true;
    }
    const TraitMessage *entry = traitMessage(request.name);
    switch (entry ? entry->definition.answerer : Answerer::Device) {
    case Answerer::Server:
        answerAsServer(*server, request);
        return true;
    case Answerer::Device:
        break;
    }
    const ResponseEncoding encoding = entry ? entry->definition.encoding : ResponseEncoding::AsIs;
    QPointer<ServerConnection> self(this);
    const bool now = server->callNowOrLater(request.name, request.args,
        [self, request, encoding](DeviceHost::CallOutcome outcome) {
            if (!self)
                return; // the client went away meanwhile
            self->appendOutcome(request, encoding, outcome);
            if (outcome.late) {
                self->m_awaiting = false;
                self->serve();
            }
        });
    if (!now) {
        m_awaiting = true;
        flush(); // what came before goes out now, not after the peer answers
    }
    return now;
}

void ServerConnection::answerAsServer(Server &server, const CallRequest &request)
{
    if (request.name == QLatin1String("shutdown")) {
        appendResult(request, {});
        m_closeAfterWrite = true; // yaq: answered, then the connection closes
        server.requestShutdown(request.args.value(0).toBool());
    } else if (request.name == QLatin1String("get_traits")) {
        appendResult(request, m_document->json().value(QLatin1String("traits")).toVariant());
    } else if (request.name == QLatin1String("get_version")) {
        appendResult(request, QStringLiteral(BENCHTOP_VERSION));
    } else {
        // A message the table says the server answers, which this server does not know: a bug.
        appendError(QStringLiteral("%1: %2 is not answered by this server")
                        .arg(server.name(), request.name));
    }
}

void ServerConnection::appendOutcome(
    const CallRequest &request, ResponseEncoding encoding, const DeviceHost::CallOutcome &outcome)
{
    if (!outcome.error) {
        appendResult(request,
            encoding == ResponseEncoding::TomlText ? QVariant(tomlText(outcome.value.toMap()))
                                                   : outcome.value);
        return;
    }
    try {
        std::rethrow_exception(outcome.error);
    } catch (const std::exception &e) {
        appendError(errorText(e));
    } catch (...) {
        appendError(QStringLiteral("the daemon is shutting down"));
    }
}

void ServerConnection::appendResult(const CallRequest &request, const QVariant &value)
{
    ++m_answered;
    const Schema &response
        = request.message ? *request.message->response : SchemaSet::primitive(Schema::Type::Null);
    try {
        appendCallResponse(m_out, response, toWire(value, response));
    } catch (const ProtocolError &e) {
        // The device answered something its own document does not allow: a bug, told to the
        // client rather than sent malformed.
        qCWarning(lcServer).noquote()
            << QStringLiteral("%1: the answer to %2 does not fit: %3")
                   .arg(m_server ? m_server->name() : QString(), request.name, errorText(e));
        appendError(QStringLiteral("%1: the answer does not fit its type: %2")
                        .arg(request.name, errorText(e)));
        --m_answered;
    }
}

void ServerConnection::appendError(const QString &text)
{
    ++m_answered;
    appendErrorResponse(m_out, text);
}

void ServerConnection::flush()
{
    if (m_out.isEmpty())
        return;
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        m_out.clear(); // dropped, or the client left: nobody to answer
        return;
    }
    writeNow(*m_socket, m_out);
    m_out.clear();
    if (m_server && m_socket->bytesToWrite() > m_server->options().maxUnsentBytes) {
        drop(QStringLiteral("the client does not read its responses"));
        return;
    }
    // All of it sent directly: no bytesWritten() will come to close the connection.
    if (m_closeAfterWrite && m_socket->bytesToWrite() == 0)
        m_socket->disconnectFromHost();
}

void ServerConnection::drop(const QString &why)
{
    qCInfo(lcServer).noquote() << QStringLiteral("%1: closing the connection from %2:%3: %4")
                                      .arg(m_server ? m_server->name() : QString(),
                                          m_socket->peerAddress().toString())
                                      .arg(m_socket->peerPort())
                                      .arg(why);
    m_closeAfterWrite = true;
    m_socket->abort();
    deleteLater();
}

} // namespace Benchtop::Yaq
