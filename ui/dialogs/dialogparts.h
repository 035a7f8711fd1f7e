// SPDX-License-Identifier: MIT
#pragma once

class QDialog;
class QDialogButtonBox;
class QLabel;
class QWidget;

namespace Benchtop::Ui {

/// The parts that "Add device…" and "Connect to yaq daemon…" share, so that both read and behave
/// alike. GUI thread only.

/// The label under a form that lists what is wrong: plain text (a message may quote anything),
/// word-wrapped, selectable with the mouse so that it can be copied, in errorColor(), hidden
/// until there is something to say. Named "errorLabel" for tests.
QLabel *makeErrorLabel(QWidget *parent);

/// An "Add" and a "Cancel" button that accept and reject `dialog`. The Add button is the box's
/// Ok button, named "addButton" for tests.
QDialogButtonBox *makeAddButtons(QDialog *dialog);

} // namespace Benchtop::Ui
