// SPDX-License-Identifier: MIT
#include "remoteprotocol.h"

#include <yaq/wire/jsonpath.h>
#include <yaq/wire/protocoldocument.h>

#include <device/diagnostics.h>
#include <device/messagetable.h>

#include <QJsonDocument>

namespace Benchtop::Yaq {

namespace {

QString stringMember(const QJsonObject &object, const char *key, const QString &where,
    bool required, bool nonEmpty = false)
{
    const QJsonValue value = object.value(QLatin1String(key));
    const QString name = quoted(QLatin1String(key));
    if (value.isUndefined()) {
        if (required)
            failAt(where, name + QLatin1String(" is missing"));
        return {};
    }
    if (!value.isString())
        failAt(where, QStringLiteral("%1 must be a string, not %2").arg(name, describeJson(value)));
    if (nonEmpty && value.toString().isEmpty())
        failAt(where, QStringLiteral("%1 must not be empty").arg(name));
    return value.toString();
}

QJsonObject objectMember(
    const QJsonObject &object, const char *key, const QString &where, bool required)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined()) {
        if (required)
            failAt(where, quoted(QLatin1String(key)) + QLatin1String(" is missing"));
        return {};
    }
    if (!value.isObject()) {
        failAt(where,
            QStringLiteral("%1 must be an object, not %2")
                .arg(quoted(QLatin1String(key)), describeJson(value)));
    }
    return value.toObject();
}

// A getter-like member: absent or null gives "", a string must name a message of the document.
QString messageMember(const QJsonObject &object, const char *key, const QString &where,
    const RemoteProtocol &protocol, bool required)
{
    const QJsonValue value = object.value(QLatin1String(key));
    const QString name = quoted(QLatin1String(key));
    if (value.isUndefined() || value.isNull()) {
        if (required)
            failAt(where, name + QLatin1String(" is missing"));
        return {};
    }
    if (!value.isString())
        failAt(where,
            QStringLiteral("%1 must be a message name or null, not %2")
                .arg(name, describeJson(value)));
    const QString message = value.toString();
    if (message.isEmpty() && !required)
        return {};
    if (!protocol.messages.contains(message))
        failAt(where,
            QStringLiteral("%1 %2 is not a message of the document").arg(name, quoted(message)));
    return message;
}

ControlKind controlKindMember(const QJsonObject &object, const QString &where)
{
    const QJsonValue value = object.value(QLatin1String("control_kind"));
    if (value.isUndefined() || value.isNull())
        return ControlKind::Normal;
    for (ControlKind kind : {ControlKind::Hinted, ControlKind::Normal, ControlKind::Omitted}) {
        if (value == QJsonValue(toString(kind)))
            return kind;
    }
    failAt(where, QStringLiteral("\"control_kind\" must be \"hinted\", \"normal\" or \"omitted\""));
}

bool boolMember(const QJsonObject &object, const char *key, const QString &where, bool fallback)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool())
        failAt(where,
            QStringLiteral("%1 must be true or false, not %2")
                .arg(quoted(QLatin1String(key)), describeJson(value)));
    return value.toBool();
}

std::optional<RemoteProperty> parseYaqProperty(
    const QString &name, const QJsonValue &value, const QString &where, RemoteProtocol &protocol)
{
    // The document has checked that it is an object and its type.
    const QJsonObject object = value.toObject();
    const QJsonValue type = object.value(QLatin1String("type"));

    RemoteProperty property;
    property.info.name = name;
    property.info.getter = messageMember(object, "getter", where, protocol, true);
    property.info.setter = messageMember(object, "setter", where, protocol, false);
    property.unitsGetter = messageMember(object, "units_getter", where, protocol, false);
    property.limitsGetter = messageMember(object, "limits_getter", where, protocol, false);
    property.optionsGetter = messageMember(object, "options_getter", where, protocol, false);
    property.info.controlKind = controlKindMember(object, where);
    property.info.dynamic = boolMember(object, "dynamic", where, true);
    property.recordKind = stringMember(object, "record_kind", where, false);
    property.info.stateKey = name;

    const std::optional<ValueTypeOfAvro> valueType = valueTypeOfAvro(type, protocol.types);
    if (!valueType) {
        protocol.warnings << QStringLiteral("%1: left out: Benchtop cannot show a value of type %2")
                                 .arg(where,
                                     QString::fromUtf8(QJsonDocument(QJsonArray{type})
                                                           .toJson(QJsonDocument::Compact)
                                                           .chopped(1)
                                                           .mid(1)));
        return std::nullopt;
    }
    property.info.type = valueType->type;
    property.info.options = valueType->options;
    return property;
}

