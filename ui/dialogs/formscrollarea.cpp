// SPDX-License-Identifier: MIT
#include "formscrollarea.h"

#include <QScreen>
#include <QScrollBar>

#include <algorithm>

namespace Benchtop::Ui {

namespace {

// QScrollArea's own hint stops at 24 lines, which cuts short forms that would fit on screen.
constexpr double kMostOfScreenHeight = 0.6;
constexpr int kMinimumLines = 5;

} // namespace

FormScrollArea::FormScrollArea(QWidget *parent)
    : QScrollArea(parent)
{
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

void FormScrollArea::setForm(QWidget *form)
{
    setWidget(form);
    updateGeometry();
}

int FormScrollArea::chromeWidth() const
{
    return 2 * frameWidth() + verticalScrollBar()->sizeHint().width();
}

QSize FormScrollArea::sizeHint() const
{
    if (!widget())
        return QScrollArea::sizeHint();
    const QSize form = widget()->sizeHint();
    const int screenHeight = screen() ? screen()->availableGeometry().height() : 800;
    const int mostHeight = static_cast<int>(screenHeight * kMostOfScreenHeight);
    return {form.width() + chromeWidth(), std::min(form.height() + 2 * frameWidth(), mostHeight)};
}

QSize FormScrollArea::minimumSizeHint() const
{
    if (!widget())
        return QScrollArea::minimumSizeHint();
    const int lines = kMinimumLines * fontMetrics().lineSpacing();
    return {widget()->minimumSizeHint().width() + chromeWidth(),
        std::min(widget()->sizeHint().height() + 2 * frameWidth(), lines)};
}

} // namespace Benchtop::Ui
