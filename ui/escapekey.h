// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QWidget;

namespace Benchtop::Ui {

/// Esc means "cancel" to everyone: in a text or number field of `window` it leaves the field
/// (what was typed is not applied) instead of triggering the window's Esc shortcut (Stop all).
/// Popups, menus and dialogs are windows of their own and take Esc themselves. Everywhere else
/// in the window Esc stays the shortcut.
///
/// Installed on the application (key events reach the focus widget, not the window); acts only
/// on widgets inside `window`. GUI thread only.
class EscapeKey : public QObject {
    Q_OBJECT
public:
    explicit EscapeKey(QWidget *window);
    ~EscapeKey() override;

    /// Whether `widget` edits text or a number, so that Esc should cancel that edit.
    static bool isEditor(const QWidget *widget);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *m_window;
};

} // namespace Benchtop::Ui
