// SPDX-License-Identifier: MIT
#pragma once

#include "simdevice.h"
#include "trapezoidprofile.h"

#include <device/positionstate.h>
#include <device/traits.h>

namespace Benchtop::Sim {

/// `sim-motor`: a linear stage with a trapezoidal velocity profile (has-position, has-limits,
/// is-homeable, is-stoppable).
///
/// Config: units, limits, hw_limits (the simulated travel; get_limits is their intersection
/// with limits), out_of_limits, speed, acceleration, home_position (where the index switch is),
/// and the fault knobs latency_ms, timeout_rate, disconnect_after_s, stuck_busy, seed.
///
/// State: position, destination (both persistent), hw_limits, homed.
///
/// - set_position applies the out_of_limits policy, sets the destination and busy, and sends
///   the move to the simulated controller (one hardware call). A new set_position during a move
///   retargets it smoothly: the new profile starts from the current position and velocity.
///   Refused (DeviceError) while homing.
/// - update_state polls the controller every 10 ms while busy and every 100 ms when idle (woken
///   at once by a new command), publishes the position, and clears busy when the motion has
///   ended: busy goes false -> true -> false exactly once per move, however often it is
///   retargeted.
/// - home() searches for the index switch, moving towards it until it trips (polled every
///   10 ms), stops there, takes it as the zero reference (position = home_position at the
///   switch; `homed` becomes true), then returns to the destination it had before homing. Busy
///   throughout. home() while homing does nothing; home() during a move takes over from it.
/// - stop() halts at once (an abort, not a deceleration): afterwards busy is false, position
///   is where it stopped and destination equals it. It also ends a homing run (`homed` stays
///   false).
/// - restoreState() puts the stage at the saved position; a move interrupted by a shutdown is
///   not resumed (destination = position).
/// - `instant = true`: motion takes no time. A move is done as soon as the controller has taken
///   it (at once with no latency_ms): position = destination and busy false again before
///   set_position returns, so that runs measure the engine rather than the stage.
class SimMotor final
    : public SimDevice
    , public PositionState
    , public HasLimits
    , public IsHomeable
    , public IsStoppable {
    Q_OBJECT
    Q_INTERFACES(
        Benchtop::HasPosition Benchtop::HasLimits Benchtop::IsHomeable Benchtop::IsStoppable)
public:
    /// Throws DeviceError for an unusable config.
    explicit SimMotor(DeviceSettings settings, QObject *parent = nullptr);
    ~SimMotor() override;

    QString units() const override { return m_units; }

    Limits limits() const override { return m_limits.intersected(m_hwLimits); }
    OutOfLimits outOfLimits() const override { return m_policy; }

    void home() override;
    void stop() override;

    void restoreState(const QVariantMap &saved) override;

    bool isHoming() const noexcept { return m_homing; }
    bool isHomed() const;
    Limits hardwareLimits() const noexcept { return m_hwLimits; }
    double speed() const noexcept { return m_speed; }
    double acceleration() const noexcept { return m_acceleration; }
    double homePosition() const noexcept { return m_home; }
    bool isInstant() const noexcept { return m_instant; }

protected:
    QCoro::Task<> updateState() override;
    /// Refused (DeviceError) while homing.
    void move(double target) override;

private:
    // The simulated controller: where the stage is, at simulated time `at`.
    double hwPosition(Async::TimePoint at) const;
    double hwVelocity(Async::TimePoint at) const;
    bool hwMoving(Async::TimePoint at) const;
    void hwMoveTo(double target);
    void hwHalt();

    QCoro::Task<> runHoming(quint64 command);

    QString m_units;
    Limits m_limits;
    Limits m_hwLimits;
    OutOfLimits m_policy = OutOfLimits::Closest;
    double m_speed = 1;
    double m_acceleration = 1;
    double m_home = 0;
    bool m_instant = false;

    TrapezoidProfile m_profile;
    Async::TimePoint m_profileStart;
    bool m_homing = false;
};

} // namespace Benchtop::Sim
