// SPDX-License-Identifier: MIT
#pragma once

#include "scpiinstrument.h"

#include <device/positionstate.h>

namespace Benchtop::Scpi {

/// An ScpiInstrument with a setpoint (a power supply's voltage, a source's frequency) driven as
/// has-position with has-limits: set_position sends the configured command template, waits for
/// completion and the error queue, then reads the setpoint back. `position` is always the
/// instrument's read-back, `destination` what was asked for.
class ScpiSupply
    : public ScpiInstrument
    , public PositionState
    , public HasLimits {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition Benchtop::HasLimits)
public:
    ScpiSupply(DeviceSettings settings, std::unique_ptr<Io::Transport> transport,
        QObject *parent = nullptr);
    ~ScpiSupply() override;

    // has-position
    QString units() const override { return m_setpoint.units; }
    // has-limits
    Limits limits() const override { return m_setpoint.limits; }
    OutOfLimits outOfLimits() const override { return m_setpoint.outOfLimits; }
    // is-stoppable: also abandons a setpoint still being sent
    void stop() override;

protected:
    void move(double target) override;
    QCoro::Task<> prepare(Io::LineChannel::Session &session) override;
    QCoro::Task<> poll() override;

private:
    QCoro::Task<> applySetpoint(quint64 run, double target);
    QCoro::Task<> readBack(Io::LineChannel::Session &session);

    Setpoint m_setpoint;
    quint64 m_run = 0;
    Async::TaskHandle<void> m_setting;
};

} // namespace Benchtop::Scpi
