// SPDX-License-Identifier: MIT
#include "adaptivestepper.h"

#include <algorithm>
#include <cmath>

namespace Benchtop::Run {

AdaptiveStepper::AdaptiveStepper(const Parameters &parameters)
    : m_p(parameters)
    , m_next(parameters.start)
    , m_step((parameters.maxStep - parameters.minStep) / 2)
    , m_direction(parameters.stop >= parameters.start ? 1.0 : -1.0)
{
    // Bluesky starts from (max - min) / 2, which is below min_step when max < 3·min: the step
    // is kept within the bounds the plan gave.
    m_step = std::clamp(m_step, m_p.minStep, std::max(m_p.minStep, m_p.maxStep));
}

std::optional<double> AdaptiveStepper::next() const
{
    // A little slack, so that a stop reached by a sum of steps is not lost to rounding.
    const double slack = 1e-9 * std::max(1.0, std::abs(m_p.stop));
    if (m_next * m_direction > m_p.stop * m_direction + slack)
        return std::nullopt;
    return m_next;
}

void AdaptiveStepper::measured(double value)
{
    if (!m_past) {
        m_past = value;
        m_next += m_step * m_direction;
        return;
    }
    const double slope = std::abs(value - *m_past) / m_step;
    double newStep = 0;
    if (slope > 0 && std::isfinite(slope))
        newStep = std::clamp(m_p.targetDelta / slope, m_p.minStep, m_p.maxStep);
    else
        newStep = std::min(m_step * 1.1, m_p.maxStep);
    if (m_p.backstep && newStep < m_step * m_p.threshold) {
        // Overstepped: go back to the previous point and try again with the smaller step.
        m_next -= m_step * m_direction;
        m_step = newStep;
    } else {
        m_past = value;
        m_step = 0.2 * newStep + 0.8 * m_step;
    }
    m_next += m_step * m_direction;
}

} // namespace Benchtop::Run
