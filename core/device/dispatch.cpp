// SPDX-License-Identifier: MIT
#include "dispatch.h"

#include "device.h"
#include "deviceerror.h"
#include "forwarding.h"
#include "messagetable.h"
#include "traits.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace Benchtop {

namespace {

/// How a type is named in errors (these names are what callers have been told since ABI 1).
QString typeName(const QJsonValue &type)
{
    if (type.isArray()) {
        QStringList names;
        for (const QJsonValue &branch : type.toArray()) {
            if (branch.toString() != QLatin1String("null"))
                names << typeName(branch);
        }
        return names.join(QStringLiteral(" or "));
    }
    if (type.isObject()) {
        const QString kind = type.toObject().value(QLatin1String("type")).toString();
        if (kind == QLatin1String("array"))
            return QStringLiteral("a list");
        if (kind == QLatin1String("map"))
            return QStringLiteral("a map");
        return kind;
    }
    const QString name = type.toString();
    if (name == QLatin1String("boolean"))
        return QStringLiteral("bool");
    if (name == QLatin1String("string"))
        return QStringLiteral("QString");
    if (name == QLatin1String("long"))
        return QStringLiteral("qlonglong");
    return name;
}

bool isNumber(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::Bool: // true is 1, as yaq's Python clients send it
        return true;
    default:
        return false;
    }
}

/// `value` as Avro type `type`, or nullopt. Strings are never taken for numbers or booleans:
/// "5" for a position is a caller's bug.
std::optional<QVariant> converted(const QVariant &value, const QJsonValue &type)
{
    if (type.isArray()) { // a union: null, or the first branch that takes it
        const QJsonArray branches = type.toArray();
        for (const QJsonValue &branch : branches) {
            if (branch.toString() == QLatin1String("null")) {
                if (value.isNull())
                    return QVariant();
                continue;
            }
            if (std::optional<QVariant> result = converted(value, branch))
                return result;
        }
        return std::nullopt;
    }
    if (type.isObject()) {
        const QJsonObject object = type.toObject();
        const QString kind = object.value(QLatin1String("type")).toString();
        if (kind == QLatin1String("array")) {
            if (value.typeId() != QMetaType::QVariantList
                && value.typeId() != QMetaType::QStringList)
                return std::nullopt;
            QVariantList items;
            for (const QVariant &item : value.toList()) {
                std::optional<QVariant> each
                    = converted(item, object.value(QLatin1String("items")));
                if (!each)
                    return std::nullopt;
                items << *each;
            }
            return QVariant(items);
        }
        if (kind == QLatin1String("map")) {
            if (value.typeId() != QMetaType::QVariantMap)
                return std::nullopt;
            QVariantMap entries;
            const QVariantMap map = value.toMap();
            for (auto it = map.cbegin(); it != map.cend(); ++it) {
                std::optional<QVariant> each
                    = converted(*it, object.value(QLatin1String("values")));
                if (!each)
                    return std::nullopt;
                entries.insert(it.key(), *each);
            }
            return QVariant(entries);
        }
        return converted(value, object.value(QLatin1String("type")));
    }
    const QString name = type.toString();
    if (name == QLatin1String("double") || name == QLatin1String("float")) {
        if (!isNumber(value))
            return std::nullopt;
        return QVariant(value.toDouble());
    }
    if (name == QLatin1String("int") || name == QLatin1String("long")) {
        if (!isNumber(value))
            return std::nullopt;
        const double x = value.toDouble();
        if (x != std::trunc(x) || std::abs(x) > 9.0e15)
            return std::nullopt;
        return name == QLatin1String("int") ? QVariant(value.toInt())
                                            : QVariant(value.toLongLong());
    }
    if (name == QLatin1String("boolean")) {
        if (!isNumber(value))
            return std::nullopt;
        return QVariant(value.toBool());
    }
    if (name == QLatin1String("string")) {
        if (value.typeId() != QMetaType::QString)
            return std::nullopt;
        return value;
    }
    if (name == QLatin1String("null"))
        return value.isNull() ? std::optional<QVariant>(QVariant()) : std::nullopt;
    return value; // a named type (ndarray, an enum): the wire layer checked it
}

QVariant run(
    Device &device, const MessageDefinition &definition, const QVariantList &args, auto &&call)
{
    const QVariantList checked = checkedArguments(device.name(), definition, args);
    if (definition.effect == Effect::Acts)
        device.ensureReady();
    return call(checked);
}

