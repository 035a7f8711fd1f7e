// SPDX-License-Identifier: MIT
#include "adddevicedialog.h"

#include "configform.h"
#include "dialogparts.h"
#include "formscrollarea.h"
#include "newdevicecheck.h"

#include <widgets/tint.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace Benchtop::Ui {

namespace {

constexpr int kWidthInCharacters = 80;

QLabel *boldLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

AddDeviceDialog::AddDeviceDialog(LabDrivers drivers, QList<LabDevice> existing, QWidget *parent)
    : QDialog(parent)
    , m_drivers(std::move(drivers))
    , m_existing(std::move(existing))
{
    setWindowTitle(tr("Add device"));

    m_kindCombo = new QComboBox(this);
    m_kindCombo->setObjectName(QStringLiteral("kindCombo"));
    for (const DriverInfo &driver : std::as_const(m_drivers.kinds)) {
        m_kindCombo->addItem(driver.kind);
        m_kindCombo->setItemData(m_kindCombo->count() - 1, driver.description, Qt::ToolTipRole);
    }
    m_descriptionLabel = new QLabel(this);
    m_descriptionLabel->setObjectName(QStringLiteral("descriptionLabel"));
    m_descriptionLabel->setWordWrap(true);
    m_nameEdit = new QLineEdit(this);
    m_nameEdit->setObjectName(QStringLiteral("nameEdit"));
    m_nameEdit->setToolTip(tr("What the window, bindings and the lab file call the device: "
                              "letters, digits, \"-\" and \"_\"."));

    // A grid, not a QFormLayout: a form row keeps the wrapped description at the height of its
    // narrow size hint, leaving gaps around it.
    auto *top = new QGridLayout;
    top->setColumnStretch(1, 1);
    auto *kindLabel = new QLabel(tr("&Driver"), this);
    kindLabel->setBuddy(m_kindCombo);
    m_nameLabel = new QLabel(tr("&Name"), this);
    m_nameLabel->setBuddy(m_nameEdit);
    top->addWidget(kindLabel, 0, 0);
    top->addWidget(m_kindCombo, 0, 1);
    top->addWidget(m_descriptionLabel, 1, 1);
    top->addWidget(m_nameLabel, 2, 0);
    top->addWidget(m_nameEdit, 2, 1);

    m_scrollArea = new FormScrollArea(this);

    m_requiredNote = new QLabel(tr("Settings marked * are required."), this);
    m_errorLabel = makeErrorLabel(this);
    m_buttons = makeAddButtons(this);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addSpacing(layout->spacing());
    layout->addWidget(boldLabel(tr("Settings"), this));
    layout->addWidget(m_scrollArea, 1);
    layout->addWidget(m_requiredNote);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);

    connect(m_kindCombo, &QComboBox::currentIndexChanged, this, &AddDeviceDialog::showKind);
    showKind(m_kindCombo->currentIndex());
    // Room for TOML values such as `{ foot = "spectrometer.measure" }` without scrolling them.
    const int width
        = std::max(sizeHint().width(), fontMetrics().averageCharWidth() * kWidthInCharacters);
    // At that width the description wraps to fewer lines than sizeHint() assumed.
    resize(width,
        layout->hasHeightForWidth() ? layout->totalHeightForWidth(width) : sizeHint().height());
}

AddDeviceDialog::~AddDeviceDialog() = default;

DeviceSettings AddDeviceDialog::settings() const
{
    return m_settings;
}

QString AddDeviceDialog::kind() const
{
    return m_kindCombo->currentText();
}

void AddDeviceDialog::setKind(const QString &kind)
{
    if (const int index = m_kindCombo->findText(kind, Qt::MatchExactly); index >= 0)
        m_kindCombo->setCurrentIndex(index);
}

void AddDeviceDialog::accept()
{
    const int index = m_kindCombo->currentIndex();
    if (index < 0 || !m_form)
        return;
    const QString name = m_nameEdit->text().trimmed();
    const QString kind = m_drivers.kinds.at(index).kind;
    const QList<TomlEntry> entries = m_form->entries();
    const NewDeviceCheck check = checkNewDevice(name, kind, entries, m_existing, m_drivers);
    if (!check.ok()) {
        showProblems(check, false);
        return;
    }
    QStringList input{kind, name};
    for (const TomlEntry &entry : entries)
        input << entry.key << entry.text;
    if (!check.warnings.isEmpty() && input != m_warnedInput) {
        m_warnedInput = input;
        showProblems(check, true);
        return;
    }
    clearProblems();
    m_settings = {name, kind, check.config};
    QDialog::accept();
}

void AddDeviceDialog::showKind(int index)
{
    clearProblems();
    if (index < 0) {
        m_descriptionLabel->setText(tr("No driver plugin is loaded, so there is nothing to add."));
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
        m_requiredNote->hide();
        return;
    }
    const DriverInfo &driver = m_drivers.kinds.at(index);
    m_descriptionLabel->setText(driver.description);
    m_descriptionLabel->setVisible(!driver.description.isEmpty());

    const bool nameUntouched = m_nameEdit->text() == m_suggestedName;
    m_suggestedName = freeDeviceName(driver.kind, m_existing);
    if (nameUntouched)
        m_nameEdit->setText(m_suggestedName);

    m_form = new ConfigForm(driver);
    m_scrollArea->setForm(m_form); // deletes the previous kind's form
    m_requiredNote->setVisible(m_form->hasRequiredFields());
}

void AddDeviceDialog::showProblems(const NewDeviceCheck &check, bool warnings)
{
    clearProblems();
    QStringList lines;
    QWidget *firstWrong = nullptr;
    if (!check.nameProblem.isEmpty()) {
        lines << check.nameProblem;
        setTextColor(m_nameLabel, errorColor());
        m_nameEdit->setProperty("invalid", true);
        firstWrong = m_nameEdit;
    }
    for (const SettingProblem &problem : warnings ? check.warnings : check.problems) {
        lines << (warnings ? tr("Warning: %1").arg(problem.message) : problem.message);
        if (problem.key.isEmpty())
            continue;
        m_form->markInvalid(problem.key);
        if (!firstWrong)
            firstWrong = m_form->editor(problem.key);
    }
    for (QString &line : lines)
        line.prepend(QStringLiteral("• "));
    if (warnings)
        lines << tr("Press %1 again to add the device all the same.")
                     .arg(m_buttons->button(QDialogButtonBox::Ok)->text().remove(QLatin1Char('&')));
    m_errorLabel->setText(lines.join(QLatin1Char('\n')));
    m_errorLabel->show();
    if (firstWrong) {
        firstWrong->setFocus(Qt::OtherFocusReason);
        if (firstWrong != m_nameEdit)
            m_scrollArea->ensureWidgetVisible(firstWrong);
    }
}

void AddDeviceDialog::clearProblems()
{
    m_errorLabel->clear();
    m_errorLabel->hide();
    m_nameLabel->setPalette(QPalette());
    m_nameEdit->setProperty("invalid", false);
    if (m_form)
        m_form->clearMarks();
}

} // namespace Benchtop::Ui
