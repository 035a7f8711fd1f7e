// SPDX-License-Identifier: MIT
#pragma once

#include "framing.h"

#include <device/messagedefinition.h>

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <deque>
#include <functional>
#include <optional>
#include <vector>

namespace Benchtop::Yaq {

/// A message as the wire layer knows it: as its document declares it (`definition`: name, doc,
/// origin, parameters with their Avro types and JSON defaults, response type; the effect and the
/// awaited answer are left as MessageDefinition's defaults, they are not the document's), with
/// the schemas its values are encoded by. Schemas are owned by a SchemaSet (usually a
/// ProtocolDocument's), which must outlive this.
struct MessageSchema {
    MessageDefinition definition;
    /// One per parameter, in the order of definition.request: its schema, and its default as the
    /// codec takes it (appendCallRequest() fills in missing trailing arguments with it).
    std::vector<Schema::Field> request;
    const Schema *response = nullptr; ///< never null; the null schema for no response

    const QString &name() const { return definition.name; }
};

/// Finds a message by name; nullptr for a name the protocol does not have.
using MessageLookup = std::function<const MessageSchema *(const QString &name)>;

/// The message with the empty name that the reference client sends with its handshake: no
/// parameters, a null response.
const MessageSchema &handshakeOnlyMessage();

/// The MD5 of a protocol's JSON text: the hash a handshake names it by.
QByteArray protocolHash(const QByteArray &protocolText);
/// The hash the reference client sends before it knows the server's: sixteen spaces.
QByteArray unknownHash();

enum class HandshakeMatch { Both, Client, None };

/// `org.apache.avro.ipc.HandshakeRequest`.
struct HandshakeRequest {
    QByteArray clientHash = unknownHash(); ///< 16 bytes
    std::optional<QString> clientProtocol;
    QByteArray serverHash = unknownHash(); ///< 16 bytes
    std::optional<QVariantMap> meta = QVariantMap(); ///< values are QByteArray
};

/// `org.apache.avro.ipc.HandshakeResponse`.
struct HandshakeResponse {
    HandshakeMatch match = HandshakeMatch::None;
    std::optional<QString> serverProtocol;
    std::optional<QByteArray> serverHash; ///< 16 bytes
    std::optional<QVariantMap> meta;
};

/// The server's rule (yaq-protocol.md): a client that sent no protocol, or named another hash,
/// gets NONE with the protocol and its hash; one that named ours gets BOTH.
HandshakeMatch handshakeMatch(const HandshakeRequest &request, const QByteArray &protocolHash);
/// The response by that rule.
HandshakeResponse answerHandshake(const HandshakeRequest &request, const QByteArray &protocolText,
    const QByteArray &protocolHash);

/// A request as the server decoded it.
struct CallRequest {
    std::optional<HandshakeRequest> handshake; ///< when the request began with one
    QVariantMap meta;
    QString name;
    /// The message by that name, or nullptr for an unknown name: its parameters were skipped
    /// up to the terminator, and the server should answer with an error.
    const MessageSchema *message = nullptr;
    QVariantList args; ///< one per parameter, decoded by its schema
};

/// A response as the client decoded it.
struct CallResponse {
    std::optional<HandshakeResponse> handshake; ///< when the request began with one
    QVariantMap meta;
    std::optional<QString> error; ///< the server's error text, when it answered with one
    QVariant value; ///< the response (invalid for null and on error)
};

// ---- writers ------------------------------------------------------------------------------
// Each appends whole frames in the reference layout; a request or response is built in one
// QByteArray so that it goes out in a single write (see yaq-protocol.md on Nagle). On a value
// that does not fit its schema they throw ProtocolError and leave `out` as it was.

/// One frame holding the handshake record. The call that must follow goes in the same buffer.
void appendHandshakeRequest(QByteArray &out, const HandshakeRequest &handshake);
/// Frames: metadata, the name, one per parameter (missing trailing arguments take their
/// defaults), then the terminator. Throws ProtocolError for too many or missing arguments.
void appendCallRequest(QByteArray &out, const MessageSchema &message, const QVariantList &args,
    const QVariantMap &meta = {});
/// One frame holding the handshake response. The call response follows in the same buffer.
void appendHandshakeResponse(QByteArray &out, const HandshakeResponse &handshake);
/// Frames: metadata, error flag 00, the value by `response` (empty for null), terminator.
void appendCallResponse(
    QByteArray &out, const Schema &response, const QVariant &value, const QVariantMap &meta = {});
/// Frames: metadata, error flag 01, the text as the union ["string"], terminator.
void appendErrorResponse(QByteArray &out, const QString &error, const QVariantMap &meta = {});

// ---- incremental decoders -----------------------------------------------------------------

/// The server's side of a connection: feed it what the client sends; it returns whole
/// requests, decoding across frames as the reference does. A request begins with a handshake
/// while one is expected: on a new connection, and again after a handshake that
/// answerHandshake() answers NONE (Avro IPC: the client must then send its protocol). The
/// decoder applies that rule itself, with the server's protocol hash, so that a request sent
/// right behind a handshake is read correctly before the server has answered.
/// Not thread-safe. After a ProtocolError, drop the connection.
class ServerDecoder {
public:
    ServerDecoder(
        MessageLookup lookup, const QByteArray &protocolHash, const FrameLimits &limits = {});

    /// Throws ProtocolError past FrameLimits.
    void feed(QByteArrayView bytes);
    /// The next whole request, or nothing until more bytes arrive. An empty name resolves to
    /// handshakeOnlyMessage(). Throws ProtocolError for bytes that are not a request.
    std::optional<CallRequest> next();
    bool handshakeExpected() const { return m_expectHandshake; }
    const FrameReader &frames() const { return m_frames; }

private:
    enum class Stage { Handshake, Meta, Name, Parameters, SkipUnknown };
    CallRequest finish();

    MessageLookup m_lookup;
    QByteArray m_protocolHash;
    FrameReader m_frames;
    Stage m_stage = Stage::Handshake;
    bool m_expectHandshake = true;
    CallRequest m_current;
};

/// The client's side: declare each request's response schema as it is sent, feed what the
/// server sends, and take whole responses in order. Not thread-safe. After a ProtocolError,
/// drop the connection.
class ClientDecoder {
public:
    enum class WithHandshake { No, Yes };

    explicit ClientDecoder(const FrameLimits &limits = {});

    /// The next request sent will be answered by a value of `response` (which must outlive
    /// the answer), preceded by a handshake response if the request began with a handshake.
    void expect(const Schema &response, WithHandshake handshake = WithHandshake::No);
    /// Throws ProtocolError past FrameLimits.
    void feed(QByteArrayView bytes);
    /// The next whole response, or nothing until more bytes arrive. Throws ProtocolError for
    /// bytes that are not one, and for bytes when no response is expected.
    std::optional<CallResponse> next();
    /// Responses expected and not yet returned.
    qsizetype pending() const { return qsizetype(m_expected.size()); }

private:
    enum class Stage { Handshake, Meta, Flag, Value };
    struct Expected {
        const Schema *response;
        WithHandshake handshake;
    };

    FrameReader m_frames;
    std::deque<Expected> m_expected;
    Stage m_stage = Stage::Handshake;
    CallResponse m_current;
};

} // namespace Benchtop::Yaq
