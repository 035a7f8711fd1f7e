// SPDX-License-Identifier: MIT
#pragma once

#include "shownstatus.h"

#include <host/devicehandle.h>

#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>
#include <QTimer>

#include <array>
#include <chrono>
#include <vector>

namespace Benchtop::Ui {

/// The devices of the open lab, one row each: name, driver kind and a status readable at a
/// glance (ShownStatus: a word, a coloured dot, a row tint when it needs attention), kept live
/// from the handles' coalesced snapshots.
///
/// Holds its handles without owning them; a handle destroyed while listed leaves the list.
/// A device is stale when its handle has heard nothing for longer than staleAfter(); the host
/// re-sends every snapshot at least once per DeviceHandle::kKeepAlive, so silence means the
/// device thread or the link to the device is stuck. Staleness is checked every
/// kStaleCheckInterval; a stale device that is heard again shows its status again.
///
/// Cheap at a thousand devices changing at 100 Hz: a snapshot only costs a comparison, and
/// dataChanged is emitted only for a row whose shown data changed.
/// Thread affinity: the thread of its handles (the GUI thread).
class DeviceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, StatusColumn, ColumnCount };
    enum Role {
        StatusRole = Qt::UserRole + 1, ///< the status word (toString(ShownStatus)), every column
        StatusTextRole, ///< "fault: <reason>", or the word alone when there is no reason, as shown
        ReasonRole, ///< why: the fault's reason, or since when the device is silent
    };

    static constexpr std::chrono::milliseconds kDefaultStaleAfter = 3 * DeviceHandle::kKeepAlive;
    static constexpr std::chrono::milliseconds kStaleCheckInterval{500};

    explicit DeviceListModel(QObject *parent = nullptr);
    ~DeviceListModel() override;

    /// Appends a row for `handle`, which must outlive the model or be removed first. Returns
    /// false (and adds nothing) if a device of that name is already listed.
    bool addHandle(DeviceHandle *handle);
    /// Returns false if no device of that name is listed.
    bool removeHandle(const QString &name);
    /// Null for a row out of range.
    DeviceHandle *handle(int row) const;
    /// -1 for a name not listed.
    int rowOf(const QString &name) const;

    ShownStatus status(int row) const;
    QString reason(int row) const;

    /// Devices counted by the word the list shows for them, each once: in fault (shown as
    /// fault), disconnected (its link is down, whether or not it is also in fault: the list says
    /// disconnected), stale.
    int faultCount() const { return m_faultCount; }
    int disconnectedCount() const { return m_disconnectedCount; }
    int staleCount() const { return m_staleCount; }

    std::chrono::milliseconds staleAfter() const { return m_staleAfter; }
    /// Takes effect at once (tests set it small).
    void setStaleAfter(std::chrono::milliseconds limit);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// The shown status of `device` or its reason changed; `status` is its word ("fault").
    /// Not emitted for a row being added or removed.
    void statusChanged(const QString &device, const QString &status, const QString &reason);
    /// faultCount(), disconnectedCount() or staleCount() changed (not emitted for rows added
    /// or removed without changing them: rowCount() has rowsInserted and rowsRemoved).
    void countsChanged();

private:
    struct Shown {
        QString kind;
        ShownStatus status = ShownStatus::Connecting;
        QString reason;
        bool operator==(const Shown &) const = default;
    };
    struct Row {
        DeviceHandle *handle;
        QString name;
        std::chrono::steady_clock::time_point added;
        Shown shown;
    };

    using Counts = std::array<int, 3>;
    Counts counts() const { return {m_faultCount, m_disconnectedCount, m_staleCount}; }
    Shown shownFor(const Row &row, std::chrono::steady_clock::time_point now) const;
    void refresh(int row, std::chrono::steady_clock::time_point now);
    void refreshAll();
    void remove(int row);
    void reindex();
    void countsFrom(const Shown &shown, int sign);
    const QIcon &dot(ShownStatus status) const;

    std::vector<Row> m_rows;
    QHash<QString, int> m_rowOfName;
    QHash<const DeviceHandle *, int> m_rowOfHandle;
    std::chrono::milliseconds m_staleAfter = kDefaultStaleAfter;
    QTimer m_staleCheck;
    int m_faultCount = 0;
    int m_disconnectedCount = 0;
    int m_staleCount = 0;
    mutable std::array<QIcon, 7> m_dots; // one per ShownStatus, drawn when first shown
};

} // namespace Benchtop::Ui
