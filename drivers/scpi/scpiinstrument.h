// SPDX-License-Identifier: MIT
#pragma once

#include "scpiconfig.h"
#include "scpireply.h"

#include <device/device.h>
#include <device/measurementrunner.h>
#include <device/sensorstate.h>
#include <device/traits.h>
#include <io/linechannel.h>
#include <io/reconnector.h>
#include <io/transport.h>

#include <memory>

namespace Benchtop::Scpi {

/// A SCPI instrument configured entirely from its lab table (a multimeter, a counter, a power
/// supply's read-backs): identity from `*IDN?`, each sensor channel read by its own query on
/// measure, optional `*OPC?` after commands and `SYST:ERR?` draining, reported as errors.
///
/// The link (TCP or serial, made by core from the same table) is kept up by a Reconnector:
/// while it is down the device shows disconnected and refuses calls at once; on reconnecting it
/// re-reads identity and setpoint before it counts as connected again.
///
/// Values: `identity` ("make model, serial …, firmware …"), `measured`, `measurement_id`,
/// `error` (the last failed background operation, "" after a success), `instrument_errors`
/// (the latest error-queue entries), `link_error`.
class ScpiInstrument
    : public Device
    , public SensorState
    , public MeasurementRunner
    , public IsStoppable {
    Q_OBJECT
    Q_INTERFACES(Benchtop::IsSensor Benchtop::HasMeasureTrigger Benchtop::IsStoppable)
public:
    /// Takes the transport core made from the same config (not yet open).
    ScpiInstrument(DeviceSettings settings, std::unique_ptr<Io::Transport> transport,
        QObject *parent = nullptr);
    ~ScpiInstrument() override;

    QVariantMap id() const override;
    const Identity &identity() const noexcept { return m_identity; }
    const ScpiConfig &scpiConfig() const noexcept { return m_config; }
    Io::Transport &transport() noexcept { return *m_transport; }
    Io::LineChannel &line() noexcept { return m_line; }
    const Io::Reconnector &reconnector() const noexcept { return m_link; }

    /// Refused when the lab table gives no channels.
    int measure(bool loop) override;
    // is-stoppable
    void stop() override { stopMeasuring(); }

    /// The driver's own messages: `query "TEXT?"` (→ the reply) and `write "TEXT"`, for the
    /// commands a lab file does not map (yaq allows any message).
    QList<MessageDefinition> ownMessages() const override;
    QVariant invokeOwn(const QString &message, const QVariantList &args) override;

protected:
    QCoro::Task<> updateState() override;
    void onStarted() override;
    /// Reads every channel, each with its own query, in one session of the line.
    QCoro::Task<QVariantMap> acquire() override;

    /// After (re)connecting, with the line held: identity, stale errors, init commands; a
    /// subclass re-reads its own state. Throwing makes the attempt fail.
    virtual QCoro::Task<> prepare(Io::LineChannel::Session &session);
    /// One poll of update_state (every poll_ms while connected). The default reads nothing.
    virtual QCoro::Task<> poll() { co_return; }

    /// Sends `command`, then `*OPC?` when configured, then drains the error queue: the
    /// instrument's errors are recorded and thrown as one DeviceError naming the command.
    QCoro::Task<> command(Io::LineChannel::Session &session, QString command);
    /// Reads the error queue until "no error" (at most max_errors entries).
    QCoro::Task<QList<InstrumentError>> drainErrors(Io::LineChannel::Session &session);
    /// `reply` parsed as a number, or Io::BadReply naming the device and the query.
    double number(const QString &query, const QString &reply) const;

private:
    Io::Reconnector::Steps linkSteps();
    QCoro::Task<QVariant> readChannel(Io::LineChannel::Session &session, const Channel &channel);
    void recordInstrumentErrors(const QList<InstrumentError> &errors, const QString &after);

    ScpiConfig m_config;
    std::unique_ptr<Io::Transport> m_transport;
    Io::LineChannel m_line;
    Io::Reconnector m_link;
    Identity m_identity;
};

} // namespace Benchtop::Scpi
