// SPDX-License-Identifier: MIT
#include "deviceplot.h"

#include "liveplot.h"

#include <device/traits.h>
#include <host/devicehandle.h>
#include <widgets/numberformat.h>

#include <QDateTime>
#include <QVBoxLayout>

#include <cmath>

namespace Benchtop::Ui {

DevicePlot::DevicePlot(DeviceHandle *handle, QWidget *parent, const DeviceHistory *history)
    : QWidget(parent)
    , m_handle(handle)
    , m_plot(new LivePlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    if (!handle)
        return;
    m_plot->setTitle(handle->name());
    connect(handle, &DeviceHandle::descriptionChanged, this, &DevicePlot::rebuild);
    connect(handle, &DeviceHandle::snapshotChanged, this, &DevicePlot::sample);
    rebuild();
    if (history && !history->keys().isEmpty()) {
        startWith(*history);
    } else if (handle->snapshot().sequence != 0) {
        // What the device shows now, as the first point (the last delivery's readings may be
        // none: a keep-alive of a device at rest).
        Readings current(handle->description());
        current.append(handle->publishedAt(), handle->snapshot());
        plotRows(current);
    }
}

DevicePlot::~DevicePlot() = default;

void DevicePlot::startWith(const DeviceHistory &history)
{
    for (const DeviceHistory::Outage &outage : history.outages())
        m_plot->breakAt(outage.t, outageLabel(outage));
    for (const QString &key : std::as_const(m_stateKeys)) {
        for (const Sample &sample : history.samples(key))
            m_plot->append(key, sample.t, sample.value);
    }
    m_measuring = history.isMeasuring();
}

QString DevicePlot::outageLabel(const DeviceHistory::Outage &outage)
{
    // Sample times are on the steady clock; the label says when on the wall clock.
    const QString at
        = QDateTime::currentDateTime()
              .addMSecs(qint64(std::lround((outage.t - LivePlot::secondsNow()) * 1000)))
              .toString(QStringLiteral("HH:mm:ss"));
    if (outage.link != LinkState::Connected)
        return tr("link lost %1").arg(at);
    if (outage.status == DeviceStatus::Fault)
        return tr("fault %1").arg(at);
    return tr("stopped %1").arg(at);
}

bool DevicePlot::isPlotted(const PropertyInfo &property)
{
    // The loop interval is a setting of the measuring, not something measured.
    return property.controlKind == ControlKind::Hinted
        && (property.type == ValueType::Double || property.type == ValueType::Int)
        && property.stateKey != StateKey::LoopInterval;
}

void DevicePlot::rebuild()
{
    if (!m_handle)
        return;
    QStringList keys;
    for (const PropertyInfo &property : m_handle->description().properties) {
        if (!isPlotted(property))
            continue;
        keys << property.stateKey;
        // What the user sets (a destination) holds until set again; the rest is measured.
        m_plot->addSeries(property.stateKey, property.name, property.units,
            property.setter.isEmpty() ? LivePlot::Joining::Lines : LivePlot::Joining::Steps,
            NumberFormat::of(property).decimals());
    }
    for (const QString &key : std::as_const(m_stateKeys)) {
        if (!keys.contains(key))
            m_plot->removeSeries(key);
    }
    m_stateKeys = keys;
    m_readingKeys.clear(); // the columns are looked up again on the next sample
}

void DevicePlot::sample()
{
    if (!m_handle)
        return;
    // A paced handle brings several readings at once: each becomes a point at the time its
    // device published it. (A keep-alive brings none.)
    plotRows(m_handle->readings());
}

void DevicePlot::plotRows(const Readings &readings)
{
    if (readings.keys() != m_readingKeys || m_columns.size() != m_stateKeys.size()) {
        m_readingKeys = readings.keys();
        m_columns.clear();
        for (const QString &key : std::as_const(m_stateKeys))
            m_columns.append(readings.columnOf(key));
    }
    for (qsizetype row = 0; row < readings.count(); ++row) {
        const double publishedS = LivePlot::toSeconds(readings.at(row));
        // A row not measured holds what the device last knew: the series break there.
        if (!readings.isMeasured(row)) {
            if (m_measuring)
                m_plot->breakAt(publishedS,
                    outageLabel({publishedS, readings.link(row), readings.status(row)}));
            m_measuring = false;
            continue;
        }
        m_measuring = true;
        for (qsizetype i = 0; i < m_stateKeys.size(); ++i) {
            const qsizetype column = m_columns.at(i);
            if (column < 0)
                continue;
            const double value = readings.value(row, column);
            if (!std::isnan(value))
                m_plot->append(m_stateKeys.at(i), publishedS, value);
        }
    }
}

} // namespace Benchtop::Ui
