// SPDX-License-Identifier: MIT
#pragma once

#include "devicehistory.h"

#include <QString>

#include <memory>
#include <unordered_map>

namespace Benchtop {
class DeviceHandle;
}

namespace Benchtop::Ui {

/// The recent past of every device of a lab (a DeviceHistory each), fed from the lab's start
/// with every delivery of each device's handle whether or not its panel is open, so that a
/// panel opened later plots the last two minutes rather than starting empty (MainWindow owns
/// one and feeds it).
///
/// Lazy, for labs of a thousand devices: a device gets its DeviceHistory with its first
/// measured reading, and nothing before (one that never publishes one costs a lookup per
/// delivery and no memory). GUI thread only.
class LabHistory {
public:
    LabHistory();
    ~LabHistory();
    LabHistory(const LabHistory &) = delete;
    LabHistory &operator=(const LabHistory &) = delete;

    /// Takes the rows `handle` delivered with its last snapshotChanged() (its readings()).
    void record(const DeviceHandle &handle);
    /// Drops what is held of `device` (removed, or its name about to be reused).
    void forget(const QString &device);
    void clear();

    /// What is held of `device`, or null: nothing is until its first measured reading.
    const DeviceHistory *find(const QString &device) const;
    /// The devices something is held of.
    qsizetype deviceCount() const noexcept { return qsizetype(m_devices.size()); }

private:
    std::unordered_map<QString, std::unique_ptr<DeviceHistory>> m_devices;
};

} // namespace Benchtop::Ui
