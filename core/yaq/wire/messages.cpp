// SPDX-License-Identifier: MIT
#include "messages.h"

#include "yaqerror.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Benchtop::Yaq {

namespace {

// The Avro IPC records, parsed once (Avro 1.x specification, "Handshake").
constexpr const char kWireSchemas[] = R"([
  {"type": "record", "name": "HandshakeRequest", "namespace": "org.apache.avro.ipc",
   "fields": [
     {"name": "clientHash", "type": {"type": "fixed", "name": "MD5", "size": 16}},
     {"name": "clientProtocol", "type": ["null", "string"]},
     {"name": "serverHash", "type": "MD5"},
     {"name": "meta", "type": ["null", {"type": "map", "values": "bytes"}]}]},
  {"type": "record", "name": "HandshakeResponse", "namespace": "org.apache.avro.ipc",
   "fields": [
     {"name": "match",
      "type": {"type": "enum", "name": "HandshakeMatch", "symbols": ["BOTH", "CLIENT", "NONE"]}},
     {"name": "serverProtocol", "type": ["null", "string"]},
     {"name": "serverHash", "type": ["null", "MD5"]},
     {"name": "meta", "type": ["null", {"type": "map", "values": "bytes"}]}]}
])";

struct WireSchemas {
    SchemaSet set;
    const Schema *handshakeRequest = nullptr;
    const Schema *handshakeResponse = nullptr;
    const Schema *meta = nullptr;
    const Schema *error = nullptr;

    WireSchemas()
    {
        const QJsonDocument document = QJsonDocument::fromJson(QByteArray(kWireSchemas));
        set.parseTypes(document.array(), QStringLiteral("handshake schemas"));
        handshakeRequest = set.find(QStringLiteral("HandshakeRequest"));
        handshakeResponse = set.find(QStringLiteral("HandshakeResponse"));
        meta
            = &set.parse(QJsonDocument::fromJson(R"({"type": "map", "values": "bytes"})").object());
        error = &set.parse(QJsonDocument::fromJson(R"(["string"])").array());
    }
};

const WireSchemas &wire()
{
    static const WireSchemas schemas;
    return schemas;
}

const Schema &stringSchema()
{
    return SchemaSet::primitive(Schema::Type::String);
}

const Schema &booleanSchema()
{
    return SchemaSet::primitive(Schema::Type::Boolean);
}

const char *matchSymbol(HandshakeMatch match)
{
    switch (match) {
    case HandshakeMatch::Both:
        return "BOTH";
    case HandshakeMatch::Client:
        return "CLIENT";
    case HandshakeMatch::None:
        return "NONE";
    }
    return "NONE";
}

HandshakeMatch matchFromSymbol(const QString &symbol)
{
    if (symbol == QLatin1String("BOTH"))
        return HandshakeMatch::Both;
    if (symbol == QLatin1String("CLIENT"))
        return HandshakeMatch::Client;
    return HandshakeMatch::None;
}

QVariant optional(const std::optional<QString> &value)
{
    return value ? QVariant(*value) : QVariant();
}

QVariant optional(const std::optional<QVariantMap> &value)
{
    return value ? QVariant(*value) : QVariant();
}

std::optional<QString> optionalString(const QVariant &value)
{
    return value.isValid() ? std::optional<QString>(value.toString()) : std::nullopt;
}

std::optional<QVariantMap> optionalMap(const QVariant &value)
{
    return value.isValid() ? std::optional<QVariantMap>(value.toMap()) : std::nullopt;
}

// The metadata frame; the usual empty map is one byte, written without the codec.
void appendMeta(QByteArray &out, const QVariantMap &meta)
{
    if (meta.isEmpty()) {
        Framing::appendFrame(out, QByteArrayView("\0", 1));
        return;
    }
    const qsizetype at = Framing::beginFrame(out);
    encode(out, *wire().meta, meta);
    Framing::endFrame(out, at);
}

void appendValueFrame(QByteArray &out, const Schema &schema, const QVariant &value)
{
    const qsizetype at = Framing::beginFrame(out);
    encode(out, schema, value);
    Framing::endFrame(out, at);
}

// Runs a writer so that on an exception `out` is left as it was.
template<typename Write>
void appendAll(QByteArray &out, Write write)
{
    const qsizetype before = out.size();
    try {
        write();
    } catch (...) {
        out.truncate(before);
        throw;
    }
}

} // namespace

const MessageSchema &handshakeOnlyMessage()
{
    static const MessageSchema message{{}, {}, &SchemaSet::primitive(Schema::Type::Null)};
    return message;
}

QByteArray protocolHash(const QByteArray &protocolText)
{
    return QCryptographicHash::hash(protocolText, QCryptographicHash::Md5);
}

QByteArray unknownHash()
{
    return QByteArray(16, ' ');
}

