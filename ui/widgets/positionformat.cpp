// SPDX-License-Identifier: MIT
#include "positionformat.h"

#include <algorithm>
#include <cmath>

namespace Benchtop::Ui {

int positionDecimals(const std::optional<Limits> &limits)
{
    if (!limits || !std::isfinite(limits->lower) || !std::isfinite(limits->upper)
        || limits->upper <= limits->lower)
        return 3;
    const int magnitude = int(std::floor(std::log10(limits->upper - limits->lower)));
    return std::clamp(5 - magnitude, 1, 6);
}

QString formatWithUnits(double value, int decimals, const QString &units)
{
    const QString number = QString::number(value, 'f', decimals);
    return units.isEmpty() ? number : number + QLatin1Char(' ') + units;
}

} // namespace Benchtop::Ui
