// SPDX-License-Identifier: MIT
#pragma once

#include "messages.h"

#include <QByteArray>
#include <QJsonObject>

#include <map>

namespace Benchtop::Yaq {

/// The key of Benchtop's extension in a protocol document (deviceprotocol.h writes it,
/// remoteprotocol.h reads it), and its version.
inline constexpr auto kExtensionKey = "benchtop";
inline constexpr int kExtensionVersion = 1;

/// A yaq protocol document (.avpr JSON), read once, with what the wire layer needs of it: its
/// text and MD5 (the handshake's), its named `types`, and each message as the document declares
/// it with its parameter and response schemas. Every Avro type of the document is checked here
/// — `types`, messages' parameters and responses, properties' `type` — by the one Avro parser
/// (avroschema.h), so that a higher layer (remoteprotocol.h) reads json() without checking
/// types again; `config` and `state` are not (yaq daemons repeat named types there).
/// Read-only once built, so it may be shared between threads; neither copyable nor movable
/// (messages point into its schemas).
class ProtocolDocument {
public:
    /// Parses `text` as a yaq daemon sends it (JSON as Python writes it, pythonjson.h). Throws
    /// SchemaError naming what was wrong and where
    /// (`messages.set_position.request[0].type: unknown type "dubble"`).
    explicit ProtocolDocument(const QByteArray &text);
    /// The document `json`, already built (a server's own, deviceprotocol.h); its text is
    /// canonicalText(json). Throws SchemaError as above.
    explicit ProtocolDocument(QJsonObject json);
    ProtocolDocument(const ProtocolDocument &) = delete;
    ProtocolDocument &operator=(const ProtocolDocument &) = delete;

    const QByteArray &text() const { return m_text; }
    const QByteArray &hash() const { return m_hash; }
    const QJsonObject &json() const { return m_json; }
    /// The `protocol` name (the daemon kind).
    QString name() const;
    const SchemaSet &schemas() const { return m_schemas; }
    /// The message `name`, or nullptr. Fits MessageLookup.
    const MessageSchema *message(const QString &name) const;
    const std::map<QString, MessageSchema> &messages() const { return m_messages; }

private:
    void read();
    void readMessage(const QString &name, const QJsonValue &value);

    QByteArray m_text;
    QByteArray m_hash;
    QJsonObject m_json;
    SchemaSet m_schemas;
    std::map<QString, MessageSchema> m_messages;
};

} // namespace Benchtop::Yaq
