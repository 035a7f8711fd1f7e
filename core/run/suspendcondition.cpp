// SPDX-License-Identifier: MIT
#include "suspendcondition.h"

#include <cmath>

namespace Benchtop::Run {

std::optional<QString> SuspendCondition::violation(std::optional<double> reading) const
{
    if (!reading || !std::isfinite(*reading))
        return QStringLiteral("%1 has no value").arg(value);
    const double v = *reading;
    switch (kind) {
    case Kind::Below:
        if (v < low)
            return QStringLiteral("%1 is %2, below %3").arg(value).arg(v).arg(low);
        break;
    case Kind::Above:
        if (v > high)
            return QStringLiteral("%1 is %2, above %3").arg(value).arg(v).arg(high);
        break;
    case Kind::Outside:
        if (v < low || v > high) {
            return QStringLiteral("%1 is %2, outside [%3, %4]")
                .arg(value)
                .arg(v)
                .arg(low)
                .arg(high);
        }
        break;
    }
    return std::nullopt;
}

} // namespace Benchtop::Run
