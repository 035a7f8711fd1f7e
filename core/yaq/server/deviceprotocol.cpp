// SPDX-License-Identifier: MIT
#include "deviceprotocol.h"

#include <yaq/wire/protocoldocument.h>

#include <device/device.h>
#include <device/dispatch.h>
#include <device/messagetable.h>
#include <device/traits.h>
#include <plugins/driverinfo.h>

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <limits>

namespace Benchtop::Yaq {

namespace {

// Anything a Benchtop value may hold, for a list or map whose values are of several kinds.
QJsonValue anyScalar()
{
    return QJsonArray{QStringLiteral("null"), QStringLiteral("boolean"), QStringLiteral("int"),
        QStringLiteral("long"), QStringLiteral("double"), QStringLiteral("string")};
}

bool isAvroName(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return pattern.match(text).hasMatch();
}

bool isIntegerType(int typeId)
{
    switch (typeId) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Long:
    case QMetaType::ULong:
        return true;
    default:
        return false;
    }
}

QJsonValue scalarAvroType(const QVariant &value)
{
    const int type = value.typeId();
    if (!value.isValid() || value.isNull())
        return QStringLiteral("null");
    if (type == QMetaType::Bool)
        return QStringLiteral("boolean");
    if (isIntegerType(type)) {
        const qlonglong n = value.toLongLong();
        const bool fits
            = n >= std::numeric_limits<qint32>::min() && n <= std::numeric_limits<qint32>::max();
        return fits ? QStringLiteral("int") : QStringLiteral("long");
    }
    if (type == QMetaType::Double || type == QMetaType::Float)
        return QStringLiteral("double");
    if (type == QMetaType::QString)
        return QStringLiteral("string");
    return QJsonValue(QJsonValue::Undefined); // not a scalar
}

// The items (or values) type of a list (or map) of `values`: one type when they all have it.
QJsonValue elementAvroType(const QVariantList &values)
{
    if (values.isEmpty())
        return QStringLiteral("string");
    QJsonValue common;
    for (const QVariant &value : values) {
        QJsonValue type = scalarAvroType(value);
        if (type == QJsonValue(QStringLiteral("int")) || type == QJsonValue(QStringLiteral("long")))
            type = QStringLiteral("double"); // a TOML array of numbers: [0, 2.5] is array<double>
        if (type.isUndefined() || (!common.isNull() && common != type))
            return anyScalar();
        common = type;
    }
    return common;
}

// The Avro type of a value whose schema is unknown (a config key without DriverInfo, a state key).
QJsonValue inferredAvroType(const QVariant &value)
{
    const QJsonValue scalar = scalarAvroType(value);
    if (!scalar.isUndefined())
        return scalar;
    if (value.canConvert<QVariantList>() && value.typeId() != QMetaType::QVariantMap)
        return avroArray(elementAvroType(value.toList()));
    if (value.typeId() == QMetaType::QVariantMap)
        return avroMap(elementAvroType(value.toMap().values()));
    return anyScalar();
}

QJsonValue jsonValue(const QVariant &value)
{
    return value.isValid() ? QJsonValue::fromVariant(value) : QJsonValue();
}

QJsonValue limitsValue(const Limits &limits)
{
    return QJsonArray{limits.lower, limits.upper};
}

QJsonValue nullableString(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

// Config keys a trait defines (yaq's "origin").
QString configOrigin(const QString &key, const QStringList &traits)
{
    const QString limits = QLatin1String(Trait::HasLimits);
    if ((key == QLatin1String("limits") || key == QLatin1String("out_of_limits"))
        && traits.contains(limits))
        return limits;
    if (key == QLatin1String("make") || key == QLatin1String("model")
        || key == QLatin1String("serial"))
        return QLatin1String(Trait::IsDaemon);
    return {};
}

QJsonObject configField(
    const QString &key, const QVariant &value, const ConfigField *field, const QStringList &traits)
{
    QJsonObject entry;
    if (field) {
        QJsonValue type = avroType(field->type);
        const bool enumerable = field->type == ValueType::String && !field->options.isEmpty()
            && isAvroName(field->name)
            && std::all_of(field->options.begin(), field->options.end(), isAvroName);
        if (enumerable) {
            type = QJsonObject{{QStringLiteral("type"), QStringLiteral("enum")},
                {QStringLiteral("name"), field->name},
                {QStringLiteral("symbols"), QJsonArray::fromStringList(field->options)}};
        }
        entry.insert(QStringLiteral("type"), type);
        if (!field->help.isEmpty())
            entry.insert(QStringLiteral("doc"), field->help);
        QJsonObject extra{{QStringLiteral("value_type"), toString(field->type)}};
        if (!field->units.isEmpty())
            extra.insert(QStringLiteral("units"), field->units);
        if (field->minimum)
            extra.insert(QStringLiteral("min"), *field->minimum);
        if (field->maximum)
            extra.insert(QStringLiteral("max"), *field->maximum);
        if (!field->options.isEmpty())
            extra.insert(QStringLiteral("options"), QJsonArray::fromStringList(field->options));
        if (field->range)
            extra.insert(QStringLiteral("range"), true);
        entry.insert(QLatin1String(kExtensionKey), extra);
    } else {
        entry.insert(QStringLiteral("type"), inferredAvroType(value));
    }
    const QVariant fallback = field ? field->defaultValue : QVariant();
    const QVariant current = value.isValid() ? value : fallback;
    if (current.isValid())
        entry.insert(QStringLiteral("default"), jsonValue(current));
    const QString origin = configOrigin(key, traits);
    if (!origin.isEmpty())
        entry.insert(QStringLiteral("origin"), origin);
    return entry;
}

QJsonObject configSection(const Device &device, const DriverInfo *driver)
{
    QJsonObject config;
    const QStringList traits = device.traits();
    if (driver) {
        for (const ConfigField &field : driver->config)
            config.insert(field.name,
                configField(field.name, device.config().value(field.name), &field, traits));
    }
    const QVariantMap &values = device.config();
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!config.contains(it.key()))
            config.insert(it.key(), configField(it.key(), *it, nullptr, traits));
    }
    return config;
}

