// SPDX-License-Identifier: MIT
#include "sensorsection.h"

#include "deviceactions.h"

#include <device/devicesnapshot.h>
#include <device/traits.h>
#include <host/devicedescription.h>
#include <host/devicehandle.h>
#include <widgets/livetext.h>
#include <widgets/wheelguard.h>

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTime>

namespace Benchtop::Ui {

namespace {

constexpr int kValueCharacters = 28; // "[1024 values] 0.0213 … 1.102"
constexpr int kIdCharacters = 10;
const QString kMeasuredPrefix = StateKey::Measured + QLatin1Char('/');

QLabel *caption(const QString &text)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

SensorSection::SensorSection(
    const DeviceDescription &description, DeviceActions *actions, QWidget *parent)
    : PanelSection(tr("Measurement"), actions, parent)
{
    auto *grid = new QGridLayout(this);
    grid->setColumnStretch(3, 1);
    grid->addWidget(caption(tr("Channel")), 0, 0);
    grid->addWidget(caption(tr("Value")), 0, 1, Qt::AlignRight);
    grid->addWidget(caption(tr("Units")), 0, 2);
    int row = 1;
    m_idKey = StateKey::MeasurementId;
    for (const PropertyInfo &property : description.properties) {
        if (property.name == QLatin1String("measurement_id"))
            m_idKey = property.stateKey;
        if (!property.stateKey.startsWith(kMeasuredPrefix))
            continue;
        auto *value = makeLiveLabel(kValueCharacters);
        value->setObjectName(QStringLiteral("channelValue:") + property.name);
        grid->addWidget(new QLabel(property.name), row, 0);
        grid->addWidget(value, row, 1);
        grid->addWidget(new QLabel(property.units), row, 2);
        m_channels.append({property.stateKey, value, NumberFormat::of(property)});
        ++row;
    }

    m_idLabel = makeLiveLabel(kIdCharacters);
    m_idLabel->setObjectName(QStringLiteral("measurementIdLabel"));
    m_idLabel->setToolTip(tr("The id of the latest measurement"));
    m_lastMeasuredLabel = makeLiveLabel(12);
    m_lastMeasuredLabel->setObjectName(QStringLiteral("lastMeasuredLabel"));
    m_lastMeasuredLabel->setToolTip(tr("When the latest measurement arrived (local time)"));
    grid->addWidget(new QLabel(tr("Measurement id")), row, 0);
    grid->addWidget(m_idLabel, row, 1, Qt::AlignRight);
    ++row;
    grid->addWidget(new QLabel(tr("Last measured")), row, 0);
    grid->addWidget(m_lastMeasuredLabel, row, 1, Qt::AlignRight);
    ++row;

    if (description.traits.contains(QLatin1String(Trait::HasMeasureTrigger))) {
        m_measureButton = new QPushButton(tr("Measure"));
        m_measureButton->setObjectName(QStringLiteral("measureButton"));
        m_measureButton->setToolTip(tr("Take one measurement"));
        m_loopButton = new QPushButton(tr("Loop"));
        m_loopButton->setObjectName(QStringLiteral("loopButton"));
        m_loopButton->setCheckable(true);
        m_loopButton->setToolTip(tr("Measure again and again until unchecked"));
        auto *buttons = new QHBoxLayout;
        buttons->addWidget(m_measureButton);
        buttons->addWidget(m_loopButton);
        buttons->addStretch();
        grid->addLayout(buttons, row, 0, 1, 4);
        connect(m_measureButton, &QPushButton::clicked, this, &SensorSection::measure);
        // clicked, not toggled: only the operator's clicks call the device, not the
        // unchecking that follows the device.
        connect(m_loopButton, &QPushButton::clicked, this, &SensorSection::setLooping);
        ++row;
        m_loopEndedLabel = new QLabel;
        m_loopEndedLabel->setObjectName(QStringLiteral("loopEndedLabel"));
        m_loopEndedLabel->setWordWrap(true);
        m_loopEndedLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_loopEndedLabel->setToolTip(tr("Why the last loop ended by itself"));
        QPalette palette = m_loopEndedLabel->palette();
        palette.setColor(QPalette::WindowText, QColor(0xc8, 0x7a, 0x10)); // the header's amber
        m_loopEndedLabel->setPalette(palette);
        m_loopEndedLabel->hide();
        grid->addWidget(m_loopEndedLabel, row, 0, 1, 4);
        ++row;
    }
    for (const PropertyInfo &property : description.properties) {
        if (property.name != StateKey::LoopInterval || property.setter.isEmpty())
            continue;
        m_intervalKey = property.stateKey;
        m_intervalSpin = new QDoubleSpinBox;
        m_intervalSpin->setObjectName(QStringLiteral("loopIntervalSpin"));
        m_intervalSpin->setRange(0, 86'400);
        m_intervalSpin->setDecimals(3);
        m_intervalSpin->setSuffix(QStringLiteral(" s"));
        m_intervalSpin->setToolTip(tr("In a loop, the shortest time from the start of one "
                                      "measurement to the start of the next; 0: back to back"));
        ignoreWheel(m_intervalSpin);
        m_rateLabel = makeLiveLabel(16);
        m_rateLabel->setObjectName(QStringLiteral("loopRateLabel"));
        m_rateLabel->setToolTip(tr("Measurements a second, over the loop's last few seconds"));
        grid->addWidget(new QLabel(tr("Loop interval")), row, 0);
        grid->addWidget(m_intervalSpin, row, 1);
        grid->addWidget(m_rateLabel, row, 2, 1, 2);
        connect(m_intervalSpin, &QDoubleSpinBox::editingFinished, this,
            &SensorSection::setLoopInterval);
    }
}

void SensorSection::setLoopInterval()
{
    const double seconds = m_intervalSpin->value();
    if (DeviceHandle *handle = actions()->handle()) {
        const QVariant current = valueAt(handle->snapshot().values, m_intervalKey);
        if (current.isValid() && qFuzzyCompare(1.0 + current.toDouble(), 1.0 + seconds))
            return; // focus left without a change
    }
    actions()->call(tr("Loop interval %1 s").arg(QString::number(seconds, 'f', 3)),
        QStringLiteral("set_loop_interval"), {seconds});
}

void SensorSection::showLoopRate(const QVariant &id)
{
    if (!m_rateLabel)
        return;
    if (m_loop != Loop::Running) {
        m_loopIds.clear();
        setTextIfChanged(m_rateLabel, QString());
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (id.isValid())
        m_loopIds.emplace_back(now, id.toLongLong());
    while (m_loopIds.size() > 2 && now - m_loopIds.front().first > std::chrono::seconds(5))
        m_loopIds.pop_front();
    if (m_loopIds.size() < 3)
        return; // too few to say
    const double seconds
        = std::chrono::duration<double>(m_loopIds.back().first - m_loopIds.front().first).count();
    const double rate = double(m_loopIds.back().second - m_loopIds.front().second) / seconds;
    setTextIfChanged(
        m_rateLabel, tr("achieved %1 /s").arg(QString::number(rate, 'f', rate < 10 ? 2 : 1)));
}

void SensorSection::measure()
{
    actions()->call(tr("Measure"), QStringLiteral("measure"));
}

void SensorSection::setLooping(bool on)
{
    // A measure() without loop during a loop would end it: one way to measure at a time.
    m_measureButton->setEnabled(!on);
    if (!on) {
        m_loop = Loop::Off;
        actions()->call(tr("Loop off"), QStringLiteral("stop_looping"));
        return;
    }
    m_loop = Loop::Starting;
    actions()->call(
        tr("Loop on"), QStringLiteral("measure"), {true}, this,
        [this](const QVariant &) {
            if (m_loop != Loop::Starting)
                return; // unchecked meanwhile
            // Snapshots delivered from now on are newer than the loop's start.
            m_loop = Loop::Running;
        },
        [this](const QString &) { loopEnded(); });
}

void SensorSection::loopEnded()
{
    m_loop = Loop::Off;
    m_loopButton->setChecked(false);
    m_measureButton->setEnabled(true);
}

void SensorSection::showSnapshot(const DeviceSnapshot &snapshot)
{
    const QVariant id = valueAt(snapshot.values, m_idKey);
    const bool first = !m_seenSnapshot;
    m_seenSnapshot = true;
    if (first || id != m_lastId || !id.isValid()) {
        if (!first && id != m_lastId)
            setTextIfChanged(
                m_lastMeasuredLabel, QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz")));
        m_lastId = id;
        setTextIfChanged(m_idLabel, id.isValid() ? id.toString() : QStringLiteral("—"));
        for (const Channel &channel : std::as_const(m_channels))
            setTextIfChanged(
                channel.value, channel.format.value(valueAt(snapshot.values, channel.stateKey)));
    }
    if (m_loop == Loop::Running && !snapshot.busy)
        loopEnded();
    if (m_loopEndedLabel) {
        const QString ended = snapshot.values.value(StateKey::LoopEnded).toString();
        setTextIfChanged(m_loopEndedLabel, ended);
        m_loopEndedLabel->setVisible(!ended.isEmpty());
    }
    if (m_intervalSpin) {
        const QVariant interval = valueAt(snapshot.values, m_intervalKey);
        if (interval.isValid() && !m_intervalSpin->hasFocus())
            m_intervalSpin->setValue(interval.toDouble());
        if (!first && id != m_lastShownRateId) {
            m_lastShownRateId = id;
            showLoopRate(id);
        } else if (m_loop != Loop::Running) {
            showLoopRate({});
        }
    }
}

} // namespace Benchtop::Ui
