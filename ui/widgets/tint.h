// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>

namespace Benchtop::Ui {

/// `background` with a little of `colour` mixed in (`amount` 0..1): a row tint that keeps the
/// palette's text readable on light and dark themes.
QColor tinted(const QColor &background, const QColor &colour, qreal amount = 0.22);

/// `colour` darkened on a light background, lightened on a dark one, so that text drawn in it
/// keeps enough contrast.
QColor readableOn(const QColor &background, const QColor &colour);

} // namespace Benchtop::Ui
