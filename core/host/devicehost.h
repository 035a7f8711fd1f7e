// SPDX-License-Identifier: MIT
#pragma once

#include "devicedescription.h"
#include "inputbindings.h"
#include "loophealth.h"
#include "statesaver.h"

#include <async/blocking.h>
#include <async/clock.h>
#include <async/loopwatchdog.h>
#include <async/taskgroup.h>
#include <device/device.h>
#include <device/devicesettings.h>
#include <device/forwarding.h>
#include <plugins/driverinfo.h>

#include <QCoroTask>
#include <QHash>
#include <QObject>

#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace Benchtop {

class StateStore;

namespace detail {
class SnapshotChannel;
}

/// Runs the devices of a lab (MMCore's CMMCore + DeviceInstance, yaq's daemon runner): creates
/// each device from its settings through the driver plugins, restores its saved state, starts
/// its tasks and a state-saving task, turns anything escaping a device into that device's fault,
/// wires input bindings, and shuts everything down within a bounded time.
///
/// Thread affinity: the thread it lives on is the device thread; every device it creates lives
/// and runs there. It does not care which thread that is (tests run it on the main thread); the
/// application moves it to its own (DeviceThread). Other threads use DeviceHandle.
class DeviceHost : public QObject {
    Q_OBJECT
public:
    /// How the host reaches drivers (the PluginRegistry in the application, test doubles in
    /// tests). `create` may throw; its message becomes the device's fault.
    struct Drivers {
        std::function<std::unique_ptr<Device>(const DeviceSettings &)> create;
        std::function<std::optional<DriverInfo>(const QString &kind)> driverFor;
    };
    /// Re-reads one device's settings for restart (from the lab file on disk): throws
    /// std::exception with the message to show (a lab error) when it cannot. Runs on a
    /// blocking-call thread, not the device thread.
    using SettingsSource = std::function<DeviceSettings(const QString &name)>;

    struct Options {
        Async::Clock::duration shutdownLimit = std::chrono::seconds(2);
        Async::Clock::duration saveIntervalBusy = std::chrono::milliseconds(100);
        Async::Clock::duration saveIntervalIdle = std::chrono::seconds(1);
        /// How often the loop's heartbeat measures its latency and reports healthChanged.
        Async::Clock::duration heartbeat = std::chrono::milliseconds(250);
        /// A task step or callback that holds the device loop longer than this is reported
        /// (loopStalled, loopStallEnded, the device's snapshot counts it). Zero: no watchdog.
        std::chrono::milliseconds watchdog{0};
    };

    /// `store` may be null (nothing is saved or restored).
    DeviceHost(Drivers drivers, std::shared_ptr<StateStore> store, Options options,
        QObject *parent = nullptr);
    DeviceHost(Drivers drivers, std::shared_ptr<StateStore> store, QObject *parent = nullptr)
        : DeviceHost(std::move(drivers), std::move(store), Options(), parent)
    {
    }
    /// Ends every task at once (without saving) if shutdown() was not awaited.
    ~DeviceHost() override;

    /// Each device's errors in its lab table (one line each): such a device is not created but
    /// put in fault with them, until a restart re-reads a table without errors.
    using TableErrors = QHash<QString, QStringList>;

    /// Creates and starts every device, in order. A device whose driver fails to create it, or
    /// whose table has errors, still appears, in fault with the reason, and can be restarted.
    /// Names must be unique.
    void open(const QList<DeviceSettings> &devices, SettingsSource reload = {},
        TableErrors tableErrors = {});

    /// Adds and starts one more device (the window's Add device…), as open() does. Throws
    /// DeviceError when the name is taken. Its restart reuses these settings, not the lab file.
    void addDevice(const DeviceSettings &settings);
    /// Stops the device (bounded, like shutdown), saves its state and removes it; its handles
    /// receive a last snapshot (stopped) and then nothing. Throws DeviceError for an unknown name.
    QCoro::Task<> removeDevice(QString name);

    QStringList deviceNames() const { return m_order; }
    /// The settings of every device, in order (what Save lab as… writes).
    QList<DeviceSettings> settings() const;
    /// The loop's health now (also reported by healthChanged at every heartbeat).
    LoopHealth health() const;
    /// The device, on the device thread; null for an unknown name. A restart replaces it.
    Device *device(const QString &name) const;

    /// Calls a yaq message of a device (see invoke()); throws DeviceError/UnknownMessage.
    /// A device that forwards its messages to a peer (ForwardsMessages) refuses this: use
    /// callAsync().
    QVariant call(const QString &device, const QString &message, const QVariantList &args = {});
    /// Whether calls to the device must be awaited (it forwards them to a peer, see
    /// ForwardsMessages); false for an unknown name.
    bool forwardsCalls(const QString &device) const;
    /// Calls a yaq message of any device: at once for those that answer themselves (as call()),
    /// awaiting the peer for those that forward. Run it as a task of tasks() or of a caller
    /// that outlives it.
    QCoro::Task<QVariant> callAsync(QString device, QString message, QVariantList args = {});
    /// Calls the message and resumes when the device is idle again, as Benchtop::callAndWait()
    /// (awaitables.h) does: the final position, identifier or measurement, and the device's
    /// `error` thrown after an acting call whose background work failed.
    QCoro::Task<QVariant> callAndWait(QString device, QString message, QVariantList args = {});

