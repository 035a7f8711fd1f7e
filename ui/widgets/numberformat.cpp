// SPDX-License-Identifier: MIT
#include "numberformat.h"

#include "livetext.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace Benchtop::Ui {

namespace {

constexpr int kExactDigits = 12;
/// Decimals of a length or an angle without limits: a µm in mm, a mdeg in degrees.
constexpr int kPositionDecimals = 3;

bool isLengthOrAngle(const QString &units)
{
    static const QStringList kUnits{QStringLiteral("mm"), QStringLiteral("um"),
        QStringLiteral("µm"), QStringLiteral("nm"), QStringLiteral("m"), QStringLiteral("cm"),
        QStringLiteral("in"), QStringLiteral("deg"), QStringLiteral("°"), QStringLiteral("rad"),
        QStringLiteral("mrad")};
    return kUnits.contains(units.trimmed());
}

} // namespace

NumberFormat::NumberFormat(std::optional<int> decimals, QString units)
    : m_decimals(decimals)
    , m_units(std::move(units))
{
}

NumberFormat NumberFormat::of(const PropertyInfo &property)
{
    std::optional<int> decimals = decimalsWithin(property.limits);
    if (!decimals && isLengthOrAngle(property.units))
        decimals = kPositionDecimals;
    return NumberFormat(decimals, property.units);
}

std::optional<int> NumberFormat::decimalsWithin(const std::optional<Limits> &limits)
{
    if (!limits || !std::isfinite(limits->lower) || !std::isfinite(limits->upper)
        || limits->upper <= limits->lower)
        return std::nullopt;
    const int magnitude = int(std::floor(std::log10(limits->upper - limits->lower)));
    return std::clamp(5 - magnitude, 1, 6);
}

NumberFormat NumberFormat::exact(QString units)
{
    NumberFormat format(std::nullopt, std::move(units));
    format.m_significantDigits = kExactDigits;
    return format;
}

QString NumberFormat::number(double value) const
{
    return m_decimals ? QString::number(value, 'f', *m_decimals)
                      : QString::number(value, 'g', m_significantDigits);
}

QString NumberFormat::withUnits(double value) const
{
    const QString text = number(value);
    return m_units.isEmpty() ? text : text + QLatin1Char(' ') + m_units;
}

QString NumberFormat::value(const QVariant &value) const
{
    switch (value.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
        return number(value.toDouble());
    default:
        return formatValue(value);
    }
}

} // namespace Benchtop::Ui
