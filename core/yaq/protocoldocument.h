// SPDX-License-Identifier: MIT
#pragma once

#include "messages.h"

#include <QByteArray>
#include <QJsonObject>

#include <map>

namespace Benchtop::Yaq {

/// A yaq protocol document (.avpr JSON) with what the wire layer needs of it: its text and
/// MD5 (the handshake's), its named `types` and each message's parameter and response schemas.
/// The rest (`traits`, `properties`, `config`, `state`) stays in json() for higher layers.
/// Read-only once built; neither copyable nor movable (messages point into its schemas).
class ProtocolDocument {
public:
    /// Parses `text`. Throws SchemaError naming what was wrong and where
    /// (`messages.set_position.request[0].type: unknown type "dubble"`).
    explicit ProtocolDocument(const QByteArray &text);
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
    QByteArray m_text;
    QByteArray m_hash;
    QJsonObject m_json;
    SchemaSet m_schemas;
    std::map<QString, MessageSchema> m_messages;
};

} // namespace Benchtop::Yaq
