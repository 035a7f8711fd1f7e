// SPDX-License-Identifier: MIT
#include "traits.h"

#include <algorithm>

namespace Benchtop {

QStringList knownTraits()
{
    return {QLatin1String(Trait::IsDaemon), QLatin1String(Trait::HasPosition),
        QLatin1String(Trait::HasLimits), QLatin1String(Trait::IsHomeable),
        QLatin1String(Trait::HasTurret), QLatin1String(Trait::IsSensor),
        QLatin1String(Trait::HasMeasureTrigger), QLatin1String(Trait::HasMapping),
        QLatin1String(Trait::IsDiscrete), QLatin1String(Trait::IsStoppable),
        QLatin1String(Trait::HasDigitalIo)};
}

QStringList triggerMessages(const QStringList &traits)
{
    QStringList result;
    if (traits.contains(QLatin1String(Trait::IsHomeable)))
        result << QStringLiteral("home");
    if (traits.contains(QLatin1String(Trait::HasMeasureTrigger)))
        result << QStringLiteral("measure") << QStringLiteral("stop_looping");
    if (traits.contains(QLatin1String(Trait::IsStoppable)))
        result << QStringLiteral("stop");
    return result;
}

QStringList identifiersInPositionOrder(const QMap<QString, double> &identifiers)
{
    QStringList names = identifiers.keys(); // alphabetical: the order of equal positions
    std::stable_sort(names.begin(), names.end(), [&](const QString &a, const QString &b) {
        return identifiers.value(a) < identifiers.value(b);
    });
    return names;
}

} // namespace Benchtop
