// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QWidget;

namespace Benchtop::Ui {

/// Keeps the mouse wheel from changing a value by accident: a spin box or combo box under the
/// pointer while the user scrolls a panel or a form would otherwise take the wheel and change a
/// motor's target or a setting. The wheel event goes on to the widget's parents instead (a
/// scroll area still scrolls), and the widget no longer takes the focus on a wheel turn
/// (Qt::StrongFocus). GUI thread only.
///
/// Usage: `ignoreWheel(spinBox);` — for any widget, typically QAbstractSpinBox and QComboBox.
void ignoreWheel(QWidget *widget);

/// The event filter behind ignoreWheel(), a child of the widget it filters.
class WheelGuard : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace Benchtop::Ui
