// SPDX-License-Identifier: MIT
#pragma once

#include "devicehandle.h"
#include "frameclock.h"

#include <QPointer>

#include <functional>
#include <memory>

template<typename T>
class QPromise;

namespace Benchtop {

class DeviceHost;

namespace detail {
class SnapshotChannel;
}

/// A handle on a device of a DeviceHost in this process, usually on the device thread. Calls
/// are queued to the host's thread and their results come back through QFuture; snapshots come
/// through a coalescing channel.
///
/// Paced by a FrameClock (the window's: FrameClock::instance()), a delivery that is not prompt
/// (DeviceHandle::Delivery) waits for a frame of the clock's Deliveries lane, so that a thousand
/// devices changing at 100 Hz cost this thread a bounded share of each frame instead of all of
/// it; a quiet lane delivers at once. Nothing is lost by pacing: a handle that waits gathers its
/// device's readings and delivers them together (readings()). A prompt delivery never waits.
///
/// The host must outlive the handle (the application destroys its handles before shutting the
/// host down). Thread affinity: the thread that created it.
class LocalDeviceHandle final
    : public DeviceHandle
    , private FrameClock::Client {
    Q_OBJECT
public:
    /// With a clock, deliveries are paced by it (it must outlive the handle, unless it is
    /// FrameClock::instance()); without, each is delivered as soon as this thread's loop takes
    /// it.
    LocalDeviceHandle(
        DeviceHost *host, QString device, FrameClock *pacing = nullptr, QObject *parent = nullptr);
    ~LocalDeviceHandle() override;

    QString name() const override { return m_device; }
    QCoro::Task<QVariant> call(QString message, QVariantList args = {}) override;
    QCoro::Task<QVariant> callAndWait(QString message, QVariantList args = {}) override;

    /// Snapshots the device has published to this handle (for tests of coalescing).
    quint64 publishedCount() const;
    /// Readings published but never delivered, because this thread took none for longer than
    /// the channel holds (SnapshotChannel::kReadingsLimit).
    quint64 droppedCount() const;

private:
    using Promise = std::shared_ptr<QPromise<QVariant>>;
    using HostWork = std::function<void(DeviceHost *, const Promise &)>;

    /// The channel's queued delivery: now, or on a frame.
    void deliver();
    /// Delivers what has arrived.
    void deliverNow();
    void onFrame() override { deliverNow(); }
    /// Runs `work` on the host's thread; resumes with what it puts in the promise.
    QCoro::Task<QVariant> onHost(HostWork work);

    QPointer<DeviceHost> m_host;
    QString m_device;
    bool m_paced;
    std::shared_ptr<detail::SnapshotChannel> m_channel;
};

} // namespace Benchtop
