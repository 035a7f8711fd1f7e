// SPDX-License-Identifier: MIT
#pragma once

#include "devicesettings.h"
#include "devicesnapshot.h"
#include "messagedefinition.h"
#include "propertyinfo.h"

#include <async/blocking.h>
#include <async/event.h>
#include <async/taskgroup.h>

#include <QCoroTask>
#include <QObject>
#include <QStringList>
#include <QVariantMap>

#include <chrono>
#include <memory>
#include <optional>

namespace Benchtop {

/// A debounced event on a digital input line (has-digital-io).
enum class InputEvent { Pressed, Released, DoubleClick, LongPress };
QString toString(InputEvent event);

/// One instrument: the is-daemon trait plus whatever trait interfaces the driver's class also
/// derives from. Created by a driver plugin from its lab table; owned and run by the DeviceHost.
///
/// Thread affinity: everything happens on the device's thread (the host's), so a device's state
/// needs no locks. Other threads see it only through DeviceSnapshot copies and handles.
///
/// Tasks: every task of the device belongs to tasks(). An exception escaping one becomes the
/// device's fault (status Fault with the reason, logged); its other tasks are then cancelled
/// and it refuses calls until restarted. Before destroying a device, its owner ends its tasks
/// (the host cancels them, or stopTasksNow()), so that no task outlives the driver's members.
class Device : public QObject {
    Q_OBJECT
public:
    explicit Device(DeviceSettings settings, QObject *parent = nullptr);
    ~Device() override;

    // --- is-daemon ---
    const QString &name() const noexcept { return m_settings.name; }
    const QString &kind() const noexcept { return m_settings.kind; }
    /// The config the device was created with (schema defaults filled in).
    const QVariantMap &config() const noexcept { return m_settings.config; }
    /// yaq's id: name, kind, and make / model / serial where the driver knows them.
    virtual QVariantMap id() const;
    bool busy() const noexcept { return m_busy; }
    DeviceStatus status() const noexcept { return m_status; }
    const QString &faultReason() const noexcept { return m_fault; }
    LinkState link() const noexcept { return m_link; }

    /// The trait names this object implements: is-daemon plus every trait interface found by
    /// qobject_cast, in knownTraits() order.
    QStringList traits() const;
    /// Whether traits() holds `trait`, without building the list (one cast): for every call.
    bool hasTrait(const char *trait) const;
    /// Properties of its traits (see PropertyInfo), then the driver's own.
    QList<PropertyInfo> properties() const;

    /// Everything it publishes (the snapshot's values).
    const QVariantMap &values() const noexcept { return m_values; }
    /// The part of values() that survives a restart (yaq's get_state): the persistent keys.
    QVariantMap state() const;
    QStringList persistentKeys() const { return m_persistentKeys; }
    DeviceSnapshot snapshot() const;

    // --- lifecycle, driven by the host ---
    /// Takes saved state (from its state file) before start(). The default restores each
    /// persistent key whose saved value converts to the type of its current value.
    virtual void restoreState(const QVariantMap &saved);
    /// Starts update_state (and whatever else the driver starts in onStarted()).
    void start();
    /// Puts the device in Fault with `reason`: logs it, clears busy, cancels its tasks.
    void fail(const QString &reason);
    /// Ends every task at once, unwinding them through their cleanup, before the device is
    /// destroyed. After this the device is Stopped.
    void stopTasksNow();

    Async::TaskGroup &tasks() noexcept { return *m_tasks; }
    /// One thread for this device's blocking vendor calls, so they never overlap.
    Async::SerialExecutor &io();

    /// Throws DeviceError unless the device is Ready and its link is up (called before every
    /// call from outside, so that nothing queues behind a link that is down).
    void ensureReady() const;
    /// Resumes once the device is not busy. Throws DeviceError if it is (or falls) in fault.
    QCoro::Task<> untilIdle();

    /// The driver's own messages, beyond its traits' (yaq allows any), declared so that
    /// dispatch checks their arguments (and, for acting ones, readiness) and protocol documents
    /// list them. `trait` names the driver kind. The default declares none.
    virtual QList<MessageDefinition> ownMessages() const { return {}; }
    /// Answers one of ownMessages(): `args` are already checked against its parameters
    /// (converted, defaults filled in). Returns the response (an invalid QVariant for null).
    virtual QVariant invokeOwn(const QString &message, const QVariantList &args);