HandshakeMatch handshakeMatch(const HandshakeRequest &request, const QByteArray &protocolHash)
{
    return request.clientProtocol && request.serverHash == protocolHash ? HandshakeMatch::Both
                                                                        : HandshakeMatch::None;
}

HandshakeResponse answerHandshake(
    const HandshakeRequest &request, const QByteArray &protocolText, const QByteArray &hash)
{
    HandshakeResponse response;
    response.match = handshakeMatch(request, hash);
    if (response.match == HandshakeMatch::Both)
        return response;
    response.serverProtocol = QString::fromUtf8(protocolText);
    response.serverHash = hash;
    return response;
}

void appendHandshakeRequest(QByteArray &out, const HandshakeRequest &handshake)
{
    appendAll(out, [&] {
        appendValueFrame(out, *wire().handshakeRequest,
            QVariantMap{{QStringLiteral("clientHash"), handshake.clientHash},
                {QStringLiteral("clientProtocol"), optional(handshake.clientProtocol)},
                {QStringLiteral("serverHash"), handshake.serverHash},
                {QStringLiteral("meta"), optional(handshake.meta)}});
    });
}

void appendHandshakeResponse(QByteArray &out, const HandshakeResponse &handshake)
{
    appendAll(out, [&] {
        appendValueFrame(out, *wire().handshakeResponse,
            QVariantMap{
                {QStringLiteral("match"), QString::fromLatin1(matchSymbol(handshake.match))},
                {QStringLiteral("serverProtocol"), optional(handshake.serverProtocol)},
                {QStringLiteral("serverHash"),
                    handshake.serverHash ? QVariant(*handshake.serverHash) : QVariant()},
                {QStringLiteral("meta"), optional(handshake.meta)}});
    });
}

void appendCallRequest(QByteArray &out, const MessageSchema &message, const QVariantList &args,
    const QVariantMap &meta)
{
    const auto count = qsizetype(message.request.size());
    if (args.size() > count)
        throw ProtocolError(QStringLiteral("yaq: %1 takes %2 arguments, got %3")
                                .arg(message.name())
                                .arg(count)
                                .arg(args.size()));
    appendAll(out, [&] {
        out.reserve(out.size() + 32 + 2 * message.name().size() + 16 * count);
        appendMeta(out, meta);
        const qsizetype at = Framing::beginFrame(out);
        appendString(out, message.name());
        Framing::endFrame(out, at);
        for (qsizetype i = 0; i < count; ++i) {
            const Schema::Field &parameter = message.request[std::size_t(i)];
            if (i >= args.size() && !parameter.defaultValue)
                throw ProtocolError(QStringLiteral("yaq: %1: argument %2 is missing")
                                        .arg(message.name(), parameter.name));
            try {
                appendValueFrame(
                    out, *parameter.schema, i < args.size() ? args.at(i) : *parameter.defaultValue);
            } catch (const ProtocolError &e) {
                throw ProtocolError(QStringLiteral("%1 (%2, argument %3)")
                                        .arg(e.message(), message.name(), parameter.name));
            }
        }
        Framing::appendTerminator(out);
    });
}

void appendCallResponse(
    QByteArray &out, const Schema &response, const QVariant &value, const QVariantMap &meta)
{
    appendAll(out, [&] {
        appendMeta(out, meta);
        Framing::appendFrame(out, QByteArrayView("\0", 1));
        // A null response is an empty frame, then the terminator: two in a row, as the
        // reference writes it.
        appendValueFrame(out, response, value);
        Framing::appendTerminator(out);
    });
}

void appendErrorResponse(QByteArray &out, const QString &error, const QVariantMap &meta)
{
    appendAll(out, [&] {
        appendMeta(out, meta);
        Framing::appendFrame(out, QByteArrayView("\1", 1));
        appendValueFrame(out, *wire().error, error);
        Framing::appendTerminator(out);
    });
}

// ---- ServerDecoder ----------------------------------------------------------------------

ServerDecoder::ServerDecoder(
    MessageLookup lookup, const QByteArray &protocolHash, const FrameLimits &limits)
    : m_lookup(std::move(lookup))
    , m_protocolHash(protocolHash)
    , m_frames(limits)
{
}

void ServerDecoder::feed(QByteArrayView bytes)
{
    m_frames.feed(bytes);
}

