// SPDX-License-Identifier: MIT
#include "modbuscreate.h"

#include "modbussetpointdevice.h"

namespace Benchtop::Modbus {

Device *createModbusDevice(const DeviceSettings &settings)
{
    ModbusSettings modbus = ModbusSettings::fromConfig(settings.name, settings.config);
    if (modbus.setpoint)
        return new ModbusSetpointDevice(settings, std::move(modbus));
    return new ModbusDevice(settings, std::move(modbus));
}

} // namespace Benchtop::Modbus
