// SPDX-License-Identifier: MIT
#pragma once

#include <device/limits.h>

#include <QString>

#include <optional>

namespace Benchtop::Ui {

/// What a panel does with a target the operator typed, decided before anything is sent: the
/// device's `out_of_limits` policy applied on the panel's side, so the operator sees the reason
/// at once instead of a device error (or, under "ignore", nothing at all).
struct TargetCheck {
    enum class Verdict {
        InLimits, ///< send it as typed
        Clamped, ///< "closest": send `target`, the nearest limit, and say so
        Refused, ///< "error": send nothing; `message` is the reason
        Ignored, ///< "ignore": the device would drop it; send nothing and say so
    };
    Verdict verdict = Verdict::InLimits;
    double target = 0; ///< what to send (under Clamped, the limit)
    QString message; ///< empty when InLimits; otherwise a sentence for the operator

    bool sends() const { return verdict == Verdict::InLimits || verdict == Verdict::Clamped; }
};

/// Applies `policy` to `requested` against `limits` (none: everything is in limits). `units`
/// (may be empty) is used in the message. A NaN target is refused whatever the policy.
TargetCheck checkTarget(double requested, const std::optional<Limits> &limits, OutOfLimits policy,
    const QString &units);

} // namespace Benchtop::Ui
