// SPDX-License-Identifier: MIT
#include "protocoldocument.h"

#include "remoteprotocol.h"
#include "yaqerror.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Benchtop::Yaq {

ProtocolDocument::ProtocolDocument(const QByteArray &text)
    : m_text(text)
    , m_hash(protocolHash(text))
{
    // Python's json, which yaq daemons write with, has NaN and Infinity; so do our documents.
    QString error;
    std::optional<QJsonObject> document = parseProtocolJson(text, &error);
    if (!document)
        throw SchemaError(QStringLiteral("protocol: %1").arg(error));
    m_json = std::move(*document);
    m_schemas.parseTypes(m_json.value(QLatin1String("types")));

    const QJsonValue messages = m_json.value(QLatin1String("messages"));
    if (!messages.isUndefined() && !messages.isObject())
        throw SchemaError(QStringLiteral("messages: must be an object"));
    const QJsonObject object = messages.toObject();
    int wrappers = 0;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString where = QStringLiteral("messages.") + it.key();
        if (!it.value().isObject())
            throw SchemaError(where + QStringLiteral(": must be an object"));
        const QJsonObject definition = it.value().toObject();
        MessageSchema message;
        message.name = it.key();
        const QJsonValue request = definition.value(QLatin1String("request"));
        if (!request.isUndefined() && !request.isArray())
            throw SchemaError(where + QStringLiteral(".request: must be an array"));
        const QJsonArray parameters = request.toArray();
        for (qsizetype i = 0; i < parameters.size(); ++i) {
            const QString at = QStringLiteral("%1.request[%2]").arg(where).arg(i);
            // A parameter is a record field in Avro's terms; parse it as one, to share the
            // checks and the conversion of its default.
            const Schema &wrapper = m_schemas.parse(
                QJsonObject{{QStringLiteral("type"), QStringLiteral("record")},
                    {QStringLiteral("name"), QStringLiteral("__request%1").arg(wrappers++)},
                    {QStringLiteral("fields"), QJsonArray{parameters.at(i)}}},
                at);
            const Schema::Field &parsed = wrapper.fields.front();
            message.request.push_back({parsed.name, parsed.schema, parsed.defaultValue});
        }
        const QJsonValue response = definition.value(QLatin1String("response"));
        message.response = response.isUndefined()
            ? &SchemaSet::primitive(Schema::Type::Null)
            : &m_schemas.parse(response, where + QStringLiteral(".response"));
        m_messages.emplace(message.name, std::move(message));
    }
}

QString ProtocolDocument::name() const
{
    return m_json.value(QLatin1String("protocol")).toString();
}

const MessageSchema *ProtocolDocument::message(const QString &name) const
{
    const auto it = m_messages.find(name);
    return it == m_messages.end() ? nullptr : &it->second;
}

} // namespace Benchtop::Yaq
