// SPDX-License-Identifier: MIT
#include "messagedefinition.h"

#include <QJsonArray>

#include <algorithm>

namespace Benchtop {

namespace {

// A named type that refers to itself would recurse without end; the yaq reader's checks
// (core/yaq/avroschema.h) bound a type's nesting at the same depth.
constexpr int kMaxAvroDepth = 32;

bool isNumeric(const QString &name)
{
    return name == QLatin1String("int") || name == QLatin1String("long")
        || name == QLatin1String("float") || name == QLatin1String("double");
}

std::optional<ValueTypeOfAvro> valueTypeOf(
    const QJsonValue &type, const QJsonArray &types, int depth);

// A named type, looked up in `types`.
QJsonValue resolve(const QString &name, const QJsonArray &types)
{
    for (const QJsonValue &t : types) {
        if (t.toObject().value(QLatin1String("name")).toString() == name)
            return t;
    }
    return {};
}

// What one element of a list or map is: string-like, number-like or neither.
enum class ElementKind { String, Number, Other };

ElementKind elementKind(const QJsonValue &type, const QJsonArray &types, int depth)
{
    const std::optional<ValueTypeOfAvro> element = valueTypeOf(type, types, depth + 1);
    if (!element)
        return ElementKind::Other;
    if (element->type == ValueType::String)
        return ElementKind::String;
    if (element->type == ValueType::Double || element->type == ValueType::Int)
        return ElementKind::Number;
    return ElementKind::Other;
}

std::optional<ValueTypeOfAvro> valueTypeOf(
    const QJsonValue &type, const QJsonArray &types, int depth)
{
    if (depth > kMaxAvroDepth)
        return std::nullopt; // a named type that refers to itself
    if (type.isString()) {
        const QString name = type.toString();
        if (name == QLatin1String("boolean"))
            return ValueTypeOfAvro{ValueType::Bool, {}};
        if (name == QLatin1String("int") || name == QLatin1String("long"))
            return ValueTypeOfAvro{ValueType::Int, {}};
        if (name == QLatin1String("float") || name == QLatin1String("double"))
            return ValueTypeOfAvro{ValueType::Double, {}};
        if (name == QLatin1String("string"))
            return ValueTypeOfAvro{ValueType::String, {}};
        if (name == QLatin1String("null") || name == QLatin1String("bytes"))
            return std::nullopt;
        const QJsonValue named = resolve(name, types);
        return named.isObject() ? valueTypeOf(named, types, depth + 1) : std::nullopt;
    }
    if (type.isArray()) {
        // A union: ["null", X] is X that may be missing; numbers only is a number.
        QJsonArray others;
        for (const QJsonValue &branch : type.toArray()) {
            if (branch != QJsonValue(QStringLiteral("null")))
                others.append(branch);
        }
        if (others.size() == 1)
            return valueTypeOf(others.at(0), types, depth + 1);
        const bool numbers = !others.isEmpty()
            && std::all_of(others.begin(), others.end(),
                [](const QJsonValue &b) { return b.isString() && isNumeric(b.toString()); });
        if (numbers)
            return ValueTypeOfAvro{ValueType::Double, {}};
        return std::nullopt;
    }
    const QJsonObject object = type.toObject();
    const QJsonValue kind = object.value(QLatin1String("type"));
    if (!kind.isString())
        return kind.isUndefined() ? std::nullopt : valueTypeOf(kind, types, depth + 1);
    const QString name = kind.toString();
    if (name == QLatin1String("enum")) {
        QStringList symbols;
        for (const QJsonValue &s : object.value(QLatin1String("symbols")).toArray())
            symbols << s.toString();
        return ValueTypeOfAvro{ValueType::String, symbols};
    }
    if (name == QLatin1String("array")) {
        switch (elementKind(object.value(QLatin1String("items")), types, depth)) {
        case ElementKind::String:
            return ValueTypeOfAvro{ValueType::StringList, {}};
        case ElementKind::Number:
            return ValueTypeOfAvro{ValueType::DoubleList, {}};
        case ElementKind::Other:
            return std::nullopt;
        }
    }
    if (name == QLatin1String("map")) {
        switch (elementKind(object.value(QLatin1String("values")), types, depth)) {
        case ElementKind::String:
            return ValueTypeOfAvro{ValueType::StringMap, {}};
        case ElementKind::Number:
            return ValueTypeOfAvro{ValueType::DoubleMap, {}};
        case ElementKind::Other:
            return ValueTypeOfAvro{ValueType::Map, {}};
        }
    }
    if (name == QLatin1String("record")) {
        const bool ndarray
            = object.value(QLatin1String("logicalType")) == QJsonValue(QStringLiteral("ndarray"))
            || object.value(QLatin1String("name")) == QJsonValue(QStringLiteral("ndarray"));
        return ndarray ? std::optional(ValueTypeOfAvro{ValueType::DoubleList, {}}) : std::nullopt;
    }
    return valueTypeOf(kind, types, depth + 1); // {"type": "int"}
}

} // namespace

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

std::optional<ValueTypeOfAvro> valueTypeOfAvro(const QJsonValue &type, const QJsonArray &types)
{
    return valueTypeOf(type, types, 0);
}

} // namespace Benchtop
