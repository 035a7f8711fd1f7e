// SPDX-License-Identifier: MIT
#include "labwriter.h"

#include "tomlsupport_p.h"

#include <QMetaType>

#include <sstream>

namespace Benchtop {

namespace {

std::unique_ptr<toml::node> toNode(const QVariant &value);

std::unique_ptr<toml::node> toNode(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::Bool:
        return std::make_unique<toml::value<bool>>(value.toBool());
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::Short:
        return std::make_unique<toml::value<int64_t>>(value.toLongLong());
    case QMetaType::Double:
    case QMetaType::Float:
        return std::make_unique<toml::value<double>>(value.toDouble());
    case QMetaType::QString:
        return std::make_unique<toml::value<std::string>>(value.toString().toStdString());
    case QMetaType::QStringList:
    case QMetaType::QVariantList: {
        auto array = std::make_unique<toml::array>();
        for (const QVariant &item : value.toList()) {
            std::unique_ptr<toml::node> node = toNode(item);
            if (!node)
                return nullptr;
            array->push_back(std::move(*node));
        }
        return array;
    }
    case QMetaType::QVariantMap: {
        auto table = std::make_unique<toml::table>();
        table->is_inline(true);
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            std::unique_ptr<toml::node> node = toNode(*it);
            if (!node)
                return nullptr;
            table->insert(it.key().toStdString(), std::move(*node));
        }
        return table;
    }
    default:
        return nullptr;
    }
}

/// `key = value` through toml++'s formatter, which quotes keys and escapes strings as TOML
/// requires.
QString keyValueLine(const QString &key, const QVariant &value)
{
    std::unique_ptr<toml::node> node = toNode(value);
    if (!node)
        return {};
    toml::table table;
    table.insert(key.toStdString(), std::move(*node));
    std::ostringstream out;
    // Plain "..." strings with escapes: the most readable for lab files, and one line each.
    out << toml::toml_formatter(table,
        toml::toml_formatter::default_flags & ~toml::format_flags::indentation
            & ~toml::format_flags::allow_literal_strings
            & ~toml::format_flags::allow_multi_line_strings);
    return QString::fromStdString(out.str()).trimmed();
}

bool sameValue(const QVariant &a, const QVariant &b)
{
    if (a.canConvert<double>() && b.canConvert<double>()
        && a.metaType() != QMetaType::fromType<QString>()
        && b.metaType() != QMetaType::fromType<QString>())
        return a.toDouble() == b.toDouble();
    return a == b;
}

} // namespace

QString tomlValueText(const QVariant &value)
{
    const QString line = keyValueLine(QStringLiteral("v"), value);
    return line.isEmpty() ? QString() : line.mid(int(qstrlen("v = ")));
}

QByteArray labText(const QList<DeviceSettings> &devices, const DriverLookup &driverFor)
{
    QString text;
    for (const DeviceSettings &device : devices) {
        if (!text.isEmpty())
            text += QLatin1Char('\n');
        text += QStringLiteral("[%1]\n").arg(device.name);
        text += keyValueLine(QStringLiteral("driver"), device.kind) + QLatin1Char('\n');
        if (device.port != 0)
            text += keyValueLine(QStringLiteral("port"), device.port) + QLatin1Char('\n');
        const std::optional<DriverInfo> info
            = driverFor ? driverFor(device.kind) : std::optional<DriverInfo>();
        for (auto it = device.config.cbegin(); it != device.config.cend(); ++it) {
            const ConfigField *field = info ? info->field(it.key()) : nullptr;
            if (field && !field->required() && sameValue(field->defaultValue, *it))
                continue;
            const QString line = keyValueLine(it.key(), *it);
            if (!line.isEmpty())
                text += line + QLatin1Char('\n');
        }
    }
    return text.toUtf8();
}

} // namespace Benchtop
