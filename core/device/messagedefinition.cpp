// SPDX-License-Identifier: MIT
#include "messagedefinition.h"

#include <QJsonArray>

namespace Benchtop {

QString MessageDefinition::signature() const
{
    QStringList names;
    for (const MessageParameter &p : request)
        names << p.name;
    return names.join(QStringLiteral(", "));
}

qsizetype MessageDefinition::requiredArguments() const
{
    qsizetype count = 0;
    while (count < request.size() && !request[count].hasDefault())
        ++count;
    return count;
}

QJsonObject MessageDefinition::toJson() const
{
    QJsonArray parameters;
    for (const MessageParameter &p : request) {
        QJsonObject object{{QStringLiteral("name"), p.name}, {QStringLiteral("type"), p.type}};
        if (p.hasDefault())
            object.insert(QStringLiteral("default"), p.defaultValue);
        parameters.append(object);
    }
    return {{QStringLiteral("doc"), doc}, {QStringLiteral("origin"), trait},
        {QStringLiteral("request"), parameters}, {QStringLiteral("response"), response}};
}

MessageParameter parameter(
    const QString &name, const QJsonValue &type, const QJsonValue &defaultValue)
{
    return {name, type, defaultValue};
}

QJsonValue avroArray(const QJsonValue &items)
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("array")}, {QStringLiteral("items"), items}};
}

QJsonValue avroMap(const QJsonValue &values)
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("map")}, {QStringLiteral("values"), values}};
}

QJsonValue avroNullable(const QJsonValue &type)
{
    return QJsonArray{QStringLiteral("null"), type};
}

QJsonValue avroType(ValueType type)
{
    switch (type) {
    case ValueType::Bool:
        return QStringLiteral("boolean");
    case ValueType::Int:
        return QStringLiteral("int");
    case ValueType::Double:
        return QStringLiteral("double");
    case ValueType::String:
        return QStringLiteral("string");
    case ValueType::StringList:
        return avroArray(QStringLiteral("string"));
    case ValueType::DoubleList:
        return avroArray(QStringLiteral("double"));
    case ValueType::StringMap:
    case ValueType::Bindings:
        return avroMap(QStringLiteral("string"));
    case ValueType::DoubleMap:
        return avroMap(QStringLiteral("double"));
    case ValueType::Map:
        // Anything a Benchtop value may hold, for a map whose values are of several kinds.
        return avroMap(
            QJsonArray{QStringLiteral("null"), QStringLiteral("boolean"), QStringLiteral("int"),
                QStringLiteral("long"), QStringLiteral("double"), QStringLiteral("string")});
    }
    return QStringLiteral("null");
}

} // namespace Benchtop
