// SPDX-License-Identifier: MIT
#pragma once

#include "devicehandle.h"

#include <QPointer>

#include <functional>
#include <memory>

template<typename T>
class QPromise;

namespace Benchtop {

class DeviceHost;
class SnapshotPacer;

namespace detail {
class SnapshotChannel;
}

/// A handle on a device of a DeviceHost in this process, usually on the device thread. Calls
/// are queued to the host's thread and their results come back through QFuture; snapshots come
/// through a coalescing channel.
///
/// The host must outlive the handle (the application destroys its handles before shutting the
/// host down). Thread affinity: the thread that created it.
class LocalDeviceHandle final : public DeviceHandle {
    Q_OBJECT
public:
    /// With a pacer, deliveries are paced by it (it must outlive the handle); without, each is
    /// delivered as soon as this thread's loop takes it.
    LocalDeviceHandle(DeviceHost *host, QString device, QObject *parent = nullptr);
    LocalDeviceHandle(DeviceHost *host, QString device, SnapshotPacer *pacer,
        QObject *parent = nullptr);
    ~LocalDeviceHandle() override;

    QString name() const override { return m_device; }
    QCoro::Task<QVariant> call(QString message, QVariantList args = {}) override;
    QCoro::Task<QVariant> callAndWait(QString message, QVariantList args = {}) override;

    /// Snapshots the device has published to this handle (for tests of coalescing).
    quint64 publishedCount() const;
    /// Readings published but never delivered, because this thread took none for longer than
    /// the channel holds (SnapshotChannel::kReadingsLimit).
    quint64 droppedCount() const;

    /// For the pacer: delivers what has arrived.
    void deliverNow();

private:
    using Promise = std::shared_ptr<QPromise<QVariant>>;
    using HostWork = std::function<void(DeviceHost *, const Promise &)>;

    /// The channel's queued delivery: now, or through the pacer.
    void deliver();
    /// Runs `work` on the host's thread; resumes with what it puts in the promise.
    QCoro::Task<QVariant> onHost(HostWork work);

    QPointer<DeviceHost> m_host;
    QString m_device;
    SnapshotPacer *m_pacer = nullptr;
    std::shared_ptr<detail::SnapshotChannel> m_channel;
};

} // namespace Benchtop
