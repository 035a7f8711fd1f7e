// SPDX-License-Identifier: MIT
#include "protocoldocument.h"

#include "jsonpath.h"
#include "pythonjson.h"
#include "yaqerror.h"

#include <QJsonArray>
#include <QLoggingCategory>

namespace Benchtop::Yaq {

// At debug level it says each time a document is parsed from text: a connection reads its
// daemon's document once, and a server never reads its own (tst_yaqloopback counts them).
Q_LOGGING_CATEGORY(lcDocument, "benchtop.yaq.document", QtInfoMsg)

namespace {

QString optionalString(const QJsonObject &object, const char *key, const QString &where)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        return {};
    if (!value.isString())
        failAt(where,
            QStringLiteral("\"%1\" must be a string, not %2")
                .arg(QLatin1String(key), describeJson(value)));
    return value.toString();
}

// A top-level section that must be an object when present.
QJsonObject section(const QJsonObject &document, const char *key)
{
    const QJsonValue value = document.value(QLatin1String(key));
    if (value.isUndefined())
        return {};
    if (!value.isObject())
        failAt(QString(),
            QStringLiteral("\"%1\" must be an object, not %2")
                .arg(QLatin1String(key), describeJson(value)));
    return value.toObject();
}

} // namespace

ProtocolDocument::ProtocolDocument(const QByteArray &text)
    : m_text(text)
    , m_hash(protocolHash(text))
{
    qCDebug(lcDocument, "parsing a protocol document of %lld bytes", qlonglong(text.size()));
    QString error;
    std::optional<QJsonObject> document = parseProtocolJson(text, &error);
    if (!document)
        throw SchemaError(error);
    m_json = std::move(*document);
    read();
}

ProtocolDocument::ProtocolDocument(QJsonObject json)
    : m_text(canonicalText(json))
    , m_hash(protocolHash(m_text))
    , m_json(std::move(json))
{
    read();
}

void ProtocolDocument::read()
{
    const QJsonValue types = m_json.value(QLatin1String("types"));
    if (!types.isUndefined() && !types.isNull() && !types.isArray())
        failAt(QString(),
            QStringLiteral("\"types\" must be a list of named types, not %1")
                .arg(describeJson(types)));
    m_schemas.parseTypes(types);

    const QJsonObject messages = section(m_json, "messages");
    for (auto it = messages.begin(); it != messages.end(); ++it)
        readMessage(it.key(), it.value());

    // Properties are read by higher layers; their types are checked here with the others.
    const QJsonObject properties = section(m_json, "properties");
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString where = memberPath(QStringLiteral("properties"), it.key());
        if (!it.value().isObject())
            failAt(
                where, QStringLiteral("must be an object, not %1").arg(describeJson(it.value())));
        const QJsonValue type = it.value().toObject().value(QLatin1String("type"));
        if (type.isUndefined())
            failAt(where, QStringLiteral("\"type\" is missing"));
        m_schemas.parse(type, memberPath(where, QStringLiteral("type")));
    }
}

void ProtocolDocument::readMessage(const QString &name, const QJsonValue &value)
{
    if (name.isEmpty())
        failAt(QStringLiteral("messages"), QStringLiteral("a message has an empty name"));
    const QString where = memberPath(QStringLiteral("messages"), name);
    if (!value.isObject())
        failAt(where, QStringLiteral("must be an object, not %1").arg(describeJson(value)));
    const QJsonObject object = value.toObject();

    MessageSchema message;
    MessageDefinition &definition = message.definition;
    definition.name = name;
    definition.doc = optionalString(object, "doc", where);
    definition.trait = optionalString(object, "origin", where);

    // Old daemons leave out request and response, or write null: no parameters, no response.
    const QJsonValue request = object.value(QLatin1String("request"));
    if (!request.isUndefined() && !request.isNull()) {
        if (!request.isArray())
            failAt(where,
                QStringLiteral("\"request\" must be a list of parameters, not %1")
                    .arg(describeJson(request)));
        const QJsonArray parameters = request.toArray();
        message.request
            = m_schemas.parseParameters(parameters, memberPath(where, QStringLiteral("request")));
        for (qsizetype i = 0; i < parameters.size(); ++i) {
            const QJsonObject declared = parameters.at(i).toObject();
            definition.request << parameter(message.request[std::size_t(i)].name,
                declared.value(QLatin1String("type")), declared.value(QLatin1String("default")));
        }
    }
    const QJsonValue response = object.value(QLatin1String("response"));
    if (response.isUndefined() || response.isNull()) {
        message.response = &SchemaSet::primitive(Schema::Type::Null);
    } else {
        message.response
            = &m_schemas.parse(response, memberPath(where, QStringLiteral("response")));
        definition.response = response;
    }
    m_messages.emplace(name, std::move(message));
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
