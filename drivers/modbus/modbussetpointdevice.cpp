// SPDX-License-Identifier: MIT
#include "modbussetpointdevice.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace Benchtop::Modbus {

ModbusSetpointDevice::ModbusSetpointDevice(
    DeviceSettings settings, ModbusSettings modbus, QObject *parent)
    : ModbusDevice(std::move(settings), std::move(modbus), parent)
{
    Q_ASSERT(modbusSettings().setpoint);
}

ModbusSetpointDevice::~ModbusSetpointDevice()
{
    stopTasksNow();
}

QString ModbusSetpointDevice::units() const
{
    return modbusSettings().setpoint->units;
}

double ModbusSetpointDevice::position() const
{
    return values()
        .value(QStringLiteral("position"), std::numeric_limits<double>::quiet_NaN())
        .toDouble();
}

double ModbusSetpointDevice::destination() const
{
    return values()
        .value(QStringLiteral("destination"), std::numeric_limits<double>::quiet_NaN())
        .toDouble();
}

void ModbusSetpointDevice::setPosition(double target)
{
    ensureUsable();
    const std::optional<double> to = applyLimits(target, limits(), outOfLimits(), name());
    if (!to)
        return; // out_of_limits = ignore
    startSetpointWrite(*to);
}

Limits ModbusSetpointDevice::limits() const
{
    return modbusSettings().limits.intersected(representable(*modbusSettings().setpoint));
}

Limits ModbusSetpointDevice::representable(const RegisterSpec &spec)
{
    double lowest = 0;
    double highest = 0;
    switch (spec.type) {
    case DataType::Int16:
        lowest = std::numeric_limits<qint16>::min();
        highest = std::numeric_limits<qint16>::max();
        break;
    case DataType::UInt16:
        highest = std::numeric_limits<quint16>::max();
        break;
    case DataType::Int32:
        lowest = std::numeric_limits<qint32>::min();
        highest = std::numeric_limits<qint32>::max();
        break;
    case DataType::UInt32:
        highest = std::numeric_limits<quint32>::max();
        break;
    case DataType::Float32:
        lowest = std::numeric_limits<float>::lowest();
        highest = std::numeric_limits<float>::max();
        break;
    }
    // A negative scale turns the range round.
    const double a = spec.scaling.toEngineering(lowest);
    const double b = spec.scaling.toEngineering(highest);
    return {std::min(a, b), std::max(a, b)};
}

} // namespace Benchtop::Modbus
