// SPDX-License-Identifier: MIT
#pragma once

#include "modbusclient.h"
#include "modbussettings.h"
#include "readplan.h"

#include <device/device.h>
#include <device/measurementrunner.h>
#include <device/sensorstate.h>
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
///   measurement with the next id, from 0. A loop starts a measurement every poll_ms (as fast
///   as replies come when 0) until stop_looping or stop. Busy while measuring.
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
    , public SensorState
    , public MeasurementRunner
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

    // has-measure-trigger
    int measure(bool loop) override;

    // has-digital-io
    QStringList inputNames() const override { return m_modbus.inputs.keys(); }
    QStringList outputNames() const override { return m_modbus.outputs.keys(); }
    bool input(const QString &line) const override;
    bool output(const QString &line) const override;
    void setOutput(const QString &line, bool on) override;

    /// Ends a measurement (loop) at once, keeping the previous result.
    void stop() override;

    const ModbusSettings &modbusSettings() const noexcept { return m_modbus; }
    const Io::Reconnector &reconnector() const noexcept { return m_reconnector; }
    const ModbusClient &client() const noexcept { return m_client; }

protected:
    void onStarted() override;
    QCoro::Task<> updateState() override;
    QCoro::Task<QVariantMap> acquire() override;
    void measuringChanged() override;

    ModbusClient &modbusClient() noexcept { return m_client; }
    /// Throws DeviceError unless the link is up: the device shows a lost link only once the
    /// reconnector's task has run, the reconnector knows at once.
    void ensureConnected() const;
    /// Busy is measuring or this (a subclass's write in flight).
    virtual bool isWriting() const { return false; }
    /// Sets busy from isMeasuring() and isWriting().
    void updateBusy();
    /// A part a subclass adds to every read of the instrument, after the channels (its
    /// setpoint). An ExceptionResponse it throws concerns that part only; other IoErrors end
    /// the read. The default reads nothing.
    virtual QCoro::Task<> readOwnPart() { co_return; }

private:
    enum class Phase { Prepare, Poll };
    /// What a failed read concerned, so that a poll that skips a part (the channels, while a
    /// measurement reads them) does not take that part's error as solved.
    enum class Part { Channels, Own, Inputs, Outputs, Pass };
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
    QCoro::Task<> readLines(BitTable table);
    QCoro::Task<> writeOutput(QString line, bool on);

    void publishLines(BitTable table, const QMap<QString, bool> &levels);
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
    quint64 m_measurementRuns = 0; // measurements started
    std::map<Part, QStringList> m_errors;
};

} // namespace Benchtop::Modbus
