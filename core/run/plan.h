// SPDX-License-Identifier: MIT
#pragma once

// A plan: what a run does, read from a TOML plan file (docs/runs.md). planfile.h reads and
// checks it; planexpansion.h turns it into the list of points the engine visits.

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

#include <optional>
#include <vector>

namespace Benchtop::Run {

/// One `[[axis]]` table.
struct PlanAxis {
    QString device;
    /// Either start/stop/points (a linear axis) ...
    std::optional<double> start;
    std::optional<double> stop;
    std::optional<int> points;
    /// ... or explicit values: numbers for a has-position device, identifiers (strings) for an
    /// is-discrete device, slot numbers for a has-turret device.
    QVariantList values;
    bool relative = false; ///< positions are offsets from where the device is at the start
    bool snake = false; ///< grid_scan: reverse this axis on every other pass of the outer ones
    int line = 0; ///< where the table starts in the plan file, for messages
    int column = 0;
};

/// A plan file, read and checked on its own (not yet against a lab).
struct Plan {
    QString path; ///< as given; empty when read from text
    QByteArray text; ///< verbatim, for the run's files
    /// "count", "scan", "list_scan", "grid_scan", "adaptive_scan", "time_series"
    QString kind;
    QStringList detectors; ///< device names
    QStringList record; ///< extra values, "device.value"
    std::optional<qint64> points; ///< count: N points; empty means until stopped
    double delaySeconds = 0; ///< between points
    double settleSeconds = 0; ///< after each move, before triggering the detectors
    int repeats = 1; ///< the whole plan, this many times
    bool returnToStart = false; ///< move the axes back where they were when the run ends
    double suspendTimeoutSeconds = 600; ///< a suspension longer than this fails the run
    QString fileTemplate; ///< empty: the default, "{date}/{scan_id:05d}_{kind}_{sample}"
    QList<PlanAxis> axes;

    // adaptive_scan (as Bluesky's adaptive_scan)
    QString target; ///< "device.channel" whose slope sets the step
    double minStep = 0;
    double maxStep = 0;
    double targetDelta = 0;
    bool backstep = false;

    // time_series
    std::optional<double> periodSeconds; ///< record every period ...
    bool onChange = false; ///< ... or at every change of a recorded value
    std::optional<double> durationSeconds; ///< empty: until stopped

    QVariantMap metadata; ///< the [metadata] table: sample, operator, comment, any user keys

    /// `benchtop-run --set KEY=VALUE` overrides applied on top of `text`, in order.
    QStringList overrides;
    /// (line, column) of each value in `text`, keyed by path ("delay_s", "axis[1].start",
    /// "axis[0].values[3]", "detectors[0]"), for the messages of the check against a lab.
    QHash<QString, QPair<int, int>> keyPositions;
};

/// One point of an expanded plan: where each axis goes, in the order of Plan::axes.
struct PlanPoint {
    /// One per axis: a double for a position (an offset when the axis is relative), a QString
    /// for an is-discrete identifier, an int for a turret slot.
    std::vector<QVariant> setpoints;
    /// For grid_scan: the index along each axis, slowest first (before snaking reverses the
    /// visiting order, i.e. the index of the value in its axis's list). Empty otherwise.
    std::vector<int> gridIndex;
};

/// A plan turned into the points it visits, known before anything moves.
struct ExpandedPlan {
    /// Every point in visiting order (repeats included). Empty for plans whose points are not
    /// known in advance: count until stopped, adaptive_scan, time_series.
    std::vector<PlanPoint> points;
    QList<int> shape; ///< slowest first; {N} for a 1-D plan; empty when not known in advance
    qint64 pointCount = -1; ///< -1 when not known in advance
    /// An estimate from the plan alone (delays, settle times, known move speeds); negative when
    /// it cannot be estimated.
    double estimatedSeconds = -1;
};

} // namespace Benchtop::Run