QJsonObject stateSection(const Device &device)
{
    const QStringList traits = device.traits();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    struct TraitKey {
        const char *key;
        const char *trait;
        QJsonValue type;
        QJsonValue defaultValue;
    };
    const TraitKey known[] = {
        {"position", Trait::HasPosition, QStringLiteral("double"), nan},
        {"destination", Trait::HasPosition, QStringLiteral("double"), nan},
        {"hw_limits", Trait::HasLimits, avroArray(QStringLiteral("double")), QJsonArray{-inf, inf}},
        {"position_identifier", Trait::IsDiscrete,
            QJsonArray{QStringLiteral("null"), QStringLiteral("string")}, QJsonValue()},
        {"turret", Trait::HasTurret, QJsonArray{QStringLiteral("null"), QStringLiteral("string")},
            QJsonValue()},
    };
    QJsonObject state;
    for (const QString &key : device.persistentKeys()) {
        QJsonObject entry;
        for (const TraitKey &k : known) {
            if (key == QLatin1String(k.key) && traits.contains(QLatin1String(k.trait))) {
                entry = {{QStringLiteral("type"), k.type},
                    {QStringLiteral("default"), k.defaultValue},
                    {QStringLiteral("origin"), QLatin1String(k.trait)}};
            }
        }
        if (entry.isEmpty())
            entry.insert(QStringLiteral("type"), inferredAvroType(device.values().value(key)));
        state.insert(key, entry);
    }
    return state;
}

bool isPositional(const PropertyInfo &property)
{
    return property.getter == QLatin1String("get_position")
        || property.getter == QLatin1String("get_destination");
}

// The yaq form of `property`, or an empty object when a yaq client could not read it (above).
QJsonObject yaqProperty(
    const PropertyInfo &property, const QStringList &traits, const QJsonObject &messages)
{
    if (property.argument.isValid() || property.stateKey.contains(QLatin1Char('/')))
        return {};
    // yaqc makes a method of each message listed: a getter or setter not listed (a driver's own
    // message) could not be called.
    if (!messages.contains(property.getter)
        || (!property.setter.isEmpty() && !messages.contains(property.setter)))
        return {};
    const QJsonValue type
        = messages.value(property.getter).toObject().value(QLatin1String("response"));
    QJsonValue unitsGetter, limitsGetter, optionsGetter;
    if (isPositional(property)) {
        unitsGetter = QStringLiteral("get_units");
        if (traits.contains(QLatin1String(Trait::HasLimits)))
            limitsGetter = QStringLiteral("get_limits");
    }
    if (property.getter == QLatin1String("get_identifier"))
        optionsGetter = QStringLiteral("get_position_identifiers");
    if (property.getter == QLatin1String("get_turret"))
        optionsGetter = QStringLiteral("get_turret_options");
    return {{QStringLiteral("type"), type}, {QStringLiteral("getter"), property.getter},
        {QStringLiteral("setter"), nullableString(property.setter)},
        {QStringLiteral("units_getter"), unitsGetter},
        {QStringLiteral("limits_getter"), limitsGetter},
        {QStringLiteral("options_getter"), optionsGetter},
        {QStringLiteral("dynamic"), property.dynamic},
        {QStringLiteral("control_kind"), toString(property.controlKind)},
        {QStringLiteral("record_kind"), recordKind(property.controlKind)}};
}

