// SPDX-License-Identifier: MIT
#include "devicehistory.h"

#include "deviceplot.h"
#include "liveplot.h"

#include <host/devicehandle.h>

#include <algorithm>
#include <cmath>

namespace Benchtop::Ui {

void DeviceHistory::record(const DeviceHandle &handle)
{
    const Readings &readings = handle.readings();
    if (readings.isEmpty())
        return;
    if (readings.keys() != m_readingKeys)
        follow(handle, readings);
    std::optional<double> newest;
    for (qsizetype row = 0; row < readings.count(); ++row) {
        const double t = LivePlot::toSeconds(readings.at(row));
        if (!readings.isMeasured(row)) {
            if (m_measuring)
                m_outages.push_back({t, readings.link(row), readings.status(row)});
            m_measuring = false;
            continue;
        }
        m_measuring = true;
        newest = t;
        for (Series &series : m_series) {
            if (series.column >= 0)
                series.append(t, readings.value(row, series.column));
        }
    }
    if (newest)
        prune(*newest);
}

// The series of the plotted properties of the handle's description, matched to the readings'
// columns; a series that remains keeps its samples (a restarted device), as a plot's do.
void DeviceHistory::follow(const DeviceHandle &handle, const Readings &readings)
{
    m_readingKeys = readings.keys();
    std::vector<Series> next;
    for (const PropertyInfo &property : handle.description().properties) {
        if (!DevicePlot::isPlotted(property))
            continue;
        auto kept = std::find_if(m_series.begin(), m_series.end(),
            [&](const Series &series) { return series.key == property.stateKey; });
        Series &series = next.emplace_back(kept != m_series.end() ? std::move(*kept) : Series{});
        series.key = property.stateKey;
        series.column = readings.columnOf(property.stateKey);
    }
    m_series = std::move(next);
}

void DeviceHistory::prune(double newestS)
{
    const double oldest = newestS - kSpanS;
    for (Series &series : m_series) {
        while (!series.closed.empty() && series.closed.front().t < oldest)
            series.closed.pop_front();
    }
    // An outage after the newest measured reading stays however old it is: the device has not
    // been measured since.
    m_outages.erase(m_outages.begin(),
        std::find_if(m_outages.begin(), m_outages.end(),
            [oldest](const Outage &outage) { return outage.t >= oldest; }));
}

void DeviceHistory::Series::append(double t, double value)
{
    if (!std::isfinite(t) || !std::isfinite(value))
        return;
    if (latest)
        t = std::max(t, latest->t); // times never go back, as a plot's series expects
    const Sample sample{t, value};
    const auto at = qint64(std::floor(t / kBucketS));
    if (bucketMin && at != bucket)
        closeBucket();
    bucket = at;
    if (!bucketMin || value < bucketMin->value)
        bucketMin = sample;
    if (!bucketMax || value > bucketMax->value)
        bucketMax = sample;
    latest = sample;
}

void DeviceHistory::Series::closeBucket()
{
    const Sample &first = bucketMin->t <= bucketMax->t ? *bucketMin : *bucketMax;
    const Sample &second = bucketMin->t <= bucketMax->t ? *bucketMax : *bucketMin;
    closed.push_back(first);
    if (second != first)
        closed.push_back(second);
    bucketMin.reset();
    bucketMax.reset();
}

QStringList DeviceHistory::keys() const
{
    QStringList held;
    for (const Series &series : m_series) {
        if (series.latest)
            held << series.key;
    }
    return held;
}

std::vector<Sample> DeviceHistory::samples(const QString &key) const
{
    std::vector<Sample> held;
    auto it = std::find_if(
        m_series.begin(), m_series.end(), [&](const Series &series) { return series.key == key; });
    if (it == m_series.end() || !it->latest)
        return held;
    held.assign(it->closed.begin(), it->closed.end());
    // The open bucket's extremes in time order, then the newest if it is neither.
    if (it->bucketMin) {
        const Sample &first
            = it->bucketMin->t <= it->bucketMax->t ? *it->bucketMin : *it->bucketMax;
        const Sample &second
            = it->bucketMin->t <= it->bucketMax->t ? *it->bucketMax : *it->bucketMin;
        held.push_back(first);
        if (second != first)
            held.push_back(second);
    }
    if (held.empty() || held.back() != *it->latest)
        held.push_back(*it->latest);
    return held;
}

qsizetype DeviceHistory::sampleCount() const
{
    qsizetype count = 0;
    for (const Series &series : m_series)
        count += qsizetype(series.closed.size()) + (series.bucketMin ? 2 : 0);
    return count;
}

} // namespace Benchtop::Ui
