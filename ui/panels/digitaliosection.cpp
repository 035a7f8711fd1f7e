// SPDX-License-Identifier: MIT
#include "digitaliosection.h"

#include "deviceactions.h"

#include <device/devicesnapshot.h>
#include <device/traits.h>
#include <host/devicedescription.h>
#include <host/devicehandle.h>
#include <widgets/ledindicator.h>
#include <widgets/livetext.h>

#include <QColor>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>

namespace Benchtop::Ui {

namespace {

constexpr int kOutputsPerRow = 4;
constexpr int kEventCharacters = 12; // "double click"
const QString kOutputsPrefix = QStringLiteral("outputs/");
const QString kInputsPrefix = QStringLiteral("inputs/");

} // namespace

QString DigitalIoSection::describeEvent(const QString &event)
{
    if (event == QLatin1String("press"))
        return tr("pressed");
    if (event == QLatin1String("release"))
        return tr("released");
    if (event == QLatin1String("double"))
        return tr("double click");
    if (event == QLatin1String("long"))
        return tr("long press");
    return event;
}

DigitalIoSection::DigitalIoSection(
    const DeviceDescription &description, DeviceActions *actions, QWidget *parent)
    : PanelSection(tr("Digital I/O"), actions, parent)
{
    auto *grid = new QGridLayout(this);
    int row = 0;

    auto *outputs = new QGridLayout;
    for (const PropertyInfo &property : description.properties) {
        if (!property.stateKey.startsWith(kOutputsPrefix) || property.setter.isEmpty())
            continue;
        const QString line = property.stateKey.mid(kOutputsPrefix.size());
        auto *button = new QPushButton(property.name);
        button->setObjectName(QStringLiteral("output:") + line);
        button->setCheckable(true);
        button->setToolTip(tr("Switch output %1 on or off").arg(line));
        // On, it is lit: in its own colour when the line is named after one ("red"), else amber.
        const QColor lit = QColor::isValidColor(line) ? QColor(line) : QColor(0xf2, 0xb1, 0x34);
        button->setStyleSheet(
            QStringLiteral("QPushButton:checked { background: %1; color: %2;"
                           " font-weight: bold; border: 1px solid %3;"
                           " border-radius: 3px; padding: 3px; }")
                .arg(lit.name(),
                    lit.lightnessF() < 0.55 ? QStringLiteral("white") : QStringLiteral("black"),
                    lit.darker(150).name()));
        const int index = int(m_outputs.size());
        outputs->addWidget(button, index / kOutputsPerRow, index % kOutputsPerRow);
        m_outputs.append({line, property.stateKey, property.setter, property.argument, button});
    }
    if (!m_outputs.isEmpty()) {
        grid->addWidget(new QLabel(tr("Outputs")), row, 0, Qt::AlignTop);
        grid->addLayout(outputs, row, 1, 1, 3);
        ++row;
    } else {
        delete outputs;
    }

    for (const PropertyInfo &property : description.properties) {
        if (!property.stateKey.startsWith(kInputsPrefix))
            continue;
        const QString line = property.stateKey.mid(kInputsPrefix.size());
        auto *lamp = new LedIndicator;
        lamp->setObjectName(QStringLiteral("input:") + line);
        auto *event = makeLiveLabel(kEventCharacters);
        event->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        event->setObjectName(QStringLiteral("inputEvent:") + line);
        event->setToolTip(tr("The last push-button event on %1").arg(line));
        grid->addWidget(new QLabel(m_inputs.isEmpty() ? tr("Inputs") : QString()), row, 0);
        grid->addWidget(lamp, row, 1);
        grid->addWidget(new QLabel(property.name), row, 2);
        grid->addWidget(event, row, 3);
        m_inputs.append({line, property.stateKey, lamp, event});
        ++row;
    }
    grid->setColumnStretch(3, 1);

    for (const Output &output : std::as_const(m_outputs)) {
        connect(output.button, &QPushButton::clicked, this,
            [this, output](bool on) { setOutput(output, on); });
    }
}

void DigitalIoSection::setOutput(const Output &output, bool on)
{
    QVariantList args;
    if (output.argument.isValid())
        args << output.argument;
    args << on;
    m_pending.insert(output.line);
    // Until the answer, the device's older snapshots would flip the button back and forth.
    auto settle = [this, output] {
        m_pending.remove(output.line);
        if (DeviceHandle *handle = actions()->handle())
            followDevice(output, handle->snapshot());
    };
    actions()->call(
        on ? tr("Set %1 on").arg(output.line) : tr("Set %1 off").arg(output.line), output.setter,
        args, this, [settle](const QVariant &) { settle(); },
        [settle](const QString &) { settle(); });
}

void DigitalIoSection::followDevice(const Output &output, const DeviceSnapshot &snapshot)
{
    const QVariant level = valueAt(snapshot.values, output.stateKey);
    if (level.isValid() && output.button->isChecked() != level.toBool())
        output.button->setChecked(level.toBool());
}

void DigitalIoSection::showSnapshot(const DeviceSnapshot &snapshot)
{
    for (const Output &output : std::as_const(m_outputs)) {
        if (!m_pending.contains(output.line))
            followDevice(output, snapshot);
    }
    if (m_inputs.isEmpty())
        return;
    const QVariantMap events = snapshot.values.value(StateKey::LastEvents).toMap();
    for (const Input &input : std::as_const(m_inputs)) {
        input.lamp->setOn(valueAt(snapshot.values, input.stateKey).toBool());
        setTextIfChanged(input.event, describeEvent(events.value(input.line).toString()));
    }
}

} // namespace Benchtop::Ui
