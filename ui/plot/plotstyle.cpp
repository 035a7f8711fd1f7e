// SPDX-License-Identifier: MIT
#include "plotstyle.h"

#include <cmath>

namespace Benchtop::Ui::PlotStyle {

void styleAxis(QCPAxis *axis)
{
    const QColor ink(0x40, 0x40, 0x40);
    axis->setBasePen(QPen(ink));
    axis->setTickPen(QPen(ink));
    axis->setSubTickPen(QPen(ink));
    axis->setTickLabelColor(ink);
    axis->setLabelColor(ink);
    axis->grid()->setPen(QPen(QColor(0xe4, 0xe4, 0xe4)));
    axis->grid()->setZeroLinePen(QPen(QColor(0xc8, 0xc8, 0xc8)));
}

QCPRange paddedRange(double lowest, double highest)
{
    const double span = highest - lowest;
    const double pad = span > 0 ? span * 0.08 : (highest != 0 ? std::abs(highest) * 0.05 : 1.0);
    return {lowest - pad, highest + pad};
}

} // namespace Benchtop::Ui::PlotStyle
