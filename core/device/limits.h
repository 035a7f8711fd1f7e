// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <limits>
#include <optional>

namespace Benchtop {

/// A closed interval of positions, in the device's units. Unbounded by default.
struct Limits {
    double lower = -std::numeric_limits<double>::infinity();
    double upper = std::numeric_limits<double>::infinity();

    bool contains(double x) const { return x >= lower && x <= upper; }
    /// The positions both intervals allow (yaq's get_limits: configured ∩ hardware limits).
    Limits intersected(const Limits &other) const;
    bool operator==(const Limits &) const = default;
};

/// has-limits' config key `out_of_limits`: what set_position does with a target outside limits.
enum class OutOfLimits {
    Closest, ///< move to the nearest limit instead (yaq's default)
    Ignore, ///< leave the request without effect
    Error, ///< refuse the request with a DeviceError
};

std::optional<OutOfLimits> outOfLimitsFromString(const QString &text);
QString toString(OutOfLimits policy);

/// Applies `policy` to `target`: the position to move to, or nullopt when the request is to be
/// ignored. Throws DeviceError (naming `device`, the target and the limits) under Error.
/// A NaN target is always refused.
std::optional<double> applyLimits(
    double target, const Limits &limits, OutOfLimits policy, const QString &device);

} // namespace Benchtop
