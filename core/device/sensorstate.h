// SPDX-License-Identifier: MIT
#pragma once

#include "device.h"
#include "traits.h"

#include <QList>
#include <QString>

namespace Benchtop {

class Device;

/// One channel of a sensor: a scalar when `shape` is empty, else an array of that shape.
struct SensorChannel {
    QString name;
    QString units;
    QList<int> shape;
};

/// is-sensor done once, as yaqd-core's IsSensor: a driver's device derives from it (instead of
/// the bare IsSensor interface), names its channels once, and publishes each complete reading
/// with publish(), which numbers it. Thread affinity: the device's.
///
/// ```cpp
/// class Meter final : public Device, public SensorState {
///     Q_OBJECT
///     Q_INTERFACES(Benchtop::IsSensor)
/// public:
///     Meter(DeviceSettings s) : Device(std::move(s)), SensorState(this)
///     { setChannels({{"voltage", "V"}}); }
/// };
/// ```
class SensorState : public IsSensor {
public:
    /// `self` is the device deriving from this (`this` in its constructor).
    explicit SensorState(Device *self);

    /// Sets the channels. Throws DeviceError for a duplicate or empty name, or one called
    /// measurement_id (the key every measurement carries).
    void setChannels(const QList<SensorChannel> &channels);
    const QList<SensorChannel> &channels() const noexcept { return m_channels; }

    /// Publishes one complete reading (channel → value) as the next measurement: the values
    /// `measured` (the reading plus `measurement_id`) and `measurement_id`. Returns its id; ids
    /// increase by one from 0 at every start of the device, as yaq's do.
    int publish(QVariantMap reading);
    /// The id the next publish() gives.
    int nextMeasurementId() const noexcept { return m_nextId; }

    // is-sensor
    QStringList channelNames() const override;
    QVariantMap channelUnits() const override;
    QMap<QString, QList<int>> channelShapes() const override;
    QVariantMap measured() const override;
    int measurementId() const override { return m_nextId - 1; }

private:
    Device &m_self;
    QList<SensorChannel> m_channels;
    int m_nextId = 0;
};

} // namespace Benchtop
