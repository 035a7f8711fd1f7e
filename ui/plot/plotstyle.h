// SPDX-License-Identifier: MIT
#pragma once

// What the time plots and the array plots share in how they look.

#include "qcustomplot_p.h"

namespace Benchtop::Ui::PlotStyle {

/// Dark grey axis, ticks and labels on a light grid, as every plot of the window draws them.
void styleAxis(QCPAxis *axis);

/// Where a value range is drawn: a little air around it, and a range around a constant (a stage
/// at rest) so the line sits in the middle rather than on the edge.
QCPRange paddedRange(double lowest, double highest);

} // namespace Benchtop::Ui::PlotStyle
