// SPDX-License-Identifier: MIT
#pragma once

#include <device/limits.h>

#include <QString>

#include <optional>

namespace Benchtop::Ui {

/// Decimals for a position within `limits`: about six significant digits across the travel (µm
/// on a 100 mm stage, mdeg on a rotator); 3 without finite limits. The panel, its log lines and
/// the log's motion entries all show a position with these.
int positionDecimals(const std::optional<Limits> &limits);

/// `value` with `decimals` and, if any, its units: "42.000 mm".
QString formatWithUnits(double value, int decimals, const QString &units);

} // namespace Benchtop::Ui
