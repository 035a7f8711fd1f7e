// SPDX-License-Identifier: MIT
#include "modbussetpointdevice.h"

#include "addresstext.h"

#include <device/deviceerror.h>
#include <io/ioerror.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Benchtop::Modbus {

ModbusSetpointDevice::ModbusSetpointDevice(
    DeviceSettings settings, ModbusSettings modbus, QObject *parent)
    : ModbusDevice(std::move(settings), std::move(modbus), parent)
    , PositionState(this)
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

void ModbusSetpointDevice::move(double target)
{
    ensureConnected();
    const RegisterSpec &spec = *modbusSettings().setpoint;
    const QString where = registers(Table::Holding, spec.address, registerCount(spec.type));
    const QString shown
        = spec.units.isEmpty() ? number(target) : number(target) + QLatin1Char(' ') + spec.units;
    QList<quint16> encoded;
    try {
        encoded = encode(spec.scaling.toRaw(target), spec.type, spec.order);
    } catch (const CodecError &e) {
        throw DeviceError(
            QStringLiteral("%1: setpoint %2 cannot be written to %3 (%4, scale %5, "
                           "offset %6): %7")
                .arg(name(), shown, where, toString(spec.type), number(spec.scaling.scale),
                    number(spec.scaling.offset), QString::fromStdString(e.what())));
    }
    clearError();
    m_writing = true;
    updateBusy();
    m_writeTask.cancel(); // a write still in flight is superseded
    m_writeTask = spawn("set_position",
        [this, encoded, what = QStringLiteral("writing setpoint %1 (%2)").arg(shown, where)] {
            return writeSetpoint(encoded, what);
        });
}

void ModbusSetpointDevice::stop()
{
    ModbusDevice::stop();
    if (!m_writing)
        return;
    m_writeTask.cancel();
    m_writing = false;
    if (m_lastReadBack)
        publishDestination(*m_lastReadBack);
    updateBusy();
}

QCoro::Task<> ModbusSetpointDevice::writeSetpoint(QList<quint16> registers, QString what)
{
    try {
        co_await modbusClient().writeRegisters(modbusSettings().setpoint->address, registers, what);
        co_await readSetpoint();
    } catch (const Io::IoError &e) {
        reportError(e.message());
    }
    m_writing = false;
    updateBusy();
}

QCoro::Task<> ModbusSetpointDevice::readSetpoint()
{
    const RegisterSpec &spec = *modbusSettings().setpoint;
    const int count = registerCount(spec.type);
    const QList<quint16> raw = co_await modbusClient().readRegisters(Table::Holding, spec.address,
        static_cast<quint16>(count),
        QStringLiteral("reading the setpoint (%1)")
            .arg(registers(Table::Holding, spec.address, count)));
    if (raw.size() != count) {
        throw Io::BadReply(
            QStringLiteral("%1: reading the setpoint: %2 registers in the reply, not %3")
                .arg(name())
                .arg(raw.size())
                .arg(count));
    }
    const double value = spec.scaling.toEngineering(decode(raw, spec.type, spec.order));
    publishPosition(value);
    // The instrument's setpoint is the destination, unless we are writing one: a value changed
    // at the instrument (its front panel, another client) is adopted, our own request is kept
    // while the read-back equals what it was after our write (a scaled integer may round it).
    if (!m_writing && (!m_lastReadBack || *m_lastReadBack != value))
        publishDestination(value);
    m_lastReadBack = value;
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
