// SPDX-License-Identifier: MIT
#pragma once

#include <QScrollArea>

namespace Benchtop::Ui {

/// A scroll area for a form that may be long: it asks to be as tall as the form, up to three
/// fifths of the screen (so a short form shows whole and a long one scrolls), and at least as
/// wide as the form needs, so that it never scrolls sideways. Its widget is resizable.
class FormScrollArea : public QScrollArea {
    Q_OBJECT
public:
    explicit FormScrollArea(QWidget *parent = nullptr);

    /// Shows `form` (deleting the previous one) and asks the layout for a new size.
    void setForm(QWidget *form);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

private:
    int chromeWidth() const;
};

} // namespace Benchtop::Ui
