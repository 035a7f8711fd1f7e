// SPDX-License-Identifier: MIT
#include "limits.h"

#include "deviceerror.h"

#include <algorithm>
#include <cmath>

namespace Benchtop {

Limits Limits::intersected(const Limits &other) const
{
    return {std::max(lower, other.lower), std::min(upper, other.upper)};
}

std::optional<OutOfLimits> outOfLimitsFromString(const QString &text)
{
    if (text == QLatin1String("closest"))
        return OutOfLimits::Closest;
    if (text == QLatin1String("ignore"))
        return OutOfLimits::Ignore;
    if (text == QLatin1String("error"))
        return OutOfLimits::Error;
    return std::nullopt;
}

QString toString(OutOfLimits policy)
{
    switch (policy) {
    case OutOfLimits::Closest:
        return QStringLiteral("closest");
    case OutOfLimits::Ignore:
        return QStringLiteral("ignore");
    case OutOfLimits::Error:
        return QStringLiteral("error");
    }
    return {};
}

std::optional<double> applyLimits(
    double target, const Limits &limits, OutOfLimits policy, const QString &device)
{
    if (std::isnan(target))
        throw DeviceError(QStringLiteral("%1: the target position is not a number").arg(device));
    if (limits.contains(target))
        return target;
    switch (policy) {
    case OutOfLimits::Closest:
        return std::clamp(target, limits.lower, limits.upper);
    case OutOfLimits::Ignore:
        return std::nullopt;
    case OutOfLimits::Error:
        break;
    }
    throw DeviceError(QStringLiteral("%1: %2 is outside the limits [%3, %4]")
                          .arg(device)
                          .arg(target)
                          .arg(limits.lower)
                          .arg(limits.upper));
}

} // namespace Benchtop