    /// The outcome of a call: its response, or the exception it ended with.
    struct CallOutcome {
        QVariant value;
        std::exception_ptr error;
        bool late = false; ///< answered by a task, after callNowOrLater() had returned
    };
    /// Calls a message for a caller that cannot await (a handle's queued request, the yaq
    /// server, an input binding): at once when the device answers itself, or, for a device
    /// that forwards, as a task of tasks() that awaits the peer (ended with Cancelled at
    /// shutdown). `done` gets the outcome exactly once. Returns true when it has already been
    /// called (CallOutcome::late false), false when it will be called later (late true). An
    /// unknown device is an error given to `done`.
    bool callNowOrLater(const QString &device, const QString &message, QVariantList args,
        std::function<void(CallOutcome)> done);

    /// Stops the device (bounded, like shutdown), saves its state, re-reads its settings (a
    /// device from the lab; one added with addDevice() keeps its own), creates it again and
    /// starts it. Table errors given to open() hold until a re-read succeeds: a device in fault
    /// for a typo comes up once the file is fixed. Handles follow the new device.
    QCoro::Task<> restart(QString name);

    /// Cancels every task of every device and waits for them, saves every device's state, and
    /// destroys the devices; resumes within Options::shutdownLimit even if a driver ignores
    /// cancellation (its device is then abandoned, not destroyed, and a warning names it).
    QCoro::Task<> shutdown();
    bool isShutDown() const { return m_shutDown; }

    /// Names of devices abandoned by shutdown because their tasks ignored cancellation.
    QStringList abandonedDevices() const;

    // --- for handles (called on the device thread through queued invocations) ---
    void subscribe(const QString &device, std::shared_ptr<detail::SnapshotChannel> channel);
    void unsubscribe(
        const QString &device, const std::shared_ptr<detail::SnapshotChannel> &channel);
    DeviceDescription describe(const QString &device) const;
    /// Tasks the host runs for callers (handles' awaited calls); cancelled at shutdown.
    Async::TaskGroup &tasks() noexcept { return m_tasks; }

Q_SIGNALS:
    /// A device was created (at open or restart); `name` is its lab name.
    void deviceStarted(const QString &name);
    void deviceFaulted(const QString &name, const QString &reason);
    /// A binding's call failed (the target refused, is in fault, ...).
    void bindingFailed(const QString &binding, const QString &reason);
    void deviceRemoved(const QString &name);
    /// At every heartbeat (Options::heartbeat).
    void healthChanged(const Benchtop::LoopHealth &health);
    /// The watchdog (Options::watchdog) saw one step hold the loop past its threshold: at the
    /// threshold, then every second while it lasts (loopStalled), and once when it ends.
    /// Emitted on the watchdog's own thread, while the device thread is still held: connect
    /// them queued (the default across threads).
    void loopStalled(const Benchtop::Async::LoopStall &stall);
    void loopStallEnded(const Benchtop::Async::LoopStall &stall);

private:
    struct Slot;

    Device &require(const QString &name) const;
    Slot &addSlot(const DeviceSettings &settings);
    void createDevice(Slot &slot);
    QCoro::Task<> heartbeat();
    /// Runs one synchronous driver call, timing it for the loop's health.
    QVariant timedInvoke(Device &device, const QString &message, const QVariantList &args);
    std::unique_ptr<StateSaver> makeSaver(const DeviceSettings &settings);
    void wire(Slot &slot);
    void publish(Slot &slot);
    QCoro::Task<bool> stopDevice(Slot &slot, Async::Clock::time_point deadline);
    /// Whether a retired device's handles are told it stopped (it is removed) or not (it is
    /// replaced at once, or the lab is closing).
    enum class Farewell { Quiet, ToHandles };
    /// The one way a device leaves the host, after stopDevice(): its saving ends, and it is
    /// destroyed when its tasks ended (`stopped`), or abandoned — kept, never destroyed — when
    /// one ignored cancellation.
    void retire(Slot &slot, bool stopped, Farewell farewell);
    DeviceSnapshot snapshotOf(const Slot &slot) const;
    void countStall(const Async::LoopStall &stall);

    Drivers m_drivers;
    std::shared_ptr<StateStore> m_store;
    Options m_options;
    SettingsSource m_reload;
    QStringList m_order;
    std::map<QString, std::unique_ptr<Slot>> m_slots;
    std::vector<std::unique_ptr<Device>> m_abandoned;
    Async::SerialExecutor m_io{QStringLiteral("state files")};
    QStringList m_addedAtRuntime;
    LoopHealthMonitor m_health;
    InputBindings m_bindings;
    bool m_shutDown = false;
    std::unique_ptr<Async::LoopWatchdog> m_watchdog;
    Async::TaskGroup m_tasks{QStringLiteral("device host")}; // last: destroyed first
};

} // namespace Benchtop