RemoteProperty parseExtensionProperty(
    const QJsonValue &value, const QString &where, const QJsonObject &yaqProperties)
{
    if (!value.isObject())
        failAt(where, QStringLiteral("must be an object, not %1").arg(describeJson(value)));
    const QJsonObject object = value.toObject();
    RemoteProperty property;
    PropertyInfo &info = property.info;
    info.name = stringMember(object, "name", where, true, true);
    const QString typeName = stringMember(object, "value_type", where, true);
    const std::optional<ValueType> type = valueTypeFromString(typeName);
    if (!type)
        failAt(where, QStringLiteral("unknown \"value_type\" %1").arg(quoted(typeName)));
    info.type = *type;
    // The extension lists every property of the device, also those whose getter the document's
    // messages leave out (yaq-protocol-document.md), so its getter and setter need only be names.
    info.getter = stringMember(object, "getter", where, true, true);
    const QJsonValue setter = object.value(QLatin1String("setter"));
    if (!setter.isUndefined() && !setter.isNull() && !setter.isString())
        failAt(where,
            QStringLiteral("\"setter\" must be a message name or null, not %1")
                .arg(describeJson(setter)));
    info.setter = setter.toString();
    info.stateKey = stringMember(object, "state_key", where, false);
    info.units = stringMember(object, "units", where, false);
    info.controlKind = controlKindMember(object, where);
    info.dynamic = boolMember(object, "dynamic", where, true);
    property.recordKind = stringMember(object, "record_kind", where, false);

    const QJsonValue argument = object.value(QLatin1String("argument"));
    if (!argument.isUndefined())
        info.argument = argument.toVariant();

    const QJsonValue limits = object.value(QLatin1String("limits"));
    if (!limits.isUndefined() && !limits.isNull()) {
        const QJsonArray pair = limits.toArray();
        if (!limits.isArray() || pair.size() != 2 || !pair.at(0).isDouble()
            || !pair.at(1).isDouble())
            failAt(where, QStringLiteral("\"limits\" must be [lower, upper] or null"));
        info.limits = Limits{pair.at(0).toDouble(), pair.at(1).toDouble()};
    }
    const QJsonValue options = object.value(QLatin1String("options"));
    if (!options.isUndefined() && !options.isNull()) {
        if (!options.isArray())
            failAt(where, QStringLiteral("\"options\" must be a list of strings"));
        for (const QJsonValue &option : options.toArray()) {
            if (!option.isString())
                failAt(where, QStringLiteral("\"options\" must be a list of strings"));
            info.options << option.toString();
        }
    }
    // The getters of its units, limits and options, when it is also a yaq property.
    const QJsonObject yaq = yaqProperties.value(info.name).toObject();
    if (yaq.value(QLatin1String("getter")) == QJsonValue(info.getter) && !info.argument.isValid()) {
        property.unitsGetter = yaq.value(QLatin1String("units_getter")).toString();
        property.limitsGetter = yaq.value(QLatin1String("limits_getter")).toString();
        property.optionsGetter = yaq.value(QLatin1String("options_getter")).toString();
    }
    return property;
}

