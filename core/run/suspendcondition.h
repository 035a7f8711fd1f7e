// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>

namespace Benchtop::Run {

/// A condition suspender (Bluesky's SuspendFloor, SuspendCeil, SuspendWhenOutsideBand): the run
/// is suspended while a value of a device is outside what the condition allows, and resumes
/// once it is back (and has stayed back for the engine's resume delay).
struct SuspendCondition {
    enum class Kind {
        Below, ///< suspends while the value is below `low`
        Above, ///< suspends while the value is above `high`
        Outside, ///< suspends while the value is outside [low, high]
    };
    QString value; ///< "device.value", as a plan's `record` names it
    Kind kind = Kind::Below;
    double low = 0;
    double high = 0;

    /// Why `reading` suspends the run ("beam.current is 3.2, below 5"), or nullopt when it does
    /// not. A value that is not a number suspends (it cannot be said to be fine).
    std::optional<QString> violation(std::optional<double> reading) const;
};

} // namespace Benchtop::Run
