// SPDX-License-Identifier: MIT
#pragma once

#include <QTreeWidget>

#include <memory>
#include <vector>

namespace Benchtop {
class DeviceHandle;
}

namespace Benchtop::Ui {

/// Every device of the open lab, one row each: name, driver kind, status (busy / ready / the
/// fault's reason) and its hinted values, kept live from the handles' coalesced snapshots.
/// Owns the handles.
class DeviceTable : public QTreeWidget {
    Q_OBJECT
public:
    explicit DeviceTable(
        std::vector<std::unique_ptr<DeviceHandle>> handles, QWidget *parent = nullptr);
    ~DeviceTable() override;

    enum Column { NameColumn, KindColumn, StatusColumn, ValuesColumn };

    /// Devices in fault right now.
    int faultCount() const;

Q_SIGNALS:
    void statusesChanged();

private:
    void refresh(int row);

    std::vector<std::unique_ptr<DeviceHandle>> m_handles;
};

} // namespace Benchtop::Ui
