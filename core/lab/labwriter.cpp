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

/// Equal as the lab file would hold them: numbers by value, lists element by element whatever
/// their Qt type (a schema's [] is a QVariantList, a form's a QStringList), maps key by key.
bool sameValue(const QVariant &a, const QVariant &b)
{
    if (isList(a) && isList(b)) {
        const QVariantList x = a.toList();
        const QVariantList y = b.toList();
        return x.size() == y.size() && std::equal(x.cbegin(), x.cend(), y.cbegin(), sameValue);
    }
    if (isMap(a) && isMap(b)) {
        const QVariantMap x = a.toMap();
        const QVariantMap y = b.toMap();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.cbegin(); it != x.cend(); ++it) {
            if (!sameValue(*it, y.value(it.key())))
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

} // namespace

QByteArray labText(const QList<DeviceSettings> &devices, const DriverLookup &driverFor)
{
    QString text;
    for (const DeviceSettings &device : devices) {
        if (!text.isEmpty())
            text += QLatin1Char('\n');
        text += QLatin1Char('[') + tomlKey(device.name) + QLatin1String("]\n");
        text += tomlLine(QStringLiteral("driver"), device.kind) + QLatin1Char('\n');
        if (device.port != 0)
            text += tomlLine(QStringLiteral("port"), device.port) + QLatin1Char('\n');
        const std::optional<DriverInfo> info
            = driverFor ? driverFor(device.kind) : std::optional<DriverInfo>();
        for (auto it = device.config.cbegin(); it != device.config.cend(); ++it) {
            const ConfigField *field = info ? info->field(it.key()) : nullptr;
            if (field && !field->required() && sameValue(field->defaultValue, *it))
                continue;
            // A value without a TOML form (none comes from a lab file) is left out.
            const QString line = tomlLine(it.key(), *it);
            if (!line.isEmpty())
                text += line + QLatin1Char('\n');
        }
    }
    return text.toUtf8();
}

} // namespace Benchtop
