// SPDX-License-Identifier: MIT
#pragma once

#include "modbusdevice.h"

#include <async/taskhandle.h>
#include <device/positionstate.h>

#include <optional>

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
///   A write that fails (a timeout, a refused write, the link lost) is logged and is the value
///   `error`, which set_position clears.
/// - stop also abandons a write in flight (destination becomes the last read-back).
/// - limits are the configured ones intersected with what the register type can hold.
class ModbusSetpointDevice final
    : public ModbusDevice
    , public PositionState
    , public HasLimits {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition Benchtop::HasLimits)
public:
    /// `modbus.setpoint` must be set.
    ModbusSetpointDevice(DeviceSettings settings, ModbusSettings modbus, QObject *parent = nullptr);
    ~ModbusSetpointDevice() override;

    QString units() const override;
    Limits limits() const override;
    OutOfLimits outOfLimits() const override { return modbusSettings().outOfLimits; }
    void stop() override;

    /// The engineering values the setpoint's register type can hold (its range, scaled).
    static Limits representable(const RegisterSpec &spec);

protected:
    /// Encodes `target` (engineering units, already through the limits policy), then writes
    /// it to the setpoint register(s) in a task and reads it back. Throws DeviceError when the
    /// value cannot be encoded (out of the register type's range).
    void move(double target) override;
    QCoro::Task<> readOwnPart() override { return readSetpoint(); }
    bool isWriting() const override { return m_writing; }

private:
    QCoro::Task<> writeSetpoint(QList<quint16> registers, QString what);
    QCoro::Task<> readSetpoint();

    bool m_writing = false; // a setpoint write is in flight
    std::optional<double> m_lastReadBack; // the setpoint as last read
    Async::TaskHandle<void> m_writeTask;
};

} // namespace Benchtop::Modbus
