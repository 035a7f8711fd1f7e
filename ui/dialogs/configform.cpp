// SPDX-License-Identifier: MIT
#include "configform.h"

#include "fieldeditor.h"

#include <widgets/tint.h>
#include <widgets/wheelguard.h>

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>

namespace Benchtop::Ui {

namespace {

QString labelText(const ConfigField &field)
{
    QString text = field.name;
    // Spin boxes show their units as a suffix; other editors have nowhere else to say them.
    const bool unitsInEditor = field.type == ValueType::Int || field.type == ValueType::Double;
    if (!field.units.isEmpty() && !unitsInEditor)
        text += QStringLiteral(" (%1)").arg(field.units);
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
    for (const ConfigField &field : driver.config) {
        QWidget *editor = createFieldEditor(field, this);
        if (qobject_cast<QAbstractSpinBox *>(editor) || qobject_cast<QComboBox *>(editor))
            ignoreWheel(editor);
        auto *label = new QLabel(labelText(field), this);
        label->setBuddy(editor);
        label->setToolTip(field.help);
        if (field.required()) {
            QFont font = label->font();
            font.setBold(true);
            label->setFont(font);
        }
        layout->addRow(label, editor);
        m_rows.append({field, label, editor});
    }
}

QList<TomlEntry> ConfigForm::entries() const
{
    QList<TomlEntry> result;
    for (const Row &row : m_rows) {
        if (const std::optional<QString> text = fieldEditorToml(row.field, row.editor))
            result.append({row.field.name, *text});
    }
    return result;
}

QWidget *ConfigForm::editor(const QString &key) const
{
    for (const Row &row : m_rows) {
        if (row.field.name == key)
            return row.editor;
    }
    return nullptr;
}

void ConfigForm::markInvalid(const QString &key)
{
    for (const Row &row : m_rows) {
        if (row.field.name != key)
            continue;
        setTextColor(row.label, errorColor());
        row.editor->setProperty("invalid", true);
    }
}

void ConfigForm::clearMarks()
{
    for (const Row &row : m_rows) {
        // A palette with no role set makes the label inherit its parent's again.
        row.label->setPalette(QPalette());
        row.editor->setProperty("invalid", false);
    }
}

bool ConfigForm::hasRequiredFields() const
{
    return std::any_of(
        m_rows.cbegin(), m_rows.cend(), [](const Row &row) { return row.field.required(); });
}

} // namespace Benchtop::Ui
