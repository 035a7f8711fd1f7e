// SPDX-License-Identifier: MIT
#include "configform.h"

#include "fieldeditor.h"

#include <widgets/tint.h>
#include <widgets/wheelguard.h>

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QToolButton>

#include <algorithm>

namespace Benchtop::Ui {

namespace {

const QString kUnitsKey = QStringLiteral("units");

bool isNumber(const ConfigField &field)
{
    return field.type == ValueType::Int || field.type == ValueType::Double;
}

/// The field's units with the word "units" standing for the kind's own: `units/s` → `mm/s`.
QString unitsOf(const ConfigField &field, const QString &kindUnits)
{
    if (kindUnits.isEmpty())
        return field.units;
    static const QRegularExpression word(QStringLiteral("\\bunits\\b"));
    QString units = field.units;
    return units.replace(word, kindUnits);
}

QString labelText(const ConfigField &field, const QString &kindUnits)
{
    QString text = field.name;
    // Not "baud (baud)".
    if (const QString units = unitsOf(field, kindUnits); !units.isEmpty() && units != field.name)
        text += QStringLiteral(" (%1)").arg(units);
    if (field.required())
        text += QLatin1String(" *");
    return text;
}

} // namespace

ConfigForm::ConfigForm(const DriverInfo &driver, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QFormLayout(this);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // Long keys (disconnect_after_s) would otherwise all but touch their editors.
    layout->setHorizontalSpacing(2 * layout->horizontalSpacing());

    auto addRow = [this, layout](const ConfigField &field, QToolButton *groupButton) {
        QWidget *editor = createFieldEditor(field, this);
        if (qobject_cast<QComboBox *>(editor))
            ignoreWheel(editor);
        auto *label = new QLabel(labelText(field, {}), this);
        label->setBuddy(editor);
        label->setToolTip(field.help);
        if (field.required()) {
            QFont font = label->font();
            font.setBold(true);
            label->setFont(font);
        }
        layout->addRow(label, editor);
        m_rows.append({field, label, editor, layout, groupButton});
    };

    // The main list first, then each group behind its button, each in the schema's order.
    QStringList groups;
    for (const ConfigField &field : driver.config) {
        if (field.group.isEmpty())
            addRow(field, nullptr);
        else if (!groups.contains(field.group))
            groups << field.group;
    }
    for (const QString &group : std::as_const(groups)) {
        auto *button = new QToolButton(this);
        button->setObjectName(QStringLiteral("group_") + group);
        button->setText(group);
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setArrowType(Qt::RightArrow);
        QFont font = button->font();
        font.setBold(true);
        button->setFont(font);
        connect(button, &QToolButton::toggled, this, [this, button](bool open) {
            button->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
            updateShownRows();
        });
        layout->addRow(button);
        for (const ConfigField &field : driver.config) {
            if (field.group == group)
                addRow(field, button);
        }
    }

    for (const Row &r : std::as_const(m_rows)) {
        const QString key = r.field.name;
        if (isNumber(r.field)) {
            connect(qobject_cast<QLineEdit *>(r.editor), &QLineEdit::textChanged, this,
                [this, key] { checkNumber(*row(key)); });
        }
        if (key == kUnitsKey && r.field.type == ValueType::String) {
            if (auto *edit = qobject_cast<QLineEdit *>(r.editor))
                connect(edit, &QLineEdit::textChanged, this, &ConfigForm::updateUnits);
        }
        if (const Row *choice = row(r.field.whenKey)) {
            if (auto *combo = qobject_cast<QComboBox *>(choice->editor)) {
                connect(combo, &QComboBox::currentTextChanged, this, &ConfigForm::updateShownRows,
                    Qt::UniqueConnection);
            }
        }
    }
    updateUnits();
    updateShownRows();
}

QList<TomlEntry> ConfigForm::entries() const
{
    QList<TomlEntry> result;
    for (const Row &row : m_rows) {
        if (!applies(row))
            continue;
        if (const std::optional<QString> text = fieldEditorToml(row.field, row.editor))
            result.append({row.field.name, *text});
    }
    return result;
}

QWidget *ConfigForm::editor(const QString &key) const
{
    const Row *r = row(key);
    return r ? r->editor : nullptr;
}

void ConfigForm::markInvalid(const QString &key)
{
    const Row *r = row(key);
    if (!r)
        return;
    mark(*r, true);
    if (r->groupButton)
        r->groupButton->setChecked(true);
}

void ConfigForm::clearMarks()
{
    for (const Row &row : std::as_const(m_rows)) {
        // A number the schema refuses stays marked: that is not the last check's to clear.
        if (isNumber(row.field))
            checkNumber(row);
        else
            mark(row, false);
    }
}

bool ConfigForm::hasRequiredFields() const
{
    return std::any_of(
        m_rows.cbegin(), m_rows.cend(), [](const Row &row) { return row.field.required(); });
}

const ConfigForm::Row *ConfigForm::row(const QString &key) const
{
    if (key.isEmpty())
        return nullptr;
    const auto it = std::find_if(
        m_rows.cbegin(), m_rows.cend(), [&key](const Row &row) { return row.field.name == key; });
    return it == m_rows.cend() ? nullptr : &*it;
}

bool ConfigForm::applies(const Row &r) const
{
    const Row *choice = row(r.field.whenKey);
    if (!choice)
        return true;
    const auto *combo = qobject_cast<const QComboBox *>(choice->editor);
    return !combo || combo->currentText() == r.field.whenValue;
}

void ConfigForm::updateUnits()
{
    const Row *units = row(kUnitsKey);
    const auto *edit = units ? qobject_cast<const QLineEdit *>(units->editor) : nullptr;
    const QString kindUnits = edit ? edit->text().trimmed() : QString();
    for (const Row &row : std::as_const(m_rows))
        row.label->setText(labelText(row.field, kindUnits));
}

void ConfigForm::updateShownRows()
{
    for (const Row &row : std::as_const(m_rows)) {
        const bool open = !row.groupButton || row.groupButton->isChecked();
        row.layout->setRowVisible(row.editor, open && applies(row));
    }
}

void ConfigForm::checkNumber(const Row &row)
{
    const QString text = qobject_cast<const QLineEdit *>(row.editor)->text().trimmed();
    // An empty required key is the check's to name as missing.
    const bool invalid = !(text.isEmpty() && row.field.required())
        && !row.field.check(numberEditorValue(row.field, text)).ok();
    mark(row, invalid);
}

void ConfigForm::mark(const Row &row, bool invalid)
{
    if (invalid) {
        setTextColor(row.label, errorColor());
    } else {
        // A palette with no role set makes the label inherit its parent's again.
        row.label->setPalette(QPalette());
    }
    row.editor->setProperty("invalid", invalid);
}

} // namespace Benchtop::Ui
