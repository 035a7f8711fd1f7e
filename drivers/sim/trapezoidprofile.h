// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>

namespace Benchtop::Sim {

/// A point-to-point move with a trapezoidal velocity profile: constant acceleration up to the
/// maximum speed, cruise, constant deceleration to rest exactly at the target. A move too short
/// to reach the maximum speed is triangular (accelerate, then decelerate at once).
///
/// The move may start with a velocity (a move retargeted while running): if that velocity
/// points away from the target, or the target is too close to stop in time, the profile first
/// brakes to rest and then makes a fresh move back; if it is above the maximum speed, it first
/// slows down to it. Position and velocity are continuous throughout and |acceleration| never
/// exceeds the given one.
///
/// Pure value type. Units are the caller's (position units, per second, per second squared);
/// times are seconds from the start of the move.
class TrapezoidProfile {
public:
    /// At rest at `position`: duration 0.
    explicit TrapezoidProfile(double position = 0.0);
    /// A move from `from` to `to`. `maxSpeed` and `acceleration` must be positive (otherwise
    /// std::invalid_argument); `initialVelocity` is signed (positive: increasing position).
    TrapezoidProfile(
        double from, double to, double maxSpeed, double acceleration, double initialVelocity = 0.0);

    double from() const noexcept { return m_from; }
    double to() const noexcept { return m_to; }
    /// Seconds from start to rest at to().
    double duration() const noexcept { return m_duration; }
    bool isDone(double t) const noexcept { return t >= m_duration; }

    /// Position at `t` seconds: from() before the start, exactly to() from duration() on.
    double position(double t) const noexcept;
    /// Signed velocity at `t` seconds: 0 before the start (unless it started moving) and after
    /// the end.
    double velocity(double t) const noexcept;
    /// The highest speed (|velocity|) reached.
    double peakSpeed() const noexcept;
    /// A move that never cruises: it reaches its peak speed and decelerates at once.
    bool isTriangular() const noexcept;

private:
    struct Phase {
        double start = 0; // s
        double duration = 0; // s
        double x0 = 0;
        double v0 = 0;
        double a = 0;
    };

    void addPhase(double acceleration, double duration);
    void finish();
    const Phase *phaseAt(double t) const noexcept;

    static constexpr std::size_t kMaxPhases = 5; // brake, slow down, accelerate, cruise, stop
    std::array<Phase, kMaxPhases> m_phases{};
    std::size_t m_count = 0;
    double m_from = 0;
    double m_to = 0;
    double m_duration = 0;
    double m_initialVelocity = 0;
    // State at the end of the phases added so far, while building.
    double m_x = 0;
    double m_v = 0;
};

} // namespace Benchtop::Sim
