// SPDX-License-Identifier: MIT
#pragma once

// The queue of runs: plans waiting to run, the one running, and queue-stop markers. One queue
// per lab; the window, benchtopd and scripts see and edit the same one. This is the model only;
// queuefile.h keeps it on disk.

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Benchtop::Run {

/// One entry of the queue.
struct QueueItem {
    enum class Kind {
        Plan, ///< a plan to run
        StopMarker, ///< the queue stops here: the item after it waits for a "start queue"
    };
    /// Where an item stands. Waiting items can be edited, moved and removed; the others not.
    enum class State {
        Waiting,
        Running,
        Done, ///< the run ended; `exitStatus` says how
        Interrupted, ///< it was running when its process ended (a crash): see `file`
    };

    QString uid; ///< the item's id; a plan's run gets this uid when it starts
    Kind kind = Kind::Plan;
    State state = State::Waiting;
    QString planPath; ///< where the plan came from, for display; may be empty
    QByteArray planText; ///< the plan, verbatim (the file may change or go afterwards)
    QStringList overrides; ///< `key=value` settings applied on top (benchtop-run's --set)
    QString exitStatus; ///< Done: "success", "abort" or "fail"
    QString reason; ///< Done: why it ended ("completed", "stopped", ...)
    QString file; ///< the run's HDF5 file, once it started

    bool operator==(const QueueItem &) const = default;
};

QString toString(QueueItem::State state);
std::optional<QueueItem::State> queueItemStateFromString(const QString &text);

/// The queue's items in order: done items first (the most recent last, at most
/// kHistoryLength of them), then the running one, then the waiting ones and stop markers.
/// Every change emits changed(). Thread affinity: the thread it lives on.
class RunQueue : public QObject {
    Q_OBJECT

public:
    /// Done items kept, so a client can see how the last runs ended.
    static constexpr int kHistoryLength = 50;

    explicit RunQueue(QObject *parent = nullptr);

    const QList<QueueItem> &items() const noexcept { return m_items; }
    const QueueItem *item(const QString &uid) const;
    /// The running item, or nullptr.
    const QueueItem *running() const;
    /// How many plans wait (stop markers not counted).
    int waitingCount() const;

    /// Adds a plan at `position` among the waiting items (0 = next; -1 or past the end = last)
    /// and returns its uid (a new UUID v4).
    QString addPlan(QByteArray planText, QString planPath = {}, QStringList overrides = {},
        int position = -1);
    /// Adds a queue-stop marker the same way; returns its uid.
    QString addStopMarker(int position = -1);
    /// Removes a waiting item or marker; false (and nothing changes) for an unknown uid or an
    /// item that is running or done.
    bool remove(const QString &uid);
    /// Moves a waiting item or marker to `position` among the waiting items; false as remove().
    bool move(const QString &uid, int position);
    /// Replaces a waiting plan's text and overrides; false as remove() or for a marker.
    bool edit(const QString &uid, QByteArray planText, QStringList overrides);
    /// Removes every done item.
    void clearHistory();

    /// What to run next: the first waiting item, started (it becomes Running) and returned, or
    /// nullopt when nothing waits, when an item already runs, or when the first waiting item is
    /// a stop marker — which is then consumed, and queueStopped() emitted.
    std::optional<QueueItem> startNext();
    /// The running item's run wrote `file` (shown once the run has a file).
    void setRunningFile(const QString &file);
    /// The running item ended: it becomes Done with `exitStatus` and `reason`.
    void finishRunning(const QString &exitStatus, const QString &reason);

    /// Replaces every item (a queue read from disk). A Running item — its process ended while
    /// it ran — becomes Interrupted, keeping its file.
    void restore(QList<QueueItem> items);

Q_SIGNALS:
    void changed();
    /// A stop marker was reached: nothing more starts until the next startNext().
    void queueStopped();

private:
    int indexOf(const QString &uid) const;
    int firstWaitingIndex() const;
    int waitingPosition(int position) const;
    void trimHistory();

    QList<QueueItem> m_items;
};

} // namespace Benchtop::Run
