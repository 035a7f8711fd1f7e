// SPDX-License-Identifier: MIT
#pragma once

#include "devicedescription.h"
#include "readings.h"

#include <device/devicesnapshot.h>

#include <QCoroTask>
#include <QObject>
#include <QVariant>

#include <chrono>

namespace Benchtop {

/// How code on another thread (the UI) reaches one device: calls that return awaitables, and
/// the device's state as coalesced snapshots. LocalDeviceHandle crosses to the device thread
/// with queued invocations. A device of a yaq daemon elsewhere is not another kind of handle: it
/// is a Device on the host that forwards its messages over the network (decisions §23), reached
/// through the same handle as any other.
///
/// Thread affinity: the thread that created it. Its awaitables resume there.
class DeviceHandle : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// How a snapshot was delivered, decided once where it was sent (the handle's channel, by
    /// promptChange()) and passed on with it: Prompt for what the operator watches for (a
    /// change of status, busy, fault or link, a new description, the first snapshot), delivered
    /// at once; Paced otherwise, delivered on a frame of the handle's FrameClock when it has
    /// one (decisions §21). A view shows a prompt delivery at once and may pace the rest.
    enum class Delivery { Paced, Prompt };
    Q_ENUM(Delivery)
    /// Whether going from `before` to `after` is a change the operator watches for.
    static bool promptChange(const DeviceSnapshot &before, const DeviceSnapshot &after)
    {
        return before.name.isEmpty() || after.status != before.status || after.busy != before.busy
            || after.link != before.link || after.fault != before.fault;
    }

    virtual QString name() const = 0;
    /// The newest snapshot received (empty until the first arrives).
    const DeviceSnapshot &snapshot() const noexcept { return m_snapshot; }
    /// The numbers of every snapshot the device published since the previous
    /// snapshotChanged(), oldest first, the last being snapshot()'s (none for a keep-alive). A
    /// paced handle (FrameClock) delivers several at a time: a reader that needs every
    /// reading, such as a plot, walks these; the rest read snapshot().
    const Readings &readings() const noexcept { return m_readings; }
    /// When the device published snapshot() (steady clock; a keep-alive does not change it).
    std::chrono::steady_clock::time_point publishedAt() const noexcept { return m_publishedAt; }
    const DeviceDescription &description() const noexcept { return m_description; }
    /// When the last snapshot arrived (steady clock), or the epoch before the first. The host
    /// sends every device's snapshot at least once per kKeepAlive even when nothing changes,
    /// so a handle that has heard nothing for several times that knows its device is stale.
    std::chrono::steady_clock::time_point lastHeard() const noexcept { return m_lastHeard; }
    static constexpr std::chrono::seconds kKeepAlive{1};

    /// Calls a yaq message; resumes with its response. Throws DeviceError / UnknownMessage as
    /// the device does. Cancelling the awaiting task abandons the wait, not the call.
    virtual QCoro::Task<QVariant> call(QString message, QVariantList args = {}) = 0;
    /// Calls the message and resumes when the device is idle again (DeviceHost::callAndWait).
    virtual QCoro::Task<QVariant> callAndWait(QString message, QVariantList args = {}) = 0;

    QCoro::Task<double> moveTo(double position);
    QCoro::Task<double> home();
    QCoro::Task<QVariantMap> measure();

Q_SIGNALS:
    /// The snapshot changed. Coalesced: however fast the device changes, at most one is queued;
    /// snapshot() is then the newest and readings() holds those since the previous signal.
    /// `delivery` says whether it was prompt or paced.
    void snapshotChanged(Benchtop::DeviceHandle::Delivery delivery);
    void descriptionChanged();

protected:
    /// One new snapshot, published now (its readings taken by description()'s columns);
    /// prompt by promptChange() from the previous one.
    void setSnapshot(DeviceSnapshot snapshot);
    /// The newest snapshot, with the readings since the last; prompt by promptChange().
    void setSnapshot(DeviceSnapshot snapshot, Readings readings);
    /// The same, delivered as its sender decided.
    void setSnapshot(DeviceSnapshot snapshot, Readings readings, Delivery delivery);
    void setDescription(DeviceDescription description);

private:
    DeviceSnapshot m_snapshot;
    Readings m_readings;
    DeviceDescription m_description;
    std::chrono::steady_clock::time_point m_lastHeard;
    std::chrono::steady_clock::time_point m_publishedAt;
};

} // namespace Benchtop
