// SPDX-License-Identifier: MIT
#include "nowheel.h"

#include <QEvent>
#include <QWidget>

namespace Benchtop::Ui {

bool NoWheelFilter::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        // Ignored and filtered: QApplication then offers the event to the parents, so the
        // panel's scroll area scrolls instead of the value changing.
        event->ignore();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

void ignoreWheel(QWidget *widget)
{
    widget->setFocusPolicy(Qt::StrongFocus);
    widget->installEventFilter(new NoWheelFilter(widget));
}

} // namespace Benchtop::Ui
