// SPDX-License-Identifier: MIT
#pragma once

// A plan turned into the points it visits (docs/runs.md, "Expansion"), known before anything
// moves: point count, shape and a duration estimate. The points can also be taken one at a time
// (planPointAt) so that an engine need not hold a long plan's list.

#include <run/plan.h>

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace Benchtop::Run {

/// The number of values along `axis`: its `points` or its `values`' count (2 for an
/// adaptive_scan's start and stop, which have no points).
qint64 axisLength(const PlanAxis &axis);

/// Value `i` (0-based, in the axis's own order) of `axis`: a double (a position, linear from
/// start to stop, or the i-th of `values`), a QString (an identifier) or an int (a turret slot
/// that checkPlan marked as such). A linear axis of one point is at `start`.
QVariant axisValue(const PlanAxis &axis, qint64 i);

/// Where the points of `plan` are known in advance (count with `points`, scan, list_scan,
/// grid_scan): their number, repeats included; -1 otherwise (count until stopped,
/// adaptive_scan, time_series). planPointCount (planfile.h) gives the same.
qint64 expandedPointCount(const Plan &plan);

/// The shape of the points, slowest first: {N} for count, scan and list_scan, {n1, n2, ...}
/// for a grid_scan (first axis slowest); with repeats > 1, {repeats, ...} before it. Empty when
/// the points are not known in advance.
QList<int> expandedShape(const Plan &plan);

/// Point `index` (0-based, in visiting order, repeats included; 0 ≤ index <
/// expandedPointCount) of a plan whose points are known in advance:
/// - count: no setpoints;
/// - scan, list_scan: value `index % n` of every axis (axes move together);
/// - grid_scan: the outer product, first axis slowest; an axis with `snake` runs backwards on
///   every other pass of the axes outside it (each repeat starts afresh); `gridIndex` holds the
///   index of each axis's value in its own list, slowest first.
/// Relative axes give offsets; adding the start position is the engine's. Pure; O(axes).
PlanPoint planPointAt(const Plan &plan, qint64 index);

/// Every point of `plan` (planPointAt for each), its shape, count and duration estimate. For a
/// plan without points known in advance: no points, an empty shape, pointCount -1, and an
/// estimate only for a time_series with `duration_s`. Memory grows with the point count (about
/// 80 bytes per point and axis): an engine running millions of points should use planPointAt.
/// The plan must have parsed without errors (and, for turret slots, been through checkPlan).
ExpandedPlan expandPlan(const Plan &plan);

/// A lower bound of the run's duration, in seconds, from the plan alone: each point's
/// `delay_s`, plus `settle_s` at each point of a plan that moves axes; a time_series' duration_s.
/// Move times and the detectors' own measuring time are not included (the plan does not know
/// them). Negative when the point count is not known in advance.
double estimatePlanSeconds(const Plan &plan);

/// What `benchtop-run --check` prints of a plan that parsed and checked without errors, a line
/// each: the kind with its point count, shape and estimate (`grid_scan: 15 points (5 × 3), at
/// least 0:00:02`, formatDuration of runprogress.h), then each axis's range (`axis 1 "stage-x": 0
/// to 20 mm in 5 points`; `units` maps a device to its position units and may be empty), then the
/// detectors and the recorded values. Pure.
QStringList planSummary(const Plan &plan, const QHash<QString, QString> &units = {});

} // namespace Benchtop::Run
