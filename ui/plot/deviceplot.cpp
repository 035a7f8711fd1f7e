// SPDX-License-Identifier: MIT
#include "deviceplot.h"

#include "liveplot.h"

#include <host/devicehandle.h>

#include <QVBoxLayout>

namespace Benchtop::Ui {

DevicePlot::DevicePlot(DeviceHandle *handle, QWidget *parent)
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
    if (handle->snapshot().sequence != 0)
        sample();
}

DevicePlot::~DevicePlot() = default;

bool DevicePlot::isPlotted(const PropertyInfo &property)
{
    return property.controlKind == ControlKind::Hinted
        && (property.type == ValueType::Double || property.type == ValueType::Int);
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
            property.setter.isEmpty() ? LivePlot::Joining::Lines : LivePlot::Joining::Steps);
    }
    for (const QString &key : std::as_const(m_stateKeys)) {
        if (!keys.contains(key))
            m_plot->removeSeries(key);
    }
    m_stateKeys = keys;
    m_paths.clear();
    for (const QString &key : std::as_const(m_stateKeys)) {
        const qsizetype slash = key.indexOf(QLatin1Char('/'));
        m_paths.append(
            slash < 0 ? std::pair(key, QString()) : std::pair(key.left(slash), key.mid(slash + 1)));
    }
}

void DevicePlot::sample()
{
    if (!m_handle)
        return;
    const DeviceSnapshot &snapshot = m_handle->snapshot();
    // The host repeats an unchanged snapshot as a keep-alive; the plot already holds a series
    // at its latest value, so a repeat would only add points. A restarted device counts again
    // from zero, hence "differs" rather than "is greater".
    if (m_sampled && snapshot.sequence == m_lastSequence)
        return;
    m_sampled = true;
    m_lastSequence = snapshot.sequence;
    const double arrivedS = LivePlot::toSeconds(m_handle->lastHeard());
    for (qsizetype i = 0; i < m_stateKeys.size(); ++i) {
        // valueAt(), without splitting the key again for every snapshot.
        const auto &[top, nested] = m_paths.at(i);
        const auto it = snapshot.values.constFind(top);
        if (it == snapshot.values.constEnd())
            continue;
        QVariant found = *it;
        if (!nested.isEmpty())
            found = found.toMap().value(nested);
        bool isNumber = false;
        const double value = found.toDouble(&isNumber);
        if (isNumber)
            m_plot->append(m_stateKeys.at(i), arrivedS, value);
    }
}

} // namespace Benchtop::Ui
