// SPDX-License-Identifier: MIT
#include "fieldeditor.h"

#include <lab/tomlwriter.h>

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QLineEdit>
#include <QLocale>

#include <cmath>

namespace Benchtop::Ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FieldEditor", text);
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

QWidget *createNumberEditor(const ConfigField &field, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    if (field.required())
        edit->setPlaceholderText(tr("required"));
    else
        edit->setText(numberText(field.defaultValue));
    return edit;
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

QString numberText(const QVariant &number)
{
    if (number.typeId() != QMetaType::Double)
        return number.toString();
    const double x = number.toDouble();
    if (x == 0) // QString::number drops the sign of -0
        return QLatin1String(std::signbit(x) ? "-0" : "0");
    // The shorter of the two shortest forms: 0.001 and 100000, but 1e-09 and 1e+21.
    const QString fixed = QString::number(x, 'f', QLocale::FloatingPointShortest);
    const QString general = QString::number(x, 'g', QLocale::FloatingPointShortest);
    return general.size() < fixed.size() ? general : fixed;
}

QVariant numberEditorValue(const ConfigField &field, const QString &text)
{
    bool ok = false;
    if (field.type == ValueType::Int) {
        const qlonglong n = text.toLongLong(&ok);
        if (ok)
            return QVariant::fromValue(n);
    }
    const double x = text.toDouble(&ok); // the C locale's numbers, as a lab file writes them
    if (ok)
        return x;
    return text;
}

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
    case ValueType::Double:
        editor = createNumberEditor(field, parent);
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
    case ValueType::Double: {
        const QString text = qobject_cast<const QLineEdit *>(editor)->text().trimmed();
        if (field.required() && text.isEmpty())
            return std::nullopt; // the check says it is missing
        return unlessDefault(numberEditorValue(field, text));
    }
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
