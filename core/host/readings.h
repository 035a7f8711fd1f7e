// SPDX-License-Identifier: MIT
#pragma once

#include "devicedescription.h"

#include <device/devicesnapshot.h>

#include <QList>
#include <QStringList>

#include <chrono>
#include <utility>
#include <vector>

namespace Benchtop {

/// The numbers a device published, one row per snapshot, in order: what a plot needs of every
/// reading, without the rest of each snapshot. A thousand devices at 100 Hz publish 100,000
/// snapshots a second; a window that received each whole (a map of every value) would spend
/// most of its time copying and freeing them, while a row here is a few numbers in flat arrays.
///
/// The columns are the device's numeric properties (type Double or Int), by state key
/// ("position", "measured/voltage"); a value the snapshot lacks, or that is not a number, is
/// NaN. A snapshot repeated unchanged (the host's keep-alive: the same sequence) adds no row.
/// Each row also keeps the device's link and status when it was published: a row published
/// while the link was down, or the device in fault or stopped, repeats the last values the
/// device knew rather than new readings (isMeasured()).
class Readings {
public:
    using Clock = std::chrono::steady_clock;

    Readings() = default;
    explicit Readings(const DeviceDescription &description);

    /// The state keys of the columns.
    const QStringList &keys() const noexcept { return m_keys; }
    qsizetype columnOf(const QString &stateKey) const { return m_keys.indexOf(stateKey); }

    qsizetype count() const noexcept { return qsizetype(m_at.size()); }
    bool isEmpty() const noexcept { return m_at.empty(); }
    /// When the device published row `row`.
    Clock::time_point at(qsizetype row) const { return m_at[std::size_t(row)]; }
    quint64 sequence(qsizetype row) const { return m_sequence[std::size_t(row)]; }
    double value(qsizetype row, qsizetype column) const
    {
        return m_values[std::size_t(row * m_keys.size() + column)];
    }
    /// The device's link and status when it published row `row`.
    LinkState link(qsizetype row) const { return m_states[std::size_t(row)].link; }
    DeviceStatus status(qsizetype row) const { return m_states[std::size_t(row)].status; }
    /// Whether row `row`'s values were measured: its link was up and the device running
    /// (Ready). Otherwise they are what the device last knew, which may no longer be true.
    bool isMeasured(qsizetype row) const
    {
        return link(row) == LinkState::Connected && status(row) == DeviceStatus::Ready;
    }

    /// Adds a row for `snapshot`, published at `at`, unless it repeats the last row's sequence.
    /// Returns whether it did.
    bool append(Clock::time_point at, const DeviceSnapshot &snapshot);
    /// Forgets the `n` oldest rows.
    void dropOldest(qsizetype n);
    /// The rows so far, leaving this with the same columns and no rows.
    Readings takeRows();

private:
    QStringList m_keys;
    /// Each key split at its '/' once: {top, nested or empty}.
    QList<std::pair<QString, QString>> m_paths;
    std::vector<Clock::time_point> m_at;
    std::vector<quint64> m_sequence;
    struct RowState {
        LinkState link;
        DeviceStatus status;
    };
    std::vector<RowState> m_states;
    std::vector<double> m_values; ///< row-major, keys().size() per row
    /// Of the last row appended, kept across takeRows() so a keep-alive adds nothing.
    quint64 m_lastSequence = 0;
    bool m_hasLast = false;
};

} // namespace Benchtop
