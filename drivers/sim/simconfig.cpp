// SPDX-License-Identifier: MIT
#include "simconfig.h"

#include <device/deviceerror.h>

#include <cmath>

namespace Benchtop::Sim {

namespace {

QString typeName(const QVariant &v)
{
    return v.isValid() ? QLatin1String(v.typeName()) : QStringLiteral("null");
}

} // namespace

bool SimConfig::isNumber(const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
        return true;
    default:
        return false;
    }
}

SimConfig::SimConfig(QString device, QVariantMap config)
    : m_device(std::move(device))
    , m_config(std::move(config))
{
}

void SimConfig::fail(const QString &key, const QString &problem) const
{
    throw DeviceError(QStringLiteral("%1: config key %2 %3").arg(m_device, key, problem));
}

QVariant SimConfig::value(const QString &key) const
{
    auto it = m_config.constFind(key);
    if (it == m_config.cend())
        fail(key, QStringLiteral("is missing"));
    return *it;
}

double SimConfig::number(const QString &key) const
{
    const QVariant v = value(key);
    if (!isNumber(v))
        fail(key, QStringLiteral("must be a number, not %1").arg(typeName(v)));
    const double x = v.toDouble();
    if (!std::isfinite(x))
        fail(key, QStringLiteral("must be finite"));
    return x;
}

double SimConfig::number(const QString &key, double minimum, double maximum) const
{
    const double x = number(key);
    if (x < minimum || x > maximum)
        fail(key, QStringLiteral("is %1, outside [%2, %3]").arg(x).arg(minimum).arg(maximum));
    return x;
}

double SimConfig::positive(const QString &key) const
{
    const double x = number(key);
    if (!(x > 0))
        fail(key, QStringLiteral("is %1; it must be above 0").arg(x));
    return x;
}

qint64 SimConfig::integer(const QString &key, qint64 minimum, qint64 maximum) const
{
    const QVariant v = value(key);
    if (!isNumber(v))
        fail(key, QStringLiteral("must be an integer, not %1").arg(typeName(v)));
    const double x = v.toDouble();
    if (x != std::floor(x))
        fail(key, QStringLiteral("must be an integer, not %1").arg(x));
    const qint64 n = v.typeId() == QMetaType::Double || v.typeId() == QMetaType::Float
        ? static_cast<qint64>(x)
        : v.toLongLong();
    if (n < minimum || n > maximum)
        fail(key, QStringLiteral("is %1, outside [%2, %3]").arg(n).arg(minimum).arg(maximum));
    return n;
}

bool SimConfig::boolean(const QString &key) const
{
    const QVariant v = value(key);
    if (v.typeId() != QMetaType::Bool)
        fail(key, QStringLiteral("must be true or false, not %1").arg(typeName(v)));
    return v.toBool();
}

QString SimConfig::string(const QString &key) const
{
    const QVariant v = value(key);
    if (v.typeId() != QMetaType::QString)
        fail(key, QStringLiteral("must be a string, not %1").arg(typeName(v)));
    return v.toString();
}

QString SimConfig::choice(const QString &key, const QStringList &options) const
{
    QString s = string(key);
    if (!options.contains(s)) {
        fail(key,
            QStringLiteral("is \"%1\"; it must be one of %2")
                .arg(s, options.join(QStringLiteral(", "))));
    }
    return s;
}

QStringList SimConfig::names(const QString &key) const
{
    const QVariant v = value(key);
    QStringList result;
    if (v.typeId() == QMetaType::QStringList) {
        result = v.toStringList();
    } else if (v.typeId() == QMetaType::QVariantList) {
        for (const QVariant &item : v.toList()) {
            if (item.typeId() != QMetaType::QString)
                fail(key, QStringLiteral("must be a list of strings"));
            result << item.toString();
        }
    } else {
        fail(key, QStringLiteral("must be a list of strings, not %1").arg(typeName(v)));
    }
    return result;
}

Limits SimConfig::limits(const QString &key) const
{
    const QVariant v = value(key);
    if (v.typeId() != QMetaType::QVariantList)
        fail(key, QStringLiteral("must be [lower, upper], not %1").arg(typeName(v)));
    const QVariantList list = v.toList();
    if (list.size() != 2 || !isNumber(list[0]) || !isNumber(list[1]))
        fail(key, QStringLiteral("must be two numbers, [lower, upper]"));
    const Limits limits{list[0].toDouble(), list[1].toDouble()};
    if (!(limits.lower <= limits.upper)) {
        fail(key,
            QStringLiteral("is [%1, %2]: the lower limit is above the upper")
                .arg(limits.lower)
                .arg(limits.upper));
    }
    return limits;
}

QVariantMap SimConfig::map(const QString &key) const
{
    const QVariant v = value(key);
    if (v.typeId() != QMetaType::QVariantMap)
        fail(key, QStringLiteral("must be a table, not %1").arg(typeName(v)));
    return v.toMap();
}

} // namespace Benchtop::Sim
