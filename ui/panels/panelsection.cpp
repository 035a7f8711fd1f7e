// SPDX-License-Identifier: MIT
#include "panelsection.h"

#include <QEvent>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionGroupBox>

namespace Benchtop::Ui {

PanelSection::PanelSection(const QString &title, DeviceActions *actions, QWidget *parent)
    : QGroupBox(title, parent)
    , m_actions(actions)
{
}

void PanelSection::showEvent(QShowEvent *event)
{
    QGroupBox::showEvent(event);
    if (!m_backgroundsMatched)
        matchLiveBackgrounds();
}

void PanelSection::changeEvent(QEvent *event)
{
    QGroupBox::changeEvent(event);
    if (event->type() == QEvent::StyleChange || event->type() == QEvent::PaletteChange)
        m_backgroundsMatched = false; // at the next show
}

// The live labels are opaque (makeLiveLabel), so that Qt repaints them alone; but most styles
// tint the inside of a group box's frame (Fusion draws it with a translucent pixmap), and a
// label filled with the window's colour would show as a lighter patch. So they are filled with
// the colour the style gives the frame's inside, read once from the frame drawn in an image.
void PanelSection::matchLiveBackgrounds()
{
    m_backgroundsMatched = true;
    const QColor window = palette().color(QPalette::Window);
    QImage image(64, 96, QImage::Format_ARGB32_Premultiplied);
    image.fill(window);
    QStyleOptionGroupBox option;
    initStyleOption(&option);
    option.rect = image.rect();
    {
        QPainter painter(&image);
        style()->drawComplexControl(QStyle::CC_GroupBox, &option, &painter, this);
    }
    const QRect inside
        = style()->subControlRect(QStyle::CC_GroupBox, &option, QStyle::SC_GroupBoxContents, this);
    QColor fill = image.pixelColor(inside.isValid() ? inside.center() : image.rect().center());
    fill.setAlpha(255);
    for (QLabel *label : findChildren<QLabel *>()) {
        if (!label->autoFillBackground())
            continue;
        QPalette labelPalette = label->palette();
        labelPalette.setColor(QPalette::Window, fill);
        label->setPalette(labelPalette);
    }
}

} // namespace Benchtop::Ui
