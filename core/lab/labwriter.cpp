// SPDX-License-Identifier: MIT
#include "labwriter.h"

#include "tomlwriter.h"

#include <QMetaType>
#include <QStringList>

#include <algorithm>

namespace Benchtop {

namespace {

bool isList(const QVariant &v)
{
    return v.metaType() == QMetaType::fromType<QVariantList>()
        || v.metaType() == QMetaType::fromType<QStringList>();
}

bool isMap(const QVariant &v)
{
    return v.metaType() == QMetaType::fromType<QVariantMap>();
}

} // namespace

// A schema's [] is a QVariantList, a form's a QStringList: equal all the same.
bool sameLabValue(const QVariant &a, const QVariant &b)
{
    if (isList(a) && isList(b)) {
        const QVariantList x = a.toList();
        const QVariantList y = b.toList();
        return x.size() == y.size() && std::equal(x.cbegin(), x.cend(), y.cbegin(), sameLabValue);
    }
    if (isMap(a) && isMap(b)) {
        const QVariantMap x = a.toMap();
        const QVariantMap y = b.toMap();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.cbegin(); it != x.cend(); ++it) {
            if (!sameLabValue(*it, y.value(it.key())))
                return false;
        }
        return true;
    }
    if (a.canConvert<double>() && b.canConvert<double>()
        && a.metaType() != QMetaType::fromType<QString>()
        && b.metaType() != QMetaType::fromType<QString>() && !isList(a) && !isList(b) && !isMap(a)
        && !isMap(b))
        return a.toDouble() == b.toDouble();
    return a == b;
}

bool sameLabTable(const DeviceSettings &a, const DeviceSettings &b, const DriverLookup &driverFor)
{
    if (a.name != b.name || a.kind != b.kind || a.port != b.port)
        return false;
    const std::optional<DriverInfo> info
        = driverFor ? driverFor(a.kind) : std::optional<DriverInfo>();
    QStringList keys = a.config.keys() + b.config.keys();
    keys.removeDuplicates();
    for (const QString &key : std::as_const(keys)) {
        const ConfigField *field = info ? info->field(key) : nullptr;
        const QVariant fallback = field ? field->defaultValue : QVariant();
        if (!sameLabValue(a.config.value(key, fallback), b.config.value(key, fallback)))
            return false;
    }
    return true;
}

QStringList labTableLines(const DeviceSettings &device, const DriverLookup &driverFor)
{
    QStringList lines{tomlLine(QStringLiteral("driver"), device.kind)};
    if (device.port != 0)
        lines << tomlLine(QStringLiteral("port"), device.port);
    const std::optional<DriverInfo> info
        = driverFor ? driverFor(device.kind) : std::optional<DriverInfo>();
    for (auto it = device.config.cbegin(); it != device.config.cend(); ++it) {
        const ConfigField *field = info ? info->field(it.key()) : nullptr;
        if (field && !field->required() && sameLabValue(field->defaultValue, *it))
            continue;
        // A value without a TOML form (none comes from a lab file) is left out.
        const QString line = tomlLine(it.key(), *it);
        if (!line.isEmpty())
            lines << line;
    }
    return lines;
}

QByteArray labText(const QList<DeviceSettings> &devices, const DriverLookup &driverFor)
{
    QString text;
    for (const DeviceSettings &device : devices) {
        if (!text.isEmpty())
            text += QLatin1Char('\n');
        text += QLatin1Char('[') + tomlKey(device.name) + QLatin1String("]\n");
        for (const QString &line : labTableLines(device, driverFor))
            text += line + QLatin1Char('\n');
    }
    return text.toUtf8();
}

} // namespace Benchtop
