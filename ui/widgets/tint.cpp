// SPDX-License-Identifier: MIT
#include "tint.h"

namespace Benchtop::Ui {

QColor tinted(const QColor &background, const QColor &colour, qreal amount)
{
    const auto mix = [amount](float from, float to) { return from + (to - from) * float(amount); };
    return QColor::fromRgbF(mix(background.redF(), colour.redF()),
        mix(background.greenF(), colour.greenF()), mix(background.blueF(), colour.blueF()));
}

QColor readableOn(const QColor &background, const QColor &colour)
{
    return background.lightness() > 128 ? colour.darker(140) : colour.lighter(150);
}

} // namespace Benchtop::Ui
