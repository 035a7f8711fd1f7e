// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>

class QWidget;

namespace Benchtop::Ui {

/// Colours that keep text readable on light and dark themes.

/// `background` with a little of `colour` mixed in (`amount` 0..1): a row tint that keeps the
/// palette's text readable on light and dark themes.
QColor tinted(const QColor &background, const QColor &colour, qreal amount = 0.22);

/// `colour` darkened on a light background, lightened on a dark one, so that text drawn in it
/// keeps enough contrast.
QColor readableOn(const QColor &background, const QColor &colour);

/// The colour of error text and of the labels of wrong rows in a form: readable on light and
/// on dark window backgrounds.
QColor errorColor();

/// Draws `widget`'s text (QPalette::WindowText) in `colour`. `widget->setPalette(QPalette())`
/// makes it inherit its parent's colours again.
void setTextColor(QWidget *widget, const QColor &colour);

} // namespace Benchtop::Ui
