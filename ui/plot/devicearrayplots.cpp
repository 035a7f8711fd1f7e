// SPDX-License-Identifier: MIT
#include "devicearrayplots.h"

#include "arrayplot.h"

#include <device/traits.h>

#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <optional>

namespace Benchtop::Ui {

namespace {

const QString kMeasuredPrefix = StateKey::Measured + QLatin1Char('/');

QList<double> toDoubles(const QVariant &value)
{
    QList<double> numbers;
    const QVariantList list = value.toList();
    numbers.reserve(list.size());
    for (const QVariant &item : list)
        numbers << item.toDouble();
    return numbers;
}

} // namespace

DeviceArrayPlots::DeviceArrayPlots(DeviceHandle *handle, QWidget *parent)
    : QWidget(parent)
    , m_handle(handle)
    , m_layout(new QVBoxLayout(this))
    , m_calls(
          handle ? handle->name() + QStringLiteral(" array plots") : QStringLiteral("array plots"))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    if (!handle)
        return;
    connect(handle, &DeviceHandle::descriptionChanged, this, &DeviceArrayPlots::rebuild);
    connect(handle, &DeviceHandle::snapshotChanged, this, &DeviceArrayPlots::onSnapshot);
    rebuild();
}

DeviceArrayPlots::~DeviceArrayPlots() = default;

ArrayPlot *DeviceArrayPlots::plot(const QString &channel) const
{
    for (const Channel &c : m_plots) {
        if (c.name == channel)
            return c.plot;
    }
    return nullptr;
}

QList<ArrayPlot *> DeviceArrayPlots::plots() const
{
    QList<ArrayPlot *> result;
    for (const Channel &c : m_plots)
        result << c.plot;
    return result;
}

void DeviceArrayPlots::rebuild()
{
    ++m_generation; // what is in flight describes the old description
    m_mappingCallPending = false;
    m_mappingId = {};
    m_lastMeasurementId = {};
    m_shownAny = false;
    const bool had = !m_plots.isEmpty();
    for (const Channel &c : std::as_const(m_plots))
        delete c.plot;
    m_plots.clear();
    if (had)
        Q_EMIT plotsChanged();
    if (!m_handle)
        return;
    const DeviceDescription &description = m_handle->description();
    m_hasMapping = description.traits.contains(QLatin1String(Trait::HasMapping));
    const bool hasArrays = std::any_of(
        description.properties.cbegin(), description.properties.cend(), [](const PropertyInfo &p) {
            return p.type == ValueType::DoubleList && p.stateKey.startsWith(kMeasuredPrefix);
        });
    if (description.traits.contains(QLatin1String(Trait::IsSensor)) && hasArrays)
        fetchShapes();
}

void DeviceArrayPlots::fetchShapes()
{
    m_calls.spawn("array shapes",
        [this, handle = m_handle.data(), generation = m_generation]() -> QCoro::Task<> {
            std::optional<QVariant> shapes;
            try {
                shapes = co_await handle->call(QStringLiteral("get_channel_shapes"));
            } catch (const std::exception &) {
                // A device that cannot say its shapes gets no array plots; its panel still
                // shows each array's summary.
            }
            // This object is alive here: destroying it cancels the task at its await.
            if (shapes && generation == m_generation)
                showChannels(shapes->toMap());
        });
}

void DeviceArrayPlots::showChannels(const QVariantMap &shapes)
{
    if (!m_handle)
        return; // gone while its shapes were asked
    for (const PropertyInfo &property : m_handle->description().properties) {
        if (property.type != ValueType::DoubleList
            || !property.stateKey.startsWith(kMeasuredPrefix))
            continue;
        const QString channel = property.stateKey.mid(kMeasuredPrefix.size());
        if (shapes.value(channel).toList().size() != 1)
            continue; // a scalar, or an image
        auto *plot = new ArrayPlot(this);
        plot->setObjectName(QStringLiteral("arrayPlot:") + channel);
        plot->setChannel(property.name, property.units);
        m_layout->addWidget(plot, 1);
        m_plots.append({channel, property.stateKey, plot});
    }
    if (m_plots.isEmpty())
        return;
    Q_EMIT plotsChanged();
    onSnapshot(); // the latest measurement, at once
    if (m_hasMapping)
        fetchMappings();
}

void DeviceArrayPlots::fetchMappings()
{
    m_mappingCallPending = true;
    m_lastMappingCheck = std::chrono::steady_clock::now();
    m_calls.spawn("array mappings",
        [this, handle = m_handle.data(), generation = m_generation]() -> QCoro::Task<> {
            std::optional<Mappings> mappings;
            try {
                Mappings m;
                // The id first: mappings changed meanwhile get a newer id, and are fetched
                // again at the next check.
                m.id = co_await handle->call(QStringLiteral("get_mapping_id"));
                m.channelMappings
                    = (co_await handle->call(QStringLiteral("get_channel_mappings"))).toMap();
                m.units = (co_await handle->call(QStringLiteral("get_mapping_units"))).toMap();
                m.values = (co_await handle->call(QStringLiteral("get_mappings"))).toMap();
                mappings = std::move(m);
            } catch (const std::exception &) {
                // Plotted against the index until the next check succeeds.
            }
            if (generation != m_generation)
                co_return;
            m_mappingCallPending = false;
            if (mappings)
                applyMappings(*mappings);
        });
}

void DeviceArrayPlots::checkMapping()
{
    m_mappingCallPending = true;
    m_lastMappingCheck = std::chrono::steady_clock::now();
    m_calls.spawn("array mapping id",
        [this, handle = m_handle.data(), generation = m_generation]() -> QCoro::Task<> {
            std::optional<QVariant> id;
            try {
                id = co_await handle->call(QStringLiteral("get_mapping_id"));
            } catch (const std::exception &) {
            }
            if (generation != m_generation)
                co_return;
            m_mappingCallPending = false;
            if (id && *id != m_mappingId)
                fetchMappings();
        });
}

void DeviceArrayPlots::applyMappings(const Mappings &mappings)
{
    m_mappingId = mappings.id;
    for (const Channel &channel : std::as_const(m_plots)) {
        const QStringList names = mappings.channelMappings.value(channel.name).toStringList();
        const QString mapping = names.value(0);
        if (mapping.isEmpty()) {
            channel.plot->setAxis({}, {}, {});
            continue;
        }
        channel.plot->setAxis(mapping, mappings.units.value(mapping).toString(),
            toDoubles(mappings.values.value(mapping)));
    }
}

void DeviceArrayPlots::onSnapshot()
{
    if (!m_handle || m_plots.isEmpty())
        return;
    const DeviceSnapshot &snapshot = m_handle->snapshot();
    const QVariant id = valueAt(snapshot.values, StateKey::MeasurementId);
    // A keep-alive or a change of status brings the same arrays again: a new measurement has
    // a new id.
    if (m_shownAny && id.isValid() && id == m_lastMeasurementId)
        return;
    m_shownAny = true;
    m_lastMeasurementId = id;
    for (const Channel &channel : std::as_const(m_plots)) {
        const QVariant value = valueAt(snapshot.values, channel.stateKey);
        if (value.isValid())
            channel.plot->setValues(value.toList());
    }
    if (m_hasMapping && !m_mappingCallPending
        && std::chrono::steady_clock::now() - m_lastMappingCheck >= kMappingCheckInterval)
        checkMapping();
}

} // namespace Benchtop::Ui