const PropertyInfo *declaredGetter(const Device &device, const QString &message)
{
    for (const PropertyInfo &value : device.declaredValues()) {
        if (value.getter == message)
            return &value;
    }
    return nullptr;
}

MessageDefinition getterDefinition(const Device &device, const PropertyInfo &value)
{
    MessageDefinition definition;
    definition.name = value.getter;
    definition.trait = device.kind();
    definition.response = avroType(value.type);
    definition.doc
        = value.doc.isEmpty() ? QStringLiteral("The value %1.").arg(value.name) : value.doc;
    return definition;
}

} // namespace

QVariantList checkedArguments(
    const QString &device, const MessageDefinition &definition, const QVariantList &args)
{
    const qsizetype total = definition.request.size();
    if (args.size() > total || args.size() < definition.requiredArguments()) {
        throw DeviceError(QStringLiteral("%1: %2 takes %3 (%4), got %5")
                              .arg(device, definition.name)
                              .arg(total)
                              .arg(definition.signature())
                              .arg(args.size()));
    }
    QVariantList result;
    result.reserve(total);
    for (qsizetype i = 0; i < total; ++i) {
        const MessageParameter &parameter = definition.request[i];
        if (i >= args.size()) {
            result << parameter.defaultValue.toVariant();
            continue;
        }
        std::optional<QVariant> value = converted(args[i], parameter.type);
        if (!value) {
            const char *given = args[i].typeName();
            throw DeviceError(
                QStringLiteral("%1: %2: argument %3 must be %4, not %5")
                    .arg(device, definition.name, parameter.name, typeName(parameter.type),
                        QLatin1String(given ? given : "null")));
        }
        result << *value;
    }
    return result;
}

QVariant invoke(Device &device, const QString &message, const QVariantList &args)
{
    if (forwardingOf(&device)) {
        throw DeviceError(QStringLiteral("%1: %2 is answered by a remote peer: call it through the "
                                         "device host or a handle, which await it")
                              .arg(device.name(), message));
    }
    if (const TraitMessage *entry = traitMessage(message);
        entry && entry->call && device.hasTrait(entry->trait)) {
        return run(device, entry->definition, args,
            [&](const QVariantList &checked) { return entry->call(device, checked); });
    }
    if (const PropertyInfo *value = declaredGetter(device, message)) {
        return run(device, getterDefinition(device, *value), args,
            [&](const QVariantList &) { return valueAt(device.values(), value->stateKey); });
    }
    const QList<MessageDefinition> own = device.ownMessages();
    for (const MessageDefinition &definition : own) {
        if (definition.name == message) {
            return run(device, definition, args,
                [&](const QVariantList &checked) { return device.invokeOwn(message, checked); });
        }
    }
    throw UnknownMessage(
        QStringLiteral("%1 (%2) has no message %3").arg(device.name(), device.kind(), message));
}

QList<MessageDefinition> messageDefinitions(const Device &device)
{
    QList<MessageDefinition> result;
    if (const ForwardsMessages *remote = forwardingOf(&device)) {
        result = remote->forwardedMessages();
        std::sort(result.begin(), result.end(),
            [](const MessageDefinition &a, const MessageDefinition &b) { return a.name < b.name; });
        return result;
    }
    for (const TraitMessage &entry : traitMessages()) {
        if (entry.call && device.hasTrait(entry.trait))
            result << entry.definition;
    }
    for (const PropertyInfo &value : device.declaredValues())
        result << getterDefinition(device, value);
    result << device.ownMessages();
    std::sort(result.begin(), result.end(),
        [](const MessageDefinition &a, const MessageDefinition &b) { return a.name < b.name; });
    return result;
}

QStringList messagesOf(const Device &device)
{
    QStringList names;
    for (const MessageDefinition &definition : messageDefinitions(device))
        names << definition.name;
    return names;
}

std::optional<MessageDefinition> messageDefinition(const Device &device, const QString &message)
{
    if (const ForwardsMessages *remote = forwardingOf(&device)) {
        for (const MessageDefinition &definition : remote->forwardedMessages()) {
            if (definition.name == message)
                return definition;
        }
        return std::nullopt;
    }
    if (const TraitMessage *entry = traitMessage(message);
        entry && entry->call && device.hasTrait(entry->trait))
        return entry->definition;
    if (const PropertyInfo *value = declaredGetter(device, message))
        return getterDefinition(device, *value);
    for (const MessageDefinition &definition : device.ownMessages()) {
        if (definition.name == message)
            return definition;
    }
    return std::nullopt;
}

} // namespace Benchtop
