// SPDX-License-Identifier: MIT
#pragma once

#include <async/blocking.h>
#include <async/clock.h>
#include <async/taskgroup.h>

#include <QCoroTask>
#include <QString>
#include <QVariantMap>

#include <memory>

namespace Benchtop {

class Device;
class StateStore;

/// One device's saved state (yaq's state file): read before the device is created, and written
/// while it runs — every interval, only when it changed (as yaq does), and once more when it
/// stops. Writes run on the host's state-file thread (`io`), never on the device loop. A failed
/// write is logged once per distinct error and tried again at the next interval.
///
/// Only a device that took the saved state writes it: nothing is written until deviceRestored()
/// (the device's restoreState() returned, from what was read or from nothing), and nothing after
/// deviceGone(). A device that failed to be created, or refused its state, never replaces what
/// was saved (a lab with a typo must not wipe the position another lab saved).
///
/// Thread affinity: the device thread (the host's).
class StateSaver {
public:
    struct Intervals {
        Async::Clock::duration busy = std::chrono::milliseconds(100);
        Async::Clock::duration idle = std::chrono::seconds(1);
    };

    /// `store` may be null: nothing is read or written.
    StateSaver(std::shared_ptr<StateStore> store, Async::SerialExecutor &io, QString kind,
        QString name, Intervals intervals);
    ~StateSaver();

    /// Reads the saved state now, on the calling thread: small files, read once before the
    /// device runs, not worth a round trip to a thread. Returns what the device is restored
    /// from (empty when there is none); a file set aside is logged.
    QVariantMap loadNow();
    /// The same on the state-file thread, for a device restarted while others run.
    QCoro::Task<QVariantMap> load();

    /// What was saved (or read) last: what a device created now is restored from.
    const QVariantMap &lastSaved() const noexcept { return m_lastSaved; }

    /// The device now running was restored from lastSaved(): from now on save() writes its
    /// state. loadNow() and load() take that back until the next device is restored.
    void deviceRestored() noexcept { m_restored = true; }
    /// The device leaves (removed, replaced, shut down): save() writes nothing more.
    void deviceGone() noexcept { m_restored = false; }
    /// Whether save() writes (deviceRestored() and not deviceGone() since).
    bool writes() const noexcept { return m_restored; }

    /// Starts saving `device`'s state every interval (busy or idle); stop() before the device
    /// goes.
    void start(Device &device);
    /// Ends the saving task at once.
    void stop();
    /// Saves `device`'s state now if it changed since it was last saved or read, and only while
    /// writes().
    QCoro::Task<> save(const Device &device);

private:
    void remember(const QVariantMap &loaded);

    std::shared_ptr<StateStore> m_store;
    Async::SerialExecutor &m_io;
    QString m_kind;
    QString m_name;
    Intervals m_intervals;
    QVariantMap m_lastSaved;
    bool m_hasSaved = false;
    bool m_restored = false;
    QString m_lastError;
    std::unique_ptr<Async::TaskGroup> m_tasks; // last: destroyed first
};

} // namespace Benchtop
