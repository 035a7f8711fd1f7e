// SPDX-License-Identifier: MIT
#include "dialogparts.h"

#include <widgets/tint.h>

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>

namespace Benchtop::Ui {

QLabel *makeErrorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QStringLiteral("errorLabel"));
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setTextColor(label, errorColor());
    label->hide();
    return label;
}

QDialogButtonBox *makeAddButtons(QDialog *dialog)
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    QPushButton *add = buttons->button(QDialogButtonBox::Ok);
    add->setText(QDialog::tr("Add"));
    add->setObjectName(QStringLiteral("addButton"));
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    return buttons;
}

} // namespace Benchtop::Ui
