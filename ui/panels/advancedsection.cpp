// SPDX-License-Identifier: MIT
#include "advancedsection.h"

#include "ownmessagesform.h"

#include "deviceactions.h"

#include <device/devicesnapshot.h>
#include <host/devicedescription.h>
#include <host/devicehandle.h>
#include <widgets/livetext.h>
#include <widgets/numberformat.h>
#include <widgets/wheelguard.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <functional>
#include <limits>

namespace Benchtop::Ui {

namespace {

constexpr double kNumberRange = 1e12;

QLabel *caption(const QString &text)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

QLabel *readOnlyText(const QString &objectName)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QString rootOf(const QString &stateKey)
{
    return stateKey.section(QLatin1Char('/'), 0, 0);
}

} // namespace

AdvancedSection::AdvancedSection(
    const DeviceDescription &description, DeviceActions *actions, QWidget *parent)
    : PanelSection(QString(), actions, parent)
{
    setFlat(true);
    m_toggle = new QToolButton;
    m_toggle->setObjectName(QStringLiteral("advancedToggle"));
    m_toggle->setText(tr("Advanced"));
    m_toggle->setCheckable(true);
    m_toggle->setAutoRaise(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setArrowType(Qt::RightArrow);
    m_toggle->setToolTip(tr("All properties, the configuration and every published value"));

    m_content = new QWidget;
    m_content->setObjectName(QStringLiteral("advancedContent"));
    m_content->setVisible(false);
    auto *content = new QVBoxLayout(m_content);
    content->setContentsMargins(0, 0, 0, 0);

    for (const PropertyInfo &info : description.properties)
        m_covered.insert(rootOf(info.stateKey));

    auto *properties = new QFormLayout;
    for (const PropertyInfo &info : description.properties) {
        if (info.controlKind != ControlKind::Normal)
            continue;
        Property property{info, readOnlyText(QStringLiteral("property:") + info.name), nullptr};
        auto *row = new QWidget;
        auto *rowLayout = new QHBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        rowLayout->addWidget(property.value, 1);
        property.editor = makeEditor(property, row);
        m_properties.append(property);
        properties->addRow(info.name, row);
    }
    if (!m_properties.isEmpty()) {
        content->addWidget(caption(tr("Properties")));
        content->addLayout(properties);
    } else {
        delete properties;
    }

    if (!description.ownMessages.isEmpty()) {
        auto *messages = new OwnMessagesForm(description.ownMessages, actions);
        messages->setObjectName(QStringLiteral("ownMessages"));
        m_editors << messages->controls();
        content->addWidget(caption(tr("Messages")));
        content->addWidget(messages);
    }

    if (!description.config.isEmpty()) {
        auto *config = new QFormLayout;
        for (auto it = description.config.cbegin(); it != description.config.cend(); ++it) {
            QLabel *value = readOnlyText(QStringLiteral("config:") + it.key());
            value->setText(formatValue(*it));
            config->addRow(it.key(), value);
        }
        content->addWidget(caption(tr("Configuration")));
        content->addLayout(config);
    }

    m_othersCaption = caption(tr("Other values"));
    m_othersCaption->setVisible(false);
    m_others = new QFormLayout;
    content->addWidget(m_othersCaption);
    content->addLayout(m_others);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_toggle, 0, Qt::AlignLeft);
    layout->addWidget(m_content);
    connect(m_toggle, &QToolButton::toggled, this, &AdvancedSection::setExpanded);
}

QWidget *AdvancedSection::makeEditor(const Property &property, QWidget *row)
{
    const PropertyInfo &info = property.info;
    if (info.setter.isEmpty())
        return nullptr;
    auto *layout = static_cast<QHBoxLayout *>(row->layout());
    const QString name = QStringLiteral("edit:") + info.name;
    auto addSetButton = [&](const std::function<QVariant()> &read) {
        auto *set = new QPushButton(tr("Set"));
        set->setObjectName(QStringLiteral("set:") + info.name);
        layout->addWidget(set);
        m_editors.append(set);
        connect(
            set, &QPushButton::clicked, this, [this, info, read] { setProperty(info, read()); });
    };
    QWidget *editor = nullptr;
    switch (info.type) {
    case ValueType::Double: {
        auto *spin = new QDoubleSpinBox;
        spin->setDecimals(6);
        spin->setRange(-kNumberRange, kNumberRange);
        if (!info.units.isEmpty())
            spin->setSuffix(QLatin1Char(' ') + info.units);
        editor = spin;
        addSetButton([spin] {
            spin->interpretText();
            return QVariant(spin->value());
        });
        break;
    }
    case ValueType::Int: {
        auto *spin = new QSpinBox;
        spin->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        if (!info.units.isEmpty())
            spin->setSuffix(QLatin1Char(' ') + info.units);
        editor = spin;
        addSetButton([spin] {
            spin->interpretText();
            return QVariant(spin->value());
        });
        break;
    }
    case ValueType::Bool: {
        auto *check = new QCheckBox;
        connect(check, &QCheckBox::clicked, this,
            [this, info](bool on) { setProperty(info, QVariant(on)); });
        editor = check;
        break;
    }
    case ValueType::String:
        if (!info.options.isEmpty()) {
            auto *combo = new QComboBox;
            combo->addItems(info.options);
            connect(combo, &QComboBox::activated, this,
                [this, info, combo](int index) { setProperty(info, combo->itemText(index)); });
            editor = combo;
        } else {
            auto *edit = new QLineEdit;
            connect(edit, &QLineEdit::returnPressed, this,
                [this, info, edit] { setProperty(info, edit->text()); });
            editor = edit;
            addSetButton([edit] { return QVariant(edit->text()); });
        }
        break;
    default:
        return nullptr; // lists and maps: read-only here
    }
    editor->setObjectName(name);
    ignoreWheel(editor);
    layout->insertWidget(1, editor);
    m_editors.append(editor);
    return editor;
}

void AdvancedSection::setProperty(const PropertyInfo &info, const QVariant &value)
{
    QVariantList args;
    if (info.argument.isValid())
        args << info.argument;
    args << value;
    actions()->call(tr("Set %1 to %2").arg(info.name, formatValue(value)), info.setter, args);
}

void AdvancedSection::showEditorValue(const Property &property, const QVariant &value)
{
    if (!property.editor || !value.isValid())
        return;
    if (auto *spin = qobject_cast<QDoubleSpinBox *>(property.editor))
        spin->setValue(value.toDouble());
    else if (auto *spin = qobject_cast<QSpinBox *>(property.editor))
        spin->setValue(value.toInt());
    else if (auto *check = qobject_cast<QCheckBox *>(property.editor))
        check->setChecked(value.toBool());
    else if (auto *combo = qobject_cast<QComboBox *>(property.editor))
        combo->setCurrentIndex(combo->findText(value.toString()));
    else if (auto *edit = qobject_cast<QLineEdit *>(property.editor))
        edit->setText(value.toString());
}

bool AdvancedSection::isExpanded() const
{
    return m_toggle->isChecked();
}

void AdvancedSection::setExpanded(bool expanded)
{
    m_toggle->setChecked(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_content->setVisible(expanded);
    if (expanded && actions()->handle())
        showSnapshot(actions()->handle()->snapshot());
}

void AdvancedSection::setControlsEnabled(bool enabled)
{
    for (QWidget *editor : std::as_const(m_editors))
        editor->setEnabled(enabled);
}

void AdvancedSection::showSnapshot(const DeviceSnapshot &snapshot)
{
    if (!isExpanded() || snapshot.sequence == 0)
        return;
    for (const Property &property : std::as_const(m_properties)) {
        const QVariant value = valueAt(snapshot.values, property.info.stateKey);
        QString text = NumberFormat::of(property.info).value(value);
        if (value.isValid() && !property.info.units.isEmpty())
            text += QLatin1Char(' ') + property.info.units;
        setTextIfChanged(property.value, text);
        if (!m_editorsShown)
            showEditorValue(property, value);
    }
    m_editorsShown = true;
    for (auto it = snapshot.values.cbegin(); it != snapshot.values.cend(); ++it) {
        if (m_covered.contains(it.key()))
            continue;
        QLabel *&label = m_otherValues[it.key()];
        if (!label) {
            // A value the device publishes for the first time: the one re-layout it costs.
            label = readOnlyText(QStringLiteral("value:") + it.key());
            m_others->addRow(it.key(), label);
            m_othersCaption->setVisible(true);
        }
        setTextIfChanged(label, formatValue(*it));
    }
}

} // namespace Benchtop::Ui
