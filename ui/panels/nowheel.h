// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QWidget;

namespace Benchtop::Ui {

/// Keeps the mouse wheel from changing a value by accident: a spin box or combo box under the
/// pointer while the user scrolls a panel would otherwise take the wheel and change a motor's
/// target. The wheel event is passed on to the parent instead (a scroll area still scrolls),
/// and the widget no longer takes focus from the wheel (Qt::StrongFocus).
///
/// Usage: `ignoreWheel(spinBox);` — for any widget, typically QAbstractSpinBox and QComboBox.
void ignoreWheel(QWidget *widget);

/// The event filter behind ignoreWheel(), a child of the widget it filters.
class NoWheelFilter : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace Benchtop::Ui
