// SPDX-License-Identifier: MIT
#include "streamlayout.h"

#include <device/device.h>
#include <device/deviceerror.h>
#include <device/propertyinfo.h>
#include <device/traits.h>
#include <host/devicehost.h>

#include <optional>

namespace Benchtop::Run {

namespace {

QString dtypeOf(ValueType type)
{
    switch (type) {
    case ValueType::Double:
        return QStringLiteral("number");
    case ValueType::Int:
        return QStringLiteral("integer");
    case ValueType::Bool:
        return QStringLiteral("boolean");
    case ValueType::String:
        return QStringLiteral("string");
    case ValueType::DoubleList:
        return QStringLiteral("array");
    default:
        return {};
    }
}

std::optional<PropertyInfo> propertyByKey(const QList<PropertyInfo> &properties, const QString &key)
{
    for (const PropertyInfo &p : properties) {
        if (p.stateKey == key)
            return p;
    }
    return std::nullopt;
}

std::optional<PropertyInfo> propertyByName(
    const QList<PropertyInfo> &properties, const QString &name)
{
    for (const PropertyInfo &p : properties) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

/// The shape of an array value as the device publishes it now: its length.
QList<int> shapeOf(const Device &device, const PropertyInfo &property)
{
    if (property.type != ValueType::DoubleList)
        return {};
    if (auto *sensor = qobject_cast<IsSensor *>(const_cast<Device *>(&device))) {
        const auto shapes = sensor->channelShapes();
        if (shapes.contains(property.name))
            return shapes.value(property.name);
    }
    const QVariant value = valueAt(device.values(), property.stateKey);
    return {int(value.toList().size())};
}

DataKey keyFor(const Device &device, const PropertyInfo &property, QString name, QString role)
{
    DataKey key;
    key.name = std::move(name);
    key.dtype = dtypeOf(property.type);
    key.shape = shapeOf(device, property);
    key.units = property.units;
    key.source = device.name() + QLatin1Char('.') + property.name;
    key.device = device.name();
    key.role = std::move(role);
    if (property.type == ValueType::String)
        key.choices = property.options;
    return key;
}

Device &require(const DeviceHost &host, const QString &name, const QString &role)
{
    Device *device = host.device(name);
    if (!device) {
        throw DeviceError(
            QStringLiteral("the plan's %1 %2 is not a device of the lab").arg(role, name));
    }
    return *device;
}

} // namespace

void StreamLayout::add(DataKey key, const QString &device, const QString &stateKey)
{
    ColumnSource source;
    source.device = device;
    source.stateKey = stateKey;
    const qsizetype slash = source.stateKey.indexOf(QLatin1Char('/'));
    source.top = slash < 0 ? source.stateKey : source.stateKey.left(slash);
    source.nested = slash < 0 ? QString() : source.stateKey.mid(slash + 1);
    m_keys << std::move(key);
    m_sources.push_back(std::move(source));
}

qsizetype StreamLayout::indexOf(const QString &name) const
{
    for (qsizetype i = 0; i < m_keys.size(); ++i) {
        if (m_keys[i].name == name)
            return i;
    }
    return -1;
}

StreamLayout StreamLayout::primary(const Plan &plan, const DeviceHost &host)
{
    StreamLayout layout;
    for (const PlanAxis &axis : plan.axes) {
        Device &device = require(host, axis.device, QStringLiteral("axis"));
        const QList<PropertyInfo> properties = device.properties();
        // A list of strings on a device with identifiers moves it by identifier; a device
        // with a position is moved by position; a turret by its identifiers.
        const bool byName
            = !axis.values.isEmpty() && axis.values.front().typeId() == QMetaType::QString;
        QString stateKey;
        if (device.hasTrait(Trait::IsDiscrete) && (byName || !device.hasTrait(Trait::HasPosition)))
            stateKey = StateKey::PositionIdentifier;
        else if (device.hasTrait(Trait::HasPosition))
            stateKey = StateKey::Position;
        else if (device.hasTrait(Trait::HasTurret))
            stateKey = StateKey::Turret;
        else {
            throw DeviceError(QStringLiteral("the axis %1 has no position, identifiers or turret "
                                             "(has-position, is-discrete or has-turret)")
                                  .arg(axis.device));
        }
        const std::optional<PropertyInfo> property = propertyByKey(properties, stateKey);
        if (!property)
            throw DeviceError(
                QStringLiteral("%1 does not publish its %2").arg(axis.device, stateKey));
        layout.add(
            keyFor(device, *property, axis.device, QStringLiteral("axis")), axis.device, stateKey);
    }
    for (const QString &name : plan.detectors) {
        Device &device = require(host, name, QStringLiteral("detector"));
        if (!device.hasTrait(Trait::IsSensor))
            throw DeviceError(
                QStringLiteral("the detector %1 is not a sensor (is-sensor)").arg(name));
        const QString prefix = StateKey::Measured + QLatin1Char('/');
        for (const PropertyInfo &property : device.properties()) {
            if (!property.stateKey.startsWith(prefix))
                continue;
            layout.add(keyFor(device, property, name + QLatin1Char('.') + property.name,
                           QStringLiteral("detector")),
                name, property.stateKey);
        }
    }
    for (const QString &entry : plan.record) {
        const qsizetype dot = entry.indexOf(QLatin1Char('.'));
        if (dot <= 0 || dot == entry.size() - 1) {
            throw DeviceError(
                QStringLiteral("the recorded value %1 is not \"device.value\"").arg(entry));
        }
        const QString name = entry.left(dot);
        const QString value = entry.mid(dot + 1);
        Device &device = require(host, name, QStringLiteral("recorded device"));
        const QList<PropertyInfo> properties = device.properties();
        std::optional<PropertyInfo> property = propertyByName(properties, value);
        if (!property)
            property = propertyByKey(properties, value);
        if (!property || dtypeOf(property->type).isEmpty()) {
            throw DeviceError(
                QStringLiteral("%1 has no value %2 that a run can record").arg(name, value));
        }
        layout.add(
            keyFor(device, *property, entry, QStringLiteral("record")), name, property->stateKey);
    }
    return layout;
}

StreamLayout StreamLayout::baseline(const DeviceHost &host)
{
    StreamLayout layout;
    for (const QString &name : host.deviceNames()) {
        const Device *device = host.device(name);
        if (!device)
            continue;
        for (const PropertyInfo &property : device->properties()) {
            if (dtypeOf(property.type).isEmpty() || property.stateKey.isEmpty())
                continue;
            layout.add(keyFor(*device, property, name + QLatin1Char('.') + property.name,
                           QStringLiteral("record")),
                name, property.stateKey);
        }
    }
    return layout;
}

QVariant StreamLayout::read(const Device &device, qsizetype column) const
{
    const ColumnSource &source = m_sources[std::size_t(column)];
    const QVariant value = source.nested.isEmpty()
        ? device.values().value(source.top)
        : device.values().value(source.top).toMap().value(source.nested);
    if (!value.isValid())
        return {};
    const QString &dtype = m_keys[column].dtype;
    if (dtype == QLatin1String("number"))
        return value.toDouble();
    if (dtype == QLatin1String("array")) {
        if (value.typeId() == qMetaTypeId<QList<double>>())
            return value;
        QList<double> array;
        const QVariantList list = value.toList();
        array.reserve(list.size());
        for (const QVariant &v : list)
            array << v.toDouble();
        return QVariant::fromValue(array);
    }
    if (dtype == QLatin1String("integer"))
        return value.toLongLong();
    if (dtype == QLatin1String("boolean"))
        return value.toBool();
    return value.toString();
}

QList<DeviceConfiguration> labConfiguration(const DeviceHost &host)
{
    QList<DeviceConfiguration> result;
    const QList<DeviceSettings> settings = host.settings();
    for (const DeviceSettings &s : settings) {
        DeviceConfiguration c;
        c.name = s.name;
        c.driver = s.kind;
        c.config = s.config;
        if (const Device *device = host.device(s.name)) {
            c.traits = device->traits();
            c.state = device->state();
            c.identity = device->id();
        }
        result << c;
    }
    return result;
}

} // namespace Benchtop::Run
