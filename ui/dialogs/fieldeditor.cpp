// SPDX-License-Identifier: MIT
#include "fieldeditor.h"

#include "exactdoublespinbox.h"

#include <lab/tomlwriter.h>

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QLineEdit>
#include <QSpinBox>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Benchtop::Ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FieldEditor", text);
}

// A double key without limits still needs a range, and a spin box sizes itself to show both
// ends: wide enough for any setting a form is for, without making the form absurdly wide.
constexpr double kUnboundedDouble = 1e12;

int clampToInt(double x)
{
    constexpr double lowest = std::numeric_limits<int>::min();
    constexpr double highest = std::numeric_limits<int>::max();
    return static_cast<int>(std::clamp(x, lowest, highest));
}

QString suffixFor(const ConfigField &field)
{
    return field.units.isEmpty() ? QString() : QLatin1Char(' ') + field.units;
}

QString tomlExample(ValueType type)
{
    switch (type) {
    case ValueType::StringList:
        return QStringLiteral("[\"a\", \"b\"]");
    case ValueType::DoubleList:
        return QStringLiteral("[0, 10]");
    case ValueType::StringMap:
        return QStringLiteral("{ name = \"text\" }");
    case ValueType::DoubleMap:
        return QStringLiteral("{ name = 1.5 }");
    case ValueType::Map:
        return QStringLiteral("{ key = value }");
    case ValueType::Bindings:
        return QStringLiteral("{ line = \"device.message\" }");
    default:
        return {};
    }
}

QWidget *createIntEditor(const ConfigField &field, QWidget *parent)
{
    auto *spin = new QSpinBox(parent);
    const int lowest
        = field.minimum ? clampToInt(std::ceil(*field.minimum)) : std::numeric_limits<int>::min();
    const int highest
        = field.maximum ? clampToInt(std::floor(*field.maximum)) : std::numeric_limits<int>::max();
    spin->setRange(lowest, highest);
    spin->setSuffix(suffixFor(field));
    spin->setValue(field.required() ? std::clamp(0, lowest, highest)
                                    : clampToInt(field.defaultValue.toDouble()));
    return spin;
}

QWidget *createDoubleEditor(const ConfigField &field, QWidget *parent)
{
    auto *spin = new ExactDoubleSpinBox(parent);
    const double lowest = field.minimum.value_or(-kUnboundedDouble);
    const double highest = field.maximum.value_or(kUnboundedDouble);
    const double start
        = field.required() ? std::clamp(0.0, lowest, highest) : field.defaultValue.toDouble();
    for (const double x : {lowest, highest, start})
        spin->allowDecimalsOf(x);
    spin->setRange(lowest, highest);
    spin->setSuffix(suffixFor(field));
    spin->setValue(start);
    return spin;
}

QWidget *createChoiceEditor(const ConfigField &field, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->addItems(field.options);
    if (field.required())
        combo->setPlaceholderText(tr("choose one"));
    combo->setCurrentIndex(field.required() ? -1 : combo->findText(field.defaultValue.toString()));
    return combo;
}

QWidget *createLineEditor(const ConfigField &field, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    if (field.type == ValueType::String) {
        edit->setText(field.defaultValue.toString());
        if (field.required())
            edit->setPlaceholderText(tr("required"));
    } else {
        edit->setText(tomlValue(field.defaultValue));
        edit->setPlaceholderText(tomlExample(field.type));
    }
    return edit;
}

} // namespace

QWidget *createFieldEditor(const ConfigField &field, QWidget *parent)
{
    QWidget *editor = nullptr;
    switch (field.type) {
    case ValueType::Bool: {
        auto *box = new QCheckBox(parent);
        box->setChecked(field.defaultValue.toBool());
        editor = box;
        break;
    }
    case ValueType::Int:
        editor = createIntEditor(field, parent);
        break;
    case ValueType::Double:
        editor = createDoubleEditor(field, parent);
        break;
    case ValueType::String:
        editor = field.options.isEmpty() ? createLineEditor(field, parent)
                                         : createChoiceEditor(field, parent);
        break;
    case ValueType::StringList:
    case ValueType::DoubleList:
    case ValueType::StringMap:
    case ValueType::DoubleMap:
    case ValueType::Map:
    case ValueType::Bindings:
        editor = createLineEditor(field, parent);
        break;
    }
    editor->setObjectName(QStringLiteral("field_") + field.name);
    editor->setToolTip(field.help);
    return editor;
}

std::optional<QString> fieldEditorToml(const ConfigField &field, const QWidget *editor)
{
    auto unlessDefault = [&field](const QVariant &value) -> std::optional<QString> {
        if (!field.required() && value == field.defaultValue)
            return std::nullopt;
        return tomlValue(value);
    };
    switch (field.type) {
    case ValueType::Bool:
        return unlessDefault(qobject_cast<const QCheckBox *>(editor)->isChecked());
    case ValueType::Int:
        return unlessDefault(
            QVariant::fromValue(qlonglong(qobject_cast<const QSpinBox *>(editor)->value())));
    case ValueType::Double:
        return unlessDefault(qobject_cast<const QDoubleSpinBox *>(editor)->value());
    case ValueType::String: {
        QString text;
        if (const auto *combo = qobject_cast<const QComboBox *>(editor)) {
            if (combo->currentIndex() < 0)
                return std::nullopt;
            text = combo->currentText();
        } else {
            text = qobject_cast<const QLineEdit *>(editor)->text();
            // An empty required string is left out, so that the check says it is missing.
            if (field.required() && text.isEmpty())
                return std::nullopt;
        }
        return unlessDefault(text);
    }
    case ValueType::StringList:
    case ValueType::DoubleList:
    case ValueType::StringMap:
    case ValueType::DoubleMap:
    case ValueType::Map:
    case ValueType::Bindings: {
        const QString text = qobject_cast<const QLineEdit *>(editor)->text().trimmed();
        if (text.isEmpty())
            return std::nullopt;
        if (!field.required() && text == tomlValue(field.defaultValue))
            return std::nullopt;
        return text;
    }
    }
    return std::nullopt;
}

} // namespace Benchtop::Ui
