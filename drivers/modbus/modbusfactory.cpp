// SPDX-License-Identifier: MIT
#include "modbusfactory.h"

#include "modbuscreate.h"
#include "modbussettings.h"

#include <device/deviceerror.h>

namespace Benchtop::Modbus {

ModbusFactory::ModbusFactory(QObject *parent)
    : QObject(parent)
{
}

Device *ModbusFactory::create(const DeviceSettings &settings)
{
    if (settings.kind != QLatin1String("modbus-tcp")) {
        throw DeviceError(
            QStringLiteral("device \"%1\": the modbus plugin has no driver kind \"%2\" (kinds: "
                           "modbus-tcp)")
                .arg(settings.name, settings.kind));
    }
    return createModbusDevice(settings);
}

QList<ConfigProblem> ModbusFactory::checkConfig(const DeviceSettings &settings) const
{
    return ModbusSettings::check(settings.config);
}

} // namespace Benchtop::Modbus
