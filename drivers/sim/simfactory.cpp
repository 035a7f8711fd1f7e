// SPDX-License-Identifier: MIT
#include "simfactory.h"

#include "simaccelerometer.h"
#include "simchecks.h"
#include "simdigital.h"
#include "simfilterwheel.h"
#include "simmotor.h"
#include "simsensor.h"
#include "simsignal.h"

#include <device/deviceerror.h>

namespace Benchtop::Sim {

SimFactory::SimFactory(QObject *parent)
    : QObject(parent)
{
}

QStringList SimFactory::kinds()
{
    return {QStringLiteral("sim-motor"), QStringLiteral("sim-sensor"),
        QStringLiteral("sim-filter-wheel"), QStringLiteral("sim-accelerometer"),
        QStringLiteral("sim-digital"), QStringLiteral("sim-signal")};
}

Device *SimFactory::create(const DeviceSettings &settings)
{
    const QString &kind = settings.kind;
    if (kind == QLatin1String("sim-motor"))
        return new SimMotor(settings);
    if (kind == QLatin1String("sim-sensor"))
        return new SimSensor(settings);
    if (kind == QLatin1String("sim-filter-wheel"))
        return new SimFilterWheel(settings);
    if (kind == QLatin1String("sim-accelerometer"))
        return new SimAccelerometer(settings);
    if (kind == QLatin1String("sim-digital"))
        return new SimDigital(settings);
    if (kind == QLatin1String("sim-signal"))
        return new SimSignal(settings);
    throw DeviceError(QStringLiteral("%1: the sim plugin has no driver kind \"%2\" (kinds: %3)")
                          .arg(settings.name, kind, kinds().join(QStringLiteral(", "))));
}

QList<ConfigProblem> SimFactory::checkConfig(const DeviceSettings &settings) const
{
    return checkSimConfig(settings);
}

} // namespace Benchtop::Sim