std::optional<CallRequest> ServerDecoder::next()
{
    for (;;) {
        switch (m_stage) {
        case Stage::Handshake: {
            if (m_expectHandshake) {
                const std::optional<QVariant> value = m_frames.next(*wire().handshakeRequest);
                if (!value)
                    return std::nullopt;
                const QVariantMap map = value->toMap();
                m_current.handshake = HandshakeRequest{
                    map.value(QStringLiteral("clientHash")).toByteArray(),
                    optionalString(map.value(QStringLiteral("clientProtocol"))),
                    map.value(QStringLiteral("serverHash")).toByteArray(),
                    optionalMap(map.value(QStringLiteral("meta"))),
                };
            }
            m_stage = Stage::Meta;
            break;
        }
        case Stage::Meta: {
            const std::optional<QVariant> value = m_frames.next(*wire().meta);
            if (!value)
                return std::nullopt;
            m_current.meta = value->toMap();
            m_stage = Stage::Name;
            break;
        }
        case Stage::Name: {
            const std::optional<QVariant> value = m_frames.next(stringSchema());
            if (!value)
                return std::nullopt;
            m_current.name = value->toString();
            m_current.message
                = m_current.name.isEmpty() ? &handshakeOnlyMessage() : m_lookup(m_current.name);
            if (m_current.message) {
                m_current.args.reserve(qsizetype(m_current.message->request.size()));
                m_stage = Stage::Parameters;
            } else {
                m_stage = Stage::SkipUnknown;
            }
            break;
        }
        case Stage::Parameters: {
            const std::vector<Schema::Field> &parameters = m_current.message->request;
            while (m_current.args.size() < qsizetype(parameters.size())) {
                const Schema::Field &parameter = parameters[std::size_t(m_current.args.size())];
                std::optional<QVariant> value;
                try {
                    value = m_frames.next(*parameter.schema);
                } catch (const ProtocolError &e) {
                    throw ProtocolError(QStringLiteral("%1 (%2, argument %3)")
                                            .arg(e.message(), m_current.name, parameter.name));
                }
                if (!value)
                    return std::nullopt;
                m_current.args.append(std::move(*value));
            }
            return finish();
        }
        case Stage::SkipUnknown:
            // Its parameters cannot be decoded without their schemas: skip to the terminator,
            // so the connection survives and the server can answer with an error.
            if (!m_frames.skipToBoundary())
                return std::nullopt;
            return finish();
        }
    }
}

CallRequest ServerDecoder::finish()
{
    CallRequest request = std::move(m_current);
    m_current = CallRequest();
    m_stage = Stage::Handshake;
    if (request.handshake)
        m_expectHandshake
            = handshakeMatch(*request.handshake, m_protocolHash) == HandshakeMatch::None;
    return request;
}

// ---- ClientDecoder ----------------------------------------------------------------------

ClientDecoder::ClientDecoder(const FrameLimits &limits)
    : m_frames(limits)
{
}

void ClientDecoder::expect(const Schema &response, WithHandshake handshake)
{
    m_expected.push_back({&response, handshake});
}

void ClientDecoder::feed(QByteArrayView bytes)
{
    m_frames.feed(bytes);
}

std::optional<CallResponse> ClientDecoder::next()
{
    if (m_expected.empty()) {
        if (m_frames.buffered() > 0)
            throw ProtocolError(QStringLiteral("yaq: the server sent %1 bytes with no request "
                                               "waiting for an answer")
                                    .arg(m_frames.buffered()));
        return std::nullopt;
    }
    const Expected &expected = m_expected.front();
    for (;;) {
        switch (m_stage) {
        case Stage::Handshake: {
            if (expected.handshake == WithHandshake::Yes) {
                const std::optional<QVariant> value = m_frames.next(*wire().handshakeResponse);
                if (!value)
                    return std::nullopt;
                const QVariantMap map = value->toMap();
                const QVariant hash = map.value(QStringLiteral("serverHash"));
                m_current.handshake = HandshakeResponse{
                    matchFromSymbol(map.value(QStringLiteral("match")).toString()),
                    optionalString(map.value(QStringLiteral("serverProtocol"))),
                    hash.isValid() ? std::optional<QByteArray>(hash.toByteArray()) : std::nullopt,
                    optionalMap(map.value(QStringLiteral("meta"))),
                };
            }
            m_stage = Stage::Meta;
            break;
        }
        case Stage::Meta: {
            const std::optional<QVariant> value = m_frames.next(*wire().meta);
            if (!value)
                return std::nullopt;
            m_current.meta = value->toMap();
            m_stage = Stage::Flag;
            break;
        }
        case Stage::Flag: {
            const std::optional<QVariant> value = m_frames.next(booleanSchema());
            if (!value)
                return std::nullopt;
            if (value->toBool())
                m_current.error = QString();
            m_stage = Stage::Value;
            break;
        }
        case Stage::Value: {
            const std::optional<QVariant> value
                = m_frames.next(m_current.error ? *wire().error : *expected.response);
            if (!value)
                return std::nullopt;
            if (m_current.error)
                m_current.error = value->toString();
            else
                m_current.value = *value;
            CallResponse response = std::move(m_current);
            m_current = CallResponse();
            m_stage = Stage::Handshake;
            m_expected.pop_front();
            return response;
        }
        }
    }
}

} // namespace Benchtop::Yaq
