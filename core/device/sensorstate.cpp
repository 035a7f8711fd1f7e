// SPDX-License-Identifier: MIT
#include "sensorstate.h"

#include "device.h"
#include "deviceerror.h"

#include <QSet>

namespace Benchtop {

SensorState::SensorState(Device *self)
    : m_self(*self)
{
}

void SensorState::setChannels(const QList<SensorChannel> &channels)
{
    QSet<QString> seen;
    for (const SensorChannel &channel : channels) {
        if (channel.name.trimmed().isEmpty())
            throw DeviceError(QStringLiteral("%1: a channel has no name").arg(m_self.name()));
        if (channel.name == StateKey::MeasurementId) {
            throw DeviceError(
                QStringLiteral("%1: no channel may be called measurement_id (every measurement "
                               "carries that key)")
                    .arg(m_self.name()));
        }
        if (seen.contains(channel.name)) {
            throw DeviceError(QStringLiteral("%1: channel \"%2\" is named twice")
                                  .arg(m_self.name(), channel.name));
        }
        seen.insert(channel.name);
    }
    m_channels = channels;
}

int SensorState::publish(QVariantMap reading)
{
    const int id = m_nextId++;
    reading.insert(StateKey::MeasurementId, id);
    m_self.setValue(StateKey::Measured, reading);
    m_self.setValue(StateKey::MeasurementId, id);
    return id;
}

QStringList SensorState::channelNames() const
{
    QStringList names;
    names.reserve(m_channels.size());
    for (const SensorChannel &channel : m_channels)
        names << channel.name;
    return names;
}

QVariantMap SensorState::channelUnits() const
{
    QVariantMap units;
    for (const SensorChannel &channel : m_channels)
        units.insert(channel.name, channel.units);
    return units;
}

QMap<QString, QList<int>> SensorState::channelShapes() const
{
    QMap<QString, QList<int>> shapes;
    for (const SensorChannel &channel : m_channels)
        shapes.insert(channel.name, channel.shape);
    return shapes;
}

QVariantMap SensorState::measured() const
{
    return m_self.values().value(StateKey::Measured).toMap();
}

} // namespace Benchtop
