// SPDX-License-Identifier: MIT
#include "escapekey.h"

#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>

namespace Benchtop::Ui {

EscapeKey::EscapeKey(QWidget *window)
    : QObject(window)
    , m_window(window)
{
    qApp->installEventFilter(this);
}

EscapeKey::~EscapeKey()
{
    qApp->removeEventFilter(this);
}

bool EscapeKey::isEditor(const QWidget *widget)
{
    if (auto *line = qobject_cast<const QLineEdit *>(widget))
        return !line->isReadOnly();
    if (auto *spin = qobject_cast<const QAbstractSpinBox *>(widget))
        return !spin->isReadOnly();
    if (auto *text = qobject_cast<const QPlainTextEdit *>(widget))
        return !text->isReadOnly();
    if (auto *text = qobject_cast<const QTextEdit *>(widget))
        return !text->isReadOnly();
    // An item view's cell editor is a line edit or spin box, a child of the view's viewport.
    return false;
}

bool EscapeKey::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::ShortcutOverride && event->type() != QEvent::KeyPress)
        return false;
    auto *key = static_cast<QKeyEvent *>(event);
    if (key->key() != Qt::Key_Escape || key->modifiers() != Qt::NoModifier)
        return false;
    auto *widget = qobject_cast<QWidget *>(watched);
    // A spin box's key events go to its line edit first: the spin box decides.
    if (widget && qobject_cast<QAbstractSpinBox *>(widget->parentWidget()))
        widget = widget->parentWidget();
    if (!widget || widget->window() != m_window || !isEditor(widget))
        return false;
    if (event->type() == QEvent::ShortcutOverride) {
        event->accept(); // the field takes Esc: the shortcut does not fire
        return true;
    }
    // The key press that follows: leave the field, so the next Esc is Stop all again.
    widget->clearFocus();
    return true;
}

} // namespace Benchtop::Ui
