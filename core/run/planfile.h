// SPDX-License-Identifier: MIT
#pragma once

// Reading a plan file (docs/runs.md): TOML read with the lab file's parser and checked on its
// own, as the lab check checks a lab (every problem located `FILE:LINE:COLUMN: message`, with
// "did you mean" for a misspelt key or kind). Checking it against a lab's devices is
// plancheck.h's; turning it into points is planexpansion.h's.

#include <lab/laberror.h>
#include <run/plan.h>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Benchtop::Run {

/// The plan kinds, in the order docs/runs.md describes them.
QStringList planKinds();

/// The most points a plan may expand to (repeats included): above it the plan is refused as
/// absurd before anything is allocated.
inline constexpr qint64 kMaxPlanPoints = 100'000'000;

/// What parsePlanText and parsePlanFile read.
struct PlanParseResult {
    Plan plan; ///< complete when ok(); otherwise what could be read
    QList<LabError> errors; ///< sorted by position; LabError::key is the plan key (`axis[1].start`)
    bool ok() const { return errors.isEmpty(); }
};

/// Reads a plan file (QFile: ":/..." paths work) and parses it as parsePlanText does. A file
/// that cannot be read gives one error, `FILE: cannot read the plan file: reason`. Blocking.
PlanParseResult parsePlanFile(const QString &path, const QStringList &overrides = {});

/// Parses and checks plan text on its own; errors name `path`. A TOML syntax error is the only
/// error. Otherwise every problem is reported:
/// - a missing or unknown `kind` (the closest kind suggested, else the kinds listed);
/// - an unknown key, top-level or in an `[[axis]]` (the closest key suggested), and a known key
///   that the kind does not take (naming the kind), a missing required key;
/// - each value's type and range (negative delays, points below 1, a step not above 0, ...), a
///   date or time anywhere;
/// - per kind: the axes' form (start/stop/points or values, not both; the same number of points
///   for every axis of a scan or list_scan; one axis for adaptive_scan; no snake on the first
///   axis of a grid; a device named by two axes), min_step above max_step, period_s together
///   with on_change, a target that is not "device.channel" of a detector, a `record` that is not
///   "device.value", a point count above kMaxPlanPoints;
/// - `file_template`'s form and placeholders (filenaming.h: a built-in one or a metadata key).
/// `overrides` are applied first, in order, as `benchtop-run --set` gives them: `KEY=VALUE` sets
/// a top-level key, `metadata.KEY=VALUE` a metadata entry; VALUE is read as a TOML value
/// (`delay_s=0.5`, `metadata.sample="Si"`). An error about an overridden value, or a malformed
/// override, has no line: `PATH: --set delay_s=-1: key "delay_s" must be at least 0 s, not -1`.
/// Plan::overrides keeps them; Plan::text is the file's text as given. Never throws.
PlanParseResult parsePlanText(
    const QByteArray &text, const QString &path, const QStringList &overrides = {});

/// The number of points `plan` visits when its points are known in advance (repeats included),
/// computed without expanding it: -1 for count until stopped, adaptive_scan and time_series.
/// Saturates at INT64_MAX. For a plan that parsed without errors.
qint64 planPointCount(const Plan &plan);

} // namespace Benchtop::Run
