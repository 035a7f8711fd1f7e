// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QWidget;

namespace Benchtop::Ui {

/// Keeps the mouse wheel from changing the value of the widgets it guards (spin boxes and combo
/// boxes in a scrolling form, where a wheel meant for the form would land on them): the wheel
/// event goes on to their parents, so the form scrolls instead. GUI thread only.
class WheelGuard : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// Guards `widget` from now on, and stops it from taking the focus on a wheel turn.
    void guard(QWidget *widget);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace Benchtop::Ui
