// SPDX-License-Identifier: MIT
#include "trapezoidprofile.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace Benchtop::Sim {

namespace {
double signOf(double x)
{
    return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
}
} // namespace

TrapezoidProfile::TrapezoidProfile(double position)
    : m_from(position)
    , m_to(position)
    , m_x(position)
{
}

TrapezoidProfile::TrapezoidProfile(
    double from, double to, double maxSpeed, double acceleration, double initialVelocity)
    : m_from(from)
    , m_to(to)
    , m_initialVelocity(initialVelocity)
    , m_x(from)
    , m_v(initialVelocity)
{
    if (!(maxSpeed > 0) || !(acceleration > 0) || !std::isfinite(maxSpeed)
        || !std::isfinite(acceleration))
        throw std::invalid_argument("TrapezoidProfile: speed and acceleration must be positive");
    if (!std::isfinite(from) || !std::isfinite(to) || !std::isfinite(initialVelocity))
        throw std::invalid_argument("TrapezoidProfile: positions and velocity must be finite");
    const double a = acceleration;

    // Moving away from the target, or too fast to stop before it: brake to rest first.
    if (m_v != 0) {
        const double distance = to - m_x;
        const double stopping = m_v * m_v / (2 * a);
        if (m_v * distance <= 0 || stopping > std::abs(distance)) {
            addPhase(-signOf(m_v) * a, std::abs(m_v) / a);
            m_v = 0; // exactly: the next phase starts from rest
        }
    }

    double distance = to - m_x;
    if (distance == 0) {
        finish();
        return;
    }
    const double direction = signOf(distance);
    double speed = std::abs(m_v); // towards the target (or zero)
    if (speed > maxSpeed) {
        // Faster than allowed (the speed was lowered during a move): slow down to it. There is
        // room, since the stopping distance from `speed` fits.
        addPhase(-direction * a, (speed - maxSpeed) / a);
        speed = maxSpeed;
        m_v = direction * maxSpeed;
        distance = to - m_x;
    }
    const double length = std::abs(distance);
    // Accelerating from `speed` to `peak` and braking from `peak` to rest covers `length`.
    const double peak = std::max(speed, std::sqrt(a * length + speed * speed / 2));
    if (peak > maxSpeed) {
        const double accelerating = (maxSpeed * maxSpeed - speed * speed) / (2 * a);
        const double braking = maxSpeed * maxSpeed / (2 * a);
        const double cruising = std::max(0.0, length - accelerating - braking);
        addPhase(direction * a, (maxSpeed - speed) / a);
        addPhase(0, cruising / maxSpeed);
        addPhase(-direction * a, maxSpeed / a);
    } else {
        addPhase(direction * a, (peak - speed) / a);
        addPhase(-direction * a, peak / a);
    }
    finish();
}

void TrapezoidProfile::finish()
{
    m_duration = m_count == 0 ? 0.0 : m_phases[m_count - 1].start + m_phases[m_count - 1].duration;
}

void TrapezoidProfile::addPhase(double acceleration, double duration)
{
    if (!(duration > 0))
        return;
    const double start
        = m_count == 0 ? 0.0 : m_phases[m_count - 1].start + m_phases[m_count - 1].duration;
    m_phases[m_count++] = Phase{start, duration, m_x, m_v, acceleration};
    m_x += m_v * duration + acceleration * duration * duration / 2;
    m_v += acceleration * duration;
}

const TrapezoidProfile::Phase *TrapezoidProfile::phaseAt(double t) const noexcept
{
    for (std::size_t i = 0; i < m_count; ++i) {
        if (t < m_phases[i].start + m_phases[i].duration)
            return &m_phases[i];
    }
    return nullptr;
}

double TrapezoidProfile::position(double t) const noexcept
{
    if (m_count == 0)
        return m_to;
    if (t <= 0)
        return m_from;
    const Phase *phase = phaseAt(t);
    if (!phase)
        return m_to; // exactly, whatever the rounding of the phases
    const double dt = t - phase->start;
    return phase->x0 + phase->v0 * dt + phase->a * dt * dt / 2;
}

double TrapezoidProfile::velocity(double t) const noexcept
{
    if (t >= m_duration)
        return 0.0;
    if (t <= 0)
        return m_initialVelocity;
    const Phase *phase = phaseAt(t);
    return phase ? phase->v0 + phase->a * (t - phase->start) : 0.0;
}

double TrapezoidProfile::peakSpeed() const noexcept
{
    double peak = std::abs(m_initialVelocity);
    for (std::size_t i = 0; i < m_count; ++i) {
        const Phase &p = m_phases[i];
        peak = std::max({peak, std::abs(p.v0), std::abs(p.v0 + p.a * p.duration)});
    }
    return peak;
}

bool TrapezoidProfile::isTriangular() const noexcept
{
    if (m_count == 0)
        return false;
    return std::none_of(m_phases.begin(), m_phases.begin() + static_cast<std::ptrdiff_t>(m_count),
        [](const Phase &p) { return p.a == 0; });
}

} // namespace Benchtop::Sim
