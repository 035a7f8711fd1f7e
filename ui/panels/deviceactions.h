// SPDX-License-Identifier: MIT
#pragma once

#include <async/taskgroup.h>
#include <host/devicehandle.h>

#include <QObject>
#include <QPointer>
#include <QVariant>

#include <functional>

namespace Benchtop::Ui {

/// The one way a panel's sections act on their device. Each call is reported as an operator
/// action, sent without blocking, and its refusal or error reported; the panel forwards these
/// signals (with the device's name) and shows refusals and notices on its message line.
///
/// Calls run as tasks of a group owned by this object: destroying it (with its panel) abandons
/// the waits, so no callback ever runs on a destroyed section. Thread affinity: the GUI thread.
/// The handle is not owned; if it is destroyed first, later calls are refused.
class DeviceActions : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(const QVariant &response)>;
    using Failed = std::function<void(const QString &reason)>;

    explicit DeviceActions(DeviceHandle *handle, QObject *parent = nullptr);
    ~DeviceActions() override;

    DeviceHandle *handle() const { return m_handle; }

    /// Emits operatorAction(`what`), then calls `message(args)` and returns at once. When the
    /// device refuses or fails (any std::exception, such as DeviceError), inputRefused(reason)
    /// is emitted. Nothing happens after this object is gone.
    void call(const QString &what, const QString &message, const QVariantList &args = {});
    /// The same, and then on this thread `done(response)` when the device answers, or
    /// `failed(reason)` after inputRefused — each only while `context` (the section that asked)
    /// still exists: a panel rebuilt meanwhile has destroyed it.
    void call(const QString &what, const QString &message, const QVariantList &args,
        QObject *context, Done done, Failed failed = {});

    /// Calls sent and not answered yet (their done/failed not run yet).
    int callsInFlight() const noexcept { return m_inFlight; }
    /// Reports an input the panel refused itself, before sending anything.
    void refuse(const QString &reason);
    /// Tells the operator something that is not a refusal ("moved to the limit instead").
    void notify(const QString &text);
    /// What notify() said no longer holds (the operator typed a new target, another move began).
    void clearNotice();

Q_SIGNALS:
    void operatorAction(const QString &what);
    void inputRefused(const QString &reason);
    void notified(const QString &text);
    void noticeCleared();
    /// A call was answered or failed (after its done or failed ran).
    void answered();

private:
    QPointer<DeviceHandle> m_handle;
    int m_inFlight = 0;
    Async::TaskGroup m_calls; // last: destroyed first, before what its tasks use
};

} // namespace Benchtop::Ui
