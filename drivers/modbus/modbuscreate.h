// SPDX-License-Identifier: MIT
#pragma once

#include <device/devicesettings.h>

namespace Benchtop {
class Device;
}

namespace Benchtop::Modbus {

/// The device for a `modbus-tcp` lab table: a ModbusSetpointDevice when it configures a
/// setpoint, else a ModbusDevice. Not started. Throws DeviceError, naming the device and the
/// key, for an unusable config. The caller owns the result.
Device *createModbusDevice(const DeviceSettings &settings);

} // namespace Benchtop::Modbus
