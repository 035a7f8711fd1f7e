// SPDX-License-Identifier: MIT
#include "labhistory.h"

#include <host/devicehandle.h>

namespace Benchtop::Ui {

LabHistory::LabHistory() = default;
LabHistory::~LabHistory() = default;

void LabHistory::record(const DeviceHandle &handle)
{
    const Readings &readings = handle.readings();
    if (readings.isEmpty())
        return;
    const QString name = handle.name();
    auto it = m_devices.find(name);
    if (it == m_devices.end()) {
        bool measured = false;
        for (qsizetype row = 0; row < readings.count() && !measured; ++row)
            measured = readings.isMeasured(row);
        if (!measured)
            return;
        it = m_devices.emplace(name, std::make_unique<DeviceHistory>()).first;
    }
    it->second->record(handle);
}

void LabHistory::forget(const QString &device)
{
    m_devices.erase(device);
}

void LabHistory::clear()
{
    m_devices.clear();
}

const DeviceHistory *LabHistory::find(const QString &device) const
{
    const auto it = m_devices.find(device);
    return it == m_devices.end() ? nullptr : it->second.get();
}

} // namespace Benchtop::Ui
