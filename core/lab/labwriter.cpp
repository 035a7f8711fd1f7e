// SPDX-License-Identifier: MIT
#include "labwriter.h"

#include "tomlwriter.h"

#include <QMetaType>

namespace Benchtop {

namespace {

bool sameValue(const QVariant &a, const QVariant &b)
{
    if (a.canConvert<double>() && b.canConvert<double>()
        && a.metaType() != QMetaType::fromType<QString>()
        && b.metaType() != QMetaType::fromType<QString>())
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
