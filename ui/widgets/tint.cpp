// SPDX-License-Identifier: MIT
#include "tint.h"

#include <QPalette>
#include <QWidget>

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

QColor errorColor()
{
    return QColor(0xd3, 0x2f, 0x2f);
}

void setTextColor(QWidget *widget, const QColor &colour)
{
    QPalette palette = widget->palette();
    palette.setColor(QPalette::WindowText, colour);
    widget->setPalette(palette);
}

} // namespace Benchtop::Ui
