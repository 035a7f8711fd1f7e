// SPDX-License-Identifier: MIT
#pragma once

#include "modbusclient.h"
#include "modbussettings.h"
#include "readplan.h"

#include <async/taskhandle.h>
#include <device/device.h>
#include <device/traits.h>
#include <io/reconnector.h>

#include <QMap>

#include <map>
#include <optional>

namespace Benchtop::Modbus {

/// `modbus-tcp`: an instrument or PLC spoken to over Modbus TCP (is-sensor,
/// has-measure-trigger, has-digital-io, is-stoppable). ModbusSetpointDevice adds a setpoint.
///
/// - The link is kept by an Io::Reconnector: connect (within connect_timeout_ms), read
///   everything once (so that the first values shown are real), then Connected; when the peer
///   closes the connection, a connection error occurs or timeouts_before_disconnect requests
///   in a row time out, the link is shown Disconnected with the reason and reconnected with
///   backoff (reconnect_min_ms to reconnect_max_ms). Calls made meanwhile fail at once.
/// - update_state reads every poll_ms (0: never): the channels (a measurement: `measured` and
///   `measurement_id`), the setpoint (`position`, `destination`), the input and output lines
///   (`inputs`, `outputs`; an input's change is also an inputEvent, Pressed or Released).
///   Registers of one table that are contiguous are read with one request.
/// - measure(loop) reads every channel now; each complete reading (a poll's too) is one
///   measurement with the next id, from 0. A loop repeats every poll_ms (as fast as replies
///   come when 0) until stop_looping or stop. Busy while measuring.
/// - set_output writes the coil, then reads it back into `outputs`.
/// - Failures never put the device in fault. An exception response (an address the
///   instrument lacks) makes that value NaN, or skips that part of the poll, and the rest is
///   read; a timeout skips the rest of the poll. A failed read is logged once, until it
///   changes or reads succeed again, and the current one is the value `read_error` ("" when
///   there is none). A measurement, setpoint write or output write that fails (a timeout, a
///   refused write, the link lost) is logged and is the value `error`, which each of these
///   calls clears when it starts (so that awaitables such as measureOnce report it).
///
/// Thread affinity: the device thread.
class ModbusDevice
    : public Device
    , public IsSensor
    , public HasMeasureTrigger
    , public HasDigitalIo
    , public IsStoppable {
    Q_OBJECT
    Q_INTERFACES(
        Benchtop::IsSensor Benchtop::HasMeasureTrigger Benchtop::HasDigitalIo Benchtop::IsStoppable)
public:
    ModbusDevice(DeviceSettings settings, ModbusSettings modbus, QObject *parent = nullptr);
    ~ModbusDevice() override;

    /// make "Modbus", model "modbus-tcp", serial "host:port/unit".
    QVariantMap id() const override;

    // is-sensor
    QStringList channelNames() const override;
    QVariantMap channelUnits() const override;
    QMap<QString, QList<int>> channelShapes() const override;
    QVariantMap measured() const override;
    int measurementId() const override { return m_nextId - 1; }

    // has-measure-trigger
    int measure(bool loop) override;
    void stopLooping() override { m_looping = false; }

    // has-digital-io
    QStringList inputNames() const override { return m_modbus.inputs.keys(); }
    QStringList outputNames() const override { return m_modbus.outputs.keys(); }
    bool input(const QString &line) const override;
    bool output(const QString &line) const override;
    void setOutput(const QString &line, bool on) override;

    /// Ends a measurement (loop) at once, keeping the previous result, and abandons a setpoint
    /// write in flight (destination becomes the last read-back).
    void stop() override;

    const ModbusSettings &modbusSettings() const noexcept { return m_modbus; }
    const Io::Reconnector &reconnector() const noexcept { return m_reconnector; }
    const ModbusClient &client() const noexcept { return m_client; }

protected:
    void onStarted() override;
    QCoro::Task<> updateState() override;

    /// Throws DeviceError unless the device is ready and its link is up.
    void ensureUsable() const;
    /// Encodes `target` (engineering units, already through the limits policy), then writes
    /// it to the setpoint register(s) in a task and reads it back: destination = target,
    /// position = read-back, busy until done. Throws DeviceError when the value cannot be
    /// encoded (out of the register type's range).
    void startSetpointWrite(double target);

private:
    enum class Phase { Prepare, Poll };
    /// What a failed read concerned, so that a poll that skips a part (the channels, while a
    /// measurement reads them) does not take that part's error as solved.
    enum class Part { Channels, Setpoint, Inputs, Outputs, Pass };
    struct ChannelBlock {
        Table table = Table::Holding;
        ReadBlock block;
    };
    /// The channels' engineering values; NaN for those the instrument refused to read, with
    /// its exception responses in `errors`.
    struct Reading {
        QVariantMap values;
        QStringList errors;
    };

    QCoro::Task<> readAll(Phase phase);
    QCoro::Task<Reading> readChannels();
    QCoro::Task<> readSetpoint();
    QCoro::Task<> readLines(BitTable table);
    QCoro::Task<> runMeasurements();
    QCoro::Task<> writeSetpoint(QList<quint16> registers, QString what);
    QCoro::Task<> writeOutput(QString line, bool on);

    void publishMeasurement(const QVariantMap &channels);
    void publishLines(BitTable table, const QMap<QString, bool> &levels);
    void updateBusy();
    /// A call's work failed (a measurement, a write): logged, and the value `error`.
    void reportFailure(const QString &message);
    /// The current problems reading `part` (none: it was read). A new one is logged once, the
    /// first of all is published as read_error ("" when there are none). `Pass`: what ended a
    /// whole poll (a timeout).
    void setErrors(Part part, const QStringList &errors);
    void checkLine(
        const QMap<QString, quint16> &lines, const QString &line, const char *kind) const;

    ModbusSettings m_modbus;
    QList<ChannelBlock> m_channelBlocks;
    QList<ReadBlock> m_inputBlocks; // members index m_modbus.inputs.keys()
    QList<ReadBlock> m_outputBlocks;
    ModbusClient m_client;
    Io::Reconnector m_reconnector;

    QMap<QString, bool> m_inputs;
    QMap<QString, bool> m_outputs;
    int m_nextId = 0; // the id the next measurement gets
    bool m_measuring = false;
    quint64 m_measurementRuns = 0; // measurements started
    bool m_looping = false;
    bool m_writing = false; // a setpoint write is in flight
    std::optional<double> m_lastReadBack; // the setpoint as last read
    std::map<Part, QStringList> m_errors;
    Async::TaskHandle<void> m_measureTask;
    Async::TaskHandle<void> m_writeTask;
};

} // namespace Benchtop::Modbus
