// SPDX-License-Identifier: MIT
#pragma once

#include "simdevice.h"

#include <device/traits.h>

namespace Benchtop::Sim {

/// `sim-filter-wheel`: a motorised wheel of named slots (is-discrete, is-stoppable).
///
/// Config: slots (names, in wheel order), seconds_per_slot, and the fault knobs latency_ms,
/// timeout_rate, disconnect_after_s, stuck_busy, seed.
///
/// Positions are slot indices: slot i of `slots` is at position i. The wheel turns at a
/// constant 1 / seconds_per_slot slots per second, directly from where it is to the target (it
/// does not wrap around), so the published position is fractional while it moves.
///
/// State: position (persistent), destination, position_identifier: the slot's name once the
/// wheel has stopped exactly at a slot, "" while it moves or when it was stopped between slots.
///
/// - set_identifier(name) returns the slot's position and starts the move (one hardware call);
///   an unknown name is refused with DeviceError listing the slots. A new set_identifier during
///   a move turns from where the wheel is.
/// - update_state polls every 10 ms while busy and every 100 ms when idle; busy goes
///   false -> true -> false once per move.
/// - stop() halts at once, possibly between slots: busy false, destination = position.
class SimFilterWheel final
    : public SimDevice
    , public IsDiscrete
    , public IsStoppable {
    Q_OBJECT
    Q_INTERFACES(Benchtop::IsDiscrete Benchtop::IsStoppable)
public:
    /// Throws DeviceError for an unusable config.
    explicit SimFilterWheel(DeviceSettings settings, QObject *parent = nullptr);
    ~SimFilterWheel() override;

    QMap<QString, double> positionIdentifiers() const override;
    QString identifier() const override;
    double setIdentifier(const QString &identifier) override;
    void stop() override;

    void restoreState(const QVariantMap &saved) override;

    const QStringList &slotNames() const noexcept { return m_slots; }
    double position() const;
    double destination() const;
    double secondsPerSlot() const noexcept { return m_secondsPerSlot; }

protected:
    QCoro::Task<> updateState() override;

private:
    // The simulated wheel: where it is at simulated time `at`.
    double hwPosition(Async::TimePoint at) const;
    bool hwMoving(Async::TimePoint at) const;
    void hwMoveTo(double target);
    void hwHalt();

    void publish(double position, bool moving);

    QStringList m_slots;
    double m_secondsPerSlot = 1;

    double m_from = 0;
    double m_to = 0;
    Async::TimePoint m_moveStart;
};

} // namespace Benchtop::Sim
