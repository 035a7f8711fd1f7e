// SPDX-License-Identifier: MIT
#pragma once

#include <optional>

namespace Benchtop::Run {

/// Bluesky's adaptive_scan, as pure logic: where the next point goes, from the target value
/// read at each point. The step starts at the middle of [minStep, maxStep]; after each reading
/// the slope |ΔI| / step gives the step that would change the target by `targetDelta`, clipped to
/// [minStep, maxStep] (when the slope is zero, the step grows by 10% up to maxStep). The new step
/// is smoothed (0.2·new + 0.8·old); with `backstep`, a new step below 0.8 of the old one goes back
/// and measures again from the previous point with the smaller step. The scan ends once the next
/// position is past `stop`. Works in both directions (stop below start).
class AdaptiveStepper {
public:
    struct Parameters {
        double start = 0;
        double stop = 0;
        double minStep = 0;
        double maxStep = 0;
        double targetDelta = 0;
        bool backstep = false;
        double threshold = 0.8; ///< Bluesky's default
    };

    explicit AdaptiveStepper(const Parameters &parameters);

    /// The position of the next point, or nullopt when the scan is over.
    std::optional<double> next() const;
    /// The target's value at the position next() gave: decides the point after it.
    void measured(double value);

    double step() const noexcept { return m_step; }

private:
    Parameters m_p;
    double m_next;
    double m_step;
    double m_direction;
    std::optional<double> m_past;
};

} // namespace Benchtop::Run
