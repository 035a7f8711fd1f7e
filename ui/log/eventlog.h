// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>

#include <deque>

namespace Benchtop::Ui {

/// What happened while the lab ran, newest last: faults, refused calls, plugin trouble, the
/// operator's actions. For the window only (it is not the application's log file).
///
/// Bounded: past capacity() the oldest entries go (with beginRemoveRows), so a device failing
/// in a loop cannot eat the memory. Thread affinity: the GUI thread.
class EventLog : public QAbstractTableModel {
    Q_OBJECT
public:
    /// Loop: a driver held the device loop past the watchdog's threshold (not a fault).
    enum class Category { Fault, Loop, Refused, Plugin, Action, Info };
    Q_ENUM(Category)

    struct Entry {
        QDateTime time;
        Category category;
        QString device; ///< empty when it concerns no device
        QString message;
    };

    enum Column { TimeColumn, CategoryColumn, DeviceColumn, MessageColumn, ColumnCount };
    enum Role {
        CategoryRole = Qt::UserRole + 1, ///< the Category, every column
    };

    static constexpr int kDefaultCapacity = 10'000;

    explicit EventLog(QObject *parent = nullptr);

    /// Appends an entry stamped with the current time, dropping the oldest one past capacity.
    void add(Category category, const QString &device, const QString &message);
    void clear();

    int capacity() const { return m_capacity; }
    /// At least 1; drops the oldest entries that no longer fit.
    void setCapacity(int capacity);

    const Entry &entry(int row) const { return m_entries.at(std::size_t(row)); }
    /// One line for a clipboard or a bug report: "12:03:04.123 fault stage: connection lost".
    QString toText(int row) const;
    /// The whole log as a text file: one entry a line, oldest first, its date and time to the
    /// millisecond, category, device and message separated by tabs (a message's own line breaks
    /// become spaces, so that one line is one entry).
    QString toFileText() const;

    /// The category as the log shows it: a lower-case word ("fault", "refused", ...), translated.
    static QString toString(Category category);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void dropOldest(int count);

    std::deque<Entry> m_entries;
    int m_capacity = kDefaultCapacity;
};

} // namespace Benchtop::Ui
