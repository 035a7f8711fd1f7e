// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <chrono>

namespace Benchtop::Sim {

/// The noise filter of the seed's apoll accelerometer: a sample is taken as movement only when
/// it is farther than `threshold` (Euclidean distance) from the vector last accepted; smaller
/// changes are noise and are dropped. The device is still once no movement has been seen for
/// `stillAfter`. The first sample is accepted as the starting vector (and starts the count).
///
/// Pure logic: time is passed in, so it is tested without a clock or an event loop.
class AccelerationFilter {
public:
    using Vector = std::array<double, 3>;
    using TimePoint = std::chrono::steady_clock::time_point;

    AccelerationFilter(double threshold, std::chrono::steady_clock::duration stillAfter);

    /// Takes one raw sample read at `at`. Returns true if it was accepted (the first sample, or
    /// a movement), false if it was dropped as noise.
    bool update(const Vector &sample, TimePoint at);
    /// The accepted vector: the filtered reading.
    const Vector &vector() const noexcept { return m_vector; }
    bool hasSample() const noexcept { return m_initialized; }
    /// No movement for at least `stillAfter` before `at` (false before the first sample).
    bool isStill(TimePoint at) const noexcept;
    TimePoint lastMovement() const noexcept { return m_lastMovement; }

    double threshold() const noexcept { return m_threshold; }
    std::chrono::steady_clock::duration stillAfter() const noexcept { return m_stillAfter; }

private:
    double m_threshold;
    std::chrono::steady_clock::duration m_stillAfter;
    Vector m_vector{};
    TimePoint m_lastMovement{};
    bool m_initialized = false;
};

} // namespace Benchtop::Sim
