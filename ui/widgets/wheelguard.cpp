// SPDX-License-Identifier: MIT
#include "wheelguard.h"

#include <QEvent>
#include <QWidget>

namespace Benchtop::Ui {

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        // Filtered but not accepted: QApplication then offers the event to the parent widgets,
        // so the scroll area scrolls instead of the value changing.
        event->ignore();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

void ignoreWheel(QWidget *widget)
{
    // Spin boxes and combos default to Qt::WheelFocus, which focuses them before any filter.
    widget->setFocusPolicy(Qt::StrongFocus);
    widget->installEventFilter(new WheelGuard(widget));
}

} // namespace Benchtop::Ui