    /// The values the driver declared (declareValue()), as properties, in declaration order.
    const QList<PropertyInfo> &declaredValues() const noexcept { return m_declared; }

Q_SIGNALS:
    /// Something in the snapshot changed. Emitted synchronously, possibly at a high rate:
    /// receivers on other threads go through a DeviceHandle, which coalesces.
    void changed();
    void busyChanged(bool busy);
    void faultRaised(const QString &reason);
    /// A debounced event on input `line` (has-digital-io).
    void inputEvent(const QString &line, Benchtop::InputEvent event);
    /// What traits(), properties() or the messages answer say has changed: a device that
    /// forwards to a peer (ForwardsMessages) learns them when it connects. The host describes
    /// the device to its handles again.
    void declarationChanged();

protected:
    /// The polling task (yaq's update_state), started by start(); cancelled at shutdown.
    virtual QCoro::Task<> updateState();
    /// Called by start() after update_state has been spawned: start further tasks here.
    virtual void onStarted() { }
    /// The driver's own properties, after those of its traits.
    virtual QList<PropertyInfo> extraProperties() const { return {}; }

    void setValue(const QString &key, const QVariant &value);
    void setBusy(bool busy);
    /// Keys of values() that are saved and restored (a position, a slot, a counter).
    void setPersistentKeys(QStringList keys) { m_persistentKeys = std::move(keys); }
    /// Emits inputEvent and records it in the value `last_events` (line → "press", ...), so
    /// that panels can show each line's last push-button event.
    void emitInputEvent(const QString &line, InputEvent event);
    /// For drivers with a link to their instrument (see LinkState).
    void setLinkState(LinkState link);
    /// As above, with why the link is down (published as the value `link_error`, "" when up).
    void setLinkState(LinkState link, const QString &reason);
    /// The link is down and the next attempt to reconnect, number `attempt`, starts in `wait`:
    /// published as the values `reconnect_attempt`, `reconnect_at_ms` and `reconnect_wait_s`
    /// (StateKey), so that a panel can count down to it. The next setLinkState() other than
    /// Disconnected sets `reconnect_attempt` back to 0.
    void setReconnectWait(int attempt, std::chrono::milliseconds wait);

    /// Declares a value the device publishes beyond its traits' (yaq: a property with a
    /// getter): `info.name` is its key in values() unless `info.stateKey` says otherwise, and
    /// the message get_<name> (unless `info.getter` names another) answers it from values().
    /// The property is listed after the traits'. Call it in the constructor.
    void declareValue(PropertyInfo info);
    /// Declares `error` (a string, "" at first): for a driver whose calls do work in the
    /// background and report its failure with reportError(). Does nothing the second time.
    void declareErrorValue();

    /// The failure of a call's background work (a measurement read, a setpoint sent): logged,
    /// and published as the value `error` (docs/decisions.md §20), which callAndWait() and the
    /// awaitables throw.
    void reportError(const QString &message);
    /// A call whose work runs in the background clears `error` as it starts: from then on the
    /// value says how that call went.
    void clearError();

    /// Starts `fn()` as a task of this device: an exception escaping it becomes a fault.
    template<typename Fn>
    auto spawn(const char *taskName, Fn &&fn)
    {
        return m_tasks->spawn(taskName, std::forward<Fn>(fn));
    }

private:
    // The trait helpers publish for the device they are part of.
    friend class SensorState;
    friend class MeasurementRunner;
    friend class PositionState;

    void makeTaskGroup();
    void touch();

    DeviceSettings m_settings;
    QVariantMap m_values;
    QStringList m_persistentKeys;
    QList<PropertyInfo> m_declared;
    QString m_fault;
    QString m_linkReason;
    quint64 m_sequence = 0;
    DeviceStatus m_status = DeviceStatus::Ready;
    LinkState m_link = LinkState::Connected;
    bool m_busy = false;
    Async::Event m_idle;
    std::unique_ptr<Async::SerialExecutor> m_io;
    std::unique_ptr<Async::TaskGroup> m_tasks; // last: destroyed first
};

} // namespace Benchtop

Q_DECLARE_METATYPE(Benchtop::InputEvent)
