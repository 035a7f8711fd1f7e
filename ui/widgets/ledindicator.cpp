// SPDX-License-Identifier: MIT
#include "ledindicator.h"

#include <QPainter>

namespace Benchtop::Ui {

LedIndicator::LedIndicator(QWidget *parent)
    : QWidget(parent)
{
    const int side = fontMetrics().height();
    setFixedSize(side, side);
    setToolTip(tr("off"));
    setAccessibleDescription(tr("off"));
}

void LedIndicator::setOn(bool on)
{
    if (on == m_on)
        return;
    m_on = on;
    setToolTip(on ? tr("on") : tr("off"));
    setAccessibleDescription(toolTip());
    update();
}

void LedIndicator::setColor(const QColor &color)
{
    m_color = color;
    update();
}

QSize LedIndicator::sizeHint() const
{
    return size();
}

void LedIndicator::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF lamp = QRectF(rect()).adjusted(2, 2, -2, -2);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.setBrush(m_on ? m_color : palette().color(QPalette::Window).darker(160));
    painter.drawEllipse(lamp);
}

} // namespace Benchtop::Ui
