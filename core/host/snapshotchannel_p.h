// SPDX-License-Identifier: MIT
#pragma once

#include "devicedescription.h"

#include <device/devicesnapshot.h>

#include <QMutex>
#include <QPointer>

#include <functional>

namespace Benchtop::detail {

/// Carries one device's snapshots from the device thread to one receiver on another thread,
/// coalesced: the sender overwrites the latest value and posts a delivery only when none is
/// pending, so the receiver's queue holds at most one delivery per channel however fast the
/// device changes, and the receiver always reads the newest value.
class SnapshotChannel {
public:
    explicit SnapshotChannel(QObject *receiver, std::function<void()> deliver)
        : m_receiver(receiver)
        , m_deliver(std::move(deliver))
    {
    }

    /// Device thread.
    void publish(DeviceSnapshot snapshot)
    {
        QMutexLocker lock(&m_mutex);
        m_latest = std::move(snapshot);
        ++m_published;
        if (m_pending || m_closed)
            return;
        m_pending = true;
        // Posted under the lock, so that close() (from the receiver's destructor) cannot slip
        // in between: once posted, Qt drops the event if the receiver is destroyed.
        QMetaObject::invokeMethod(m_receiver, m_deliver, Qt::QueuedConnection);
    }
    void describe(DeviceDescription description)
    {
        QMutexLocker lock(&m_mutex);
        m_description = std::move(description);
        m_descriptionChanged = true;
    }

    /// Receiver thread: the newest snapshot, and whether the description changed since the
    /// last take.
    DeviceSnapshot take(DeviceDescription *description, bool *descriptionChanged)
    {
        QMutexLocker lock(&m_mutex);
        m_pending = false;
        *descriptionChanged = std::exchange(m_descriptionChanged, false);
        if (*descriptionChanged)
            *description = m_description;
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

private:
    mutable QMutex m_mutex;
    QObject *m_receiver;
    std::function<void()> m_deliver;
    DeviceSnapshot m_latest;
    DeviceDescription m_description;
    quint64 m_published = 0;
    bool m_pending = false;
    bool m_descriptionChanged = false;
    bool m_closed = false;
};

} // namespace Benchtop::detail
