// SPDX-License-Identifier: MIT
#pragma once

#include "documents.h"
#include "plan.h"

#include <QList>
#include <QString>
#include <QVariant>

#include <vector>

namespace Benchtop {
class Device;
class DeviceHost;
} // namespace Benchtop

namespace Benchtop::Run {

/// Where one column of a stream is read on its device: the state key of the value it
/// publishes ("position", "position_identifier", "measured/signal", "ticks").
struct ColumnSource {
    QString device;
    QString stateKey;
    /// stateKey split at its '/' once, so that a read at every point does not split it.
    QString top;
    QString nested; ///< empty for a value at the top
};

/// The columns of a stream (a Descriptor's data keys) and where each is read, built from the
/// plan and the devices of the lab as they are at the start of the run. Thread affinity: the
/// device thread (it looks at the devices).
class StreamLayout {
public:
    /// The "primary" stream of `plan`: one column per axis (its position, or its identifier for
    /// an is-discrete device, or its turret), then every channel of every detector
    /// ("device.channel"), then every `record` value ("device.value"). Throws DeviceError naming
    /// the device for one the lab does not have, or that lacks the trait its role needs.
    static StreamLayout primary(const Plan &plan, const DeviceHost &host);
    /// The "baseline" stream: every value of every device of the lab that has a property of a
    /// scalar, string or array type ("device.property"); devices that cannot be read (in fault
    /// since creation) contribute none.
    static StreamLayout baseline(const DeviceHost &host);

    const QList<DataKey> &keys() const noexcept { return m_keys; }
    const std::vector<ColumnSource> &sources() const noexcept { return m_sources; }
    qsizetype size() const noexcept { return m_keys.size(); }
    /// The column named `name`, or -1.
    qsizetype indexOf(const QString &name) const;

    /// Reads column `column` from `device`'s published values, converted to its dtype (an
    /// "array" as QList<double>); an invalid QVariant when the device does not publish it.
    QVariant read(const Device &device, qsizetype column) const;

private:
    void add(DataKey key, const QString &device, const QString &stateKey);

    QList<DataKey> m_keys;
    std::vector<ColumnSource> m_sources;
};

/// The configuration of every device of the lab, in lab order: driver, traits, config, state
/// and identity.
QList<DeviceConfiguration> labConfiguration(const DeviceHost &host);

} // namespace Benchtop::Run
