// SPDX-License-Identifier: MIT
#pragma once

#include "modbusdevice.h"

namespace Benchtop::Modbus {

/// A `modbus-tcp` device with a `setpoint` (a holding register, or two): also has-position
/// and has-limits, so that the panel offers a target box for it.
///
/// - position is the setpoint as read back from the instrument (at every poll and after every
///   write); destination is the last requested value, or the read-back when the setpoint
///   changed at the instrument.
/// - set_position applies `out_of_limits` to `limits`, converts the engineering value to the
///   raw register value ((value - offset) / scale, rounded to an integer type), writes it and
///   reads it back; busy until done. A value that does not fit the register type is refused.
/// - limits are the configured ones intersected with what the register type can hold.
class ModbusSetpointDevice final
    : public ModbusDevice
    , public HasPosition
    , public HasLimits {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition Benchtop::HasLimits)
public:
    /// `modbus.setpoint` must be set.
    ModbusSetpointDevice(DeviceSettings settings, ModbusSettings modbus, QObject *parent = nullptr);
    ~ModbusSetpointDevice() override;

    QString units() const override;
    /// NaN until the setpoint has been read.
    double position() const override;
    double destination() const override;
    void setPosition(double position) override;

    Limits limits() const override;
    OutOfLimits outOfLimits() const override { return modbusSettings().outOfLimits; }

    /// The engineering values the setpoint's register type can hold (its range, scaled).
    static Limits representable(const RegisterSpec &spec);
};

} // namespace Benchtop::Modbus
