// SPDX-License-Identifier: MIT
#pragma once

#include "devicedescription.h"
#include "devicehandle.h"
#include "readings.h"

#include <async/tsan_p.h>
#include <device/devicesnapshot.h>

#include <QMutex>
#include <QPointer>

#include <chrono>
#include <functional>

namespace Benchtop::detail {

/// Carries one device's snapshots from the device thread to one receiver on another thread,
/// coalesced: the sender overwrites the latest snapshot, adds its numbers to the readings since
/// the receiver's last take, and posts a delivery only when none is pending. So the receiver's
/// queue holds at most one delivery per channel however fast the device changes; a readout
/// reads the newest snapshot, a plot every reading. The readings are bounded (kReadingsLimit,
/// oldest dropped first and counted) so a receiver that stops taking cannot make the channel
/// grow without end.
class SnapshotChannel {
public:
    /// Ten seconds of a device at 100 Hz.
    static constexpr qsizetype kReadingsLimit = 1000;

    explicit SnapshotChannel(QObject *receiver, std::function<void()> deliver)
        : m_receiver(receiver)
        , m_deliver(std::move(deliver))
    {
    }

    /// Device thread.
    void publish(DeviceSnapshot snapshot)
    {
        const auto now = std::chrono::steady_clock::now();
        QMutexLocker lock(&m_mutex);
        // What the operator watches for (busy, a fault, a lost link) is not paced; the answer
        // travels with the delivery (take()), so that nobody downstream decides it again.
        m_prompt = m_prompt || DeviceHandle::promptChange(m_latest, snapshot);
        if (m_readings.append(now, snapshot) && m_readings.count() > kReadingsLimit) {
            // A quarter at once: dropping one row per publish would move the rest each time.
            m_readings.dropOldest(kReadingsLimit / 4);
            m_dropped += kReadingsLimit / 4;
        }
        m_latest = std::move(snapshot);
        ++m_published;
        if (m_closed)
            return;
        // One delivery pending at a time, and one more if something prompt happens while it
        // waits (its receiver may be pacing it).
        if (m_pending && (!m_prompt || m_promptPosted))
            return;
        m_promptPosted = m_prompt;
        m_pending = true;
        // Posted under the lock, so that close() (from the receiver's destructor) cannot slip
        // in between: once posted, Qt drops the event if the receiver is destroyed. handOff
        // tells TSan that the copy of m_deliver made here is read on the receiver's thread
        // only after the posted-event queue passed it over.
        QMetaObject::invokeMethod(
            m_receiver, Async::detail::handOff(m_deliver), Qt::QueuedConnection);
    }
    /// Device thread. Readings not yet taken that have other columns are dropped (a restarted
    /// device with another configuration).
    void describe(DeviceDescription description)
    {
        QMutexLocker lock(&m_mutex);
        Readings readings(description);
        if (readings.keys() != m_readings.keys())
            m_readings = std::move(readings);
        m_description = std::move(description);
        m_descriptionChanged = true;
        m_prompt = true;
    }

    /// Receiver thread: whether what waits should be delivered without pacing: a new
    /// description (a device created or restarted), or a change of status, busy or link.
    bool isPrompt() const
    {
        QMutexLocker lock(&m_mutex);
        return m_prompt;
    }
    /// Receiver thread: whether anything arrived since the last take (a second, prompt delivery
    /// may find that the first took it all).
    bool isPending() const
    {
        QMutexLocker lock(&m_mutex);
        return m_pending;
    }
    /// Receiver thread: the newest snapshot and the readings since the last take, whether the
    /// description changed since the last take, and whether what is taken is prompt.
    DeviceSnapshot take(
        Readings *readings, DeviceDescription *description, bool *descriptionChanged, bool *prompt)
    {
        QMutexLocker lock(&m_mutex);
        m_pending = false;
        *prompt = std::exchange(m_prompt, false);
        m_promptPosted = false;
        *descriptionChanged = std::exchange(m_descriptionChanged, false);
        if (*descriptionChanged)
            *description = m_description;
        *readings = m_readings.takeRows();
        return m_latest;
    }
    /// Receiver thread: no more deliveries (the receiver is going away).
    void close()
    {
        QMutexLocker lock(&m_mutex);
        m_closed = true;
    }
    quint64 published() const
    {
        QMutexLocker lock(&m_mutex);
        return m_published;
    }
    /// Readings dropped because the receiver did not take them in time.
    quint64 dropped() const
    {
        QMutexLocker lock(&m_mutex);
        return m_dropped;
    }

private:
    mutable QMutex m_mutex;
    QObject *m_receiver;
    std::function<void()> m_deliver;
    DeviceSnapshot m_latest;
    Readings m_readings;
    DeviceDescription m_description;
    quint64 m_published = 0;
    quint64 m_dropped = 0;
    bool m_pending = false;
    bool m_descriptionChanged = false;
    bool m_prompt = false;
    bool m_promptPosted = false;
    bool m_closed = false;
};

} // namespace Benchtop::detail