// The whole PropertyInfo, for the extension.
QJsonObject extensionProperty(const PropertyInfo &property)
{
    QJsonObject entry{{QStringLiteral("name"), property.name},
        {QStringLiteral("value_type"), toString(property.type)},
        {QStringLiteral("type"), avroType(property.type)},
        {QStringLiteral("getter"), property.getter},
        {QStringLiteral("setter"), nullableString(property.setter)},
        {QStringLiteral("state_key"), property.stateKey}, {QStringLiteral("units"), property.units},
        {QStringLiteral("limits"), property.limits ? limitsValue(*property.limits) : QJsonValue()},
        {QStringLiteral("options"), QJsonArray::fromStringList(property.options)},
        {QStringLiteral("dynamic"), property.dynamic},
        {QStringLiteral("control_kind"), toString(property.controlKind)},
        {QStringLiteral("record_kind"), recordKind(property.controlKind)}};
    if (property.argument.isValid())
        entry.insert(QStringLiteral("argument"), jsonValue(property.argument));
    return entry;
}

} // namespace

QJsonObject ndarrayType()
{
    auto field = [](const char *name, const QJsonValue &type) {
        return QJsonObject{
            {QStringLiteral("name"), QLatin1String(name)}, {QStringLiteral("type"), type}};
    };
    return {{QStringLiteral("type"), QStringLiteral("record")},
        {QStringLiteral("name"), QStringLiteral("ndarray")},
        {QStringLiteral("logicalType"), QStringLiteral("ndarray")},
        {QStringLiteral("fields"),
            QJsonArray{field("shape", avroArray(QStringLiteral("int"))),
                field("typestr", QStringLiteral("string")), field("data", QStringLiteral("bytes")),
                field("version", QStringLiteral("int"))}}};
}

QJsonArray namedTypes()
{
    return {ndarrayType()};
}

QString recordKind(ControlKind kind)
{
    switch (kind) {
    case ControlKind::Hinted:
        return QStringLiteral("data");
    case ControlKind::Normal:
        return QStringLiteral("metadata");
    case ControlKind::Omitted:
        return QStringLiteral("omitted");
    }
    return {};
}

QJsonObject deviceProtocol(const Device &device, const DriverInfo *driver)
{
    const QStringList traits = device.traits();

    QJsonObject messages;
    for (const MessageDefinition &definition : messageDefinitions(device))
        messages.insert(definition.name, definition.toJson());
    for (const TraitMessage &entry : traitMessages()) {
        if (entry.definition.answerer == Answerer::Server)
            messages.insert(entry.definition.name, entry.definition.toJson());
    }

    QJsonObject properties;
    QJsonArray extension;
    for (const PropertyInfo &property : device.properties()) {
        extension.append(extensionProperty(property));
        const QJsonObject yaq = yaqProperty(property, traits, messages);
        if (!yaq.isEmpty() && !properties.contains(property.name))
            properties.insert(property.name, yaq);
    }

    QString doc = driver ? driver->description : QString();
    if (doc.isEmpty())
        doc = QStringLiteral("%1, served by Benchtop.").arg(device.kind());

    return {{QStringLiteral("protocol"), device.kind()}, {QStringLiteral("doc"), doc},
        {QStringLiteral("traits"), QJsonArray::fromStringList(traits)},
        {QStringLiteral("types"), namedTypes()}, {QStringLiteral("messages"), messages},
        {QStringLiteral("config"), configSection(device, driver)},
        {QStringLiteral("state"), stateSection(device)}, {QStringLiteral("properties"), properties},
        {QLatin1String(kExtensionKey),
            QJsonObject{{QStringLiteral("version"), kExtensionVersion},
                {QStringLiteral("properties"), extension}}}};
}

} // namespace Benchtop::Yaq
