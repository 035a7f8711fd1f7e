// SPDX-License-Identifier: MIT
#include "wheelguard.h"

#include <QEvent>
#include <QWidget>

namespace Benchtop::Ui {

void WheelGuard::guard(QWidget *widget)
{
    // Spin boxes and combos default to Qt::WheelFocus, which focuses them before any filter.
    widget->setFocusPolicy(Qt::StrongFocus);
    widget->installEventFilter(this);
}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        // Filtered but not accepted: QApplication passes it on to the parent widgets.
        event->ignore();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace Benchtop::Ui