RemoteProtocol read(const ProtocolDocument &protocolDocument)
{
    const QJsonObject &document = protocolDocument.json();
    const QString top;
    RemoteProtocol protocol;
    protocol.kind = stringMember(document, "protocol", top, true, true);
    protocol.doc = stringMember(document, "doc", top, false);

    const QJsonValue traits = document.value(QLatin1String("traits"));
    if (!traits.isUndefined()) {
        if (!traits.isArray())
            failAt(top,
                QStringLiteral("\"traits\" must be a list of trait names, not %1")
                    .arg(describeJson(traits)));
        const QJsonArray list = traits.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (!list.at(i).isString())
                failAt(elementPath(QStringLiteral("traits"), i),
                    QStringLiteral("must be a string, not %1").arg(describeJson(list.at(i))));
            protocol.traits << list.at(i).toString();
        }
    }
    protocol.types = document.value(QLatin1String("types")).toArray();

    // The document has read the messages; a trait's message takes its effect and awaited
    // answer from the message table.
    if (!document.contains(QLatin1String("messages")))
        failAt(top, QStringLiteral("\"messages\" is missing"));
    for (const auto &[name, schema] : protocolDocument.messages()) {
        MessageDefinition message = schema.definition;
        if (const TraitMessage *known = traitMessage(name)) {
            message.effect = known->definition.effect;
            message.onceIdle = known->definition.onceIdle;
        }
        protocol.messages.insert(name, std::move(message));
    }

    for (const char *section : {"config", "state"}) {
        const QJsonObject fields = objectMember(document, section, top, false);
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            if (!it.value().isObject()) {
                failAt(memberPath(QLatin1String(section), it.key()),
                    QStringLiteral("must be an object, not %1").arg(describeJson(it.value())));
            }
        }
        (section == QLatin1String("config") ? protocol.config : protocol.state) = fields;
    }

    const QJsonObject properties = objectMember(document, "properties", top, false);
    QList<RemoteProperty> yaqProperties;
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString where = memberPath(QStringLiteral("properties"), it.key());
        if (std::optional<RemoteProperty> property
            = parseYaqProperty(it.key(), it.value(), where, protocol))
            yaqProperties << *property;
    }

    const QJsonValue extension = document.value(QLatin1String(kExtensionKey));
    const QString at = QLatin1String(kExtensionKey);
    if (extension.isUndefined()) {
        protocol.properties = yaqProperties;
        return protocol;
    }
    if (!extension.isObject())
        failAt(top,
            QStringLiteral("%1 must be an object, not %2")
                .arg(quoted(at), describeJson(extension)));
    const QJsonObject object = extension.toObject();
    const QJsonValue version = object.value(QLatin1String("version"));
    if (version != QJsonValue(kExtensionVersion)) {
        // A later Benchtop's extension: the yaq part is still good.
        protocol.warnings << QStringLiteral("%1: version %2 is not %3; its extension was ignored")
                                 .arg(at,
                                     version.isDouble() ? QString::number(version.toDouble())
                                                        : describeJson(version))
                                 .arg(kExtensionVersion);
        protocol.properties = yaqProperties;
        return protocol;
    }
    const QJsonValue list = object.value(QLatin1String("properties"));
    if (!list.isArray())
        failAt(at, QStringLiteral("\"properties\" must be a list, not %1").arg(describeJson(list)));
    const QJsonArray entries = list.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        protocol.properties << parseExtensionProperty(
            entries.at(i), elementPath(at + QLatin1String(".properties"), i), properties);
    }
    return protocol;
}

} // namespace

QList<PropertyInfo> RemoteProtocol::propertyInfos() const
{
    QList<PropertyInfo> infos;
    for (const RemoteProperty &property : properties)
        infos << property.info;
    return infos;
}

RemoteProtocol RemoteProtocol::fromDocument(const ProtocolDocument &document)
{
    return read(document);
}

} // namespace Benchtop::Yaq
