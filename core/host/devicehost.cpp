// SPDX-License-Identifier: MIT
#include "devicehost.h"

#include "devicehandle.h"
#include "hostlogging_p.h"
#include "snapshotchannel_p.h"

#include <async/activity.h>
#include <async/blocking.h>
#include <async/combinators.h>
#include <async/errors.h>
#include <async/sleep.h>
#include <device/awaitables.h>
#include <device/deviceerror.h>
#include <device/diagnostics.h>
#include <device/dispatch.h>
#include <device/messagetable.h>
#include <device/traits.h>

#include <QLoggingCategory>
#include <QPointer>
#include <QScopeGuard>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace Benchtop {

Q_LOGGING_CATEGORY(lcHost, "benchtop.host")

namespace {

/// A hold that was the machine's doing (LoopWatchdog::machineBusy, or mostly waiting for a CPU).
QString machineBusyMessage(const Async::LoopStall &stall)
{
    return QStringLiteral("the machine was busy: %1 held the device loop for %2 ms, %3 ms of it "
                          "waiting for a CPU")
        .arg(stall.culprit())
        .arg(stall.held.count())
        .arg(stall.waitedForCpu.count());
}

} // namespace

struct DeviceHost::Slot {
    DeviceSettings settings;
    QStringList tableErrors; ///< not created while there are any

    std::unique_ptr<Device> device;
    std::vector<std::shared_ptr<detail::SnapshotChannel>> channels;
    std::unique_ptr<StateSaver> saver;
    int loopStalls = 0;
    std::chrono::milliseconds longestStall{0};
};

DeviceHost::DeviceHost(
    Drivers drivers, std::shared_ptr<StateStore> store, Options options, QObject *parent)
    : QObject(parent)
    , m_drivers(std::move(drivers))
    , m_store(std::move(store))
    , m_options(options)
    , m_bindings(
          m_drivers.driverFor,
          [this](const QString &device, const QString &message,
              std::function<void(std::exception_ptr)> done) {
              callNowOrLater(device, message, {},
                  [done = std::move(done)](const CallOutcome &outcome) { done(outcome.error); });
          },
          [this](const QString &binding, const QString &reason) {
              qCWarning(lcHost).noquote()
                  << QStringLiteral("binding %1 failed: %2").arg(binding, reason);
              Q_EMIT bindingFailed(binding, reason);
          })
{
    qRegisterMetaType<LoopHealth>();
    if (m_options.watchdog.count() > 0) {
        m_watchdog = std::make_unique<Async::LoopWatchdog>(m_options.watchdog);
        // Straight through, on the watchdog's thread: the device thread is the one held.
        connect(m_watchdog.get(), &Async::LoopWatchdog::stalled, this, &DeviceHost::loopStalled,
            Qt::DirectConnection);
        connect(m_watchdog.get(), &Async::LoopWatchdog::stallEnded, this,
            &DeviceHost::loopStallEnded, Qt::DirectConnection);
        // Queued to this thread: counted once the loop is free again.
        connect(m_watchdog.get(), &Async::LoopWatchdog::stallEnded, this, &DeviceHost::countStall,
            Qt::QueuedConnection);
        // Not a driver's doing: said at the info level, never counted against a device.
        connect(
            m_watchdog.get(), &Async::LoopWatchdog::machineBusy, this,
            [](const Async::LoopStall &stall) {
                qCInfo(lcHost).noquote() << machineBusyMessage(stall);
            },
            Qt::DirectConnection);
    }
    m_tasks.spawn("heartbeat", [this] { return heartbeat(); });
}

void DeviceHost::countStall(const Async::LoopStall &stall)
{
    if (stall.mostlyWaitingForCpu()) {
        // Reported while it lasted, but the machine was busy: not the device's stall.
        qCInfo(lcHost).noquote() << machineBusyMessage(stall);
        return;
    }
    QString message = QStringLiteral("%1 held the device loop for %2 ms")
                          .arg(stall.culprit())
                          .arg(stall.held.count());
    if (stall.waitedForCpu.count() > 0)
        message
            += QStringLiteral(", %1 ms of it waiting for a CPU").arg(stall.waitedForCpu.count());
    message
        += QStringLiteral(" (the watchdog's threshold is %1 ms)").arg(m_options.watchdog.count());
    // A stall of a second or more is an error to shout about; shorter ones are for the log.
    if (stall.held >= std::chrono::seconds(1))
        qCWarning(lcHost).noquote() << message;
    else
        qCInfo(lcHost).noquote() << message;
    auto it = m_slots.find(stall.owner);
    if (it == m_slots.end())
        return;
    Slot &slot = *it->second;
    ++slot.loopStalls;
    slot.longestStall = std::max(slot.longestStall, stall.held);
    publish(slot);
}

QCoro::Task<> DeviceHost::heartbeat()
{
    using Clock = LoopHealthMonitor::Clock;
    Clock::time_point lastKeepAlive = Clock::now();
    for (;;) {
        // Measured with the real clock: the point is how late the real loop wakes.
        const Clock::time_point due = Clock::now() + m_options.heartbeat;
        co_await Async::sleep(m_options.heartbeat);
        const Clock::time_point now = Clock::now();
        m_health.recordLatency(now, std::max<Clock::duration>(now - due, {}));
        if (now - lastKeepAlive >= DeviceHandle::kKeepAlive) {
            // Handles mark a device stale when they hear nothing for a while: tell them the
            // loop is alive even when nothing changed.
            lastKeepAlive = now;
            for (auto &[name, slot] : m_slots)
                publish(*slot);
        }
        Q_EMIT healthChanged(m_health.report(now));
    }
}

LoopHealth DeviceHost::health() const
{
    return m_health.report(LoopHealthMonitor::Clock::now());
}

QVariant DeviceHost::timedInvoke(Device &device, const QString &message, const QVariantList &args)
{
    using Clock = LoopHealthMonitor::Clock;
    // The watchdog names the device and the message if the call holds the loop.
    Async::ActivityScope activity(Async::activityLabel(device.name(), message));
    const Clock::time_point start = Clock::now();
    auto record = qScopeGuard([&] {
        const Clock::time_point end = Clock::now();
        m_health.recordCall(end, device.name(), message, end - start);
    });
    return invoke(device, message, args);
}

DeviceHost::~DeviceHost()
{
    m_watchdog.reset(); // first: it emits our signals from its own thread
    for (auto &[name, slot] : m_slots) {
        slot->saver->stop();
        if (slot->device)
            slot->device->stopTasksNow();
    }
    for (auto &device : m_abandoned) {
        if (!device->tasks().isEmpty()) {
            // A task is still stuck in a foreign wait and would touch the device when it ends:
            // leaking it is the only safe choice.
            qCWarning(lcHost).noquote()
                << QStringLiteral("%1 is still stuck at exit; leaving it").arg(device->name());
            (void)device.release();
        }
    }
}

void DeviceHost::open(
    const QList<DeviceSettings> &devices, SettingsSource reload, TableErrors tableErrors)
{
    m_reload = std::move(reload);
    for (const DeviceSettings &settings : devices) {
        if (m_slots.count(settings.name)) {
            qCWarning(lcHost).noquote()
                << QStringLiteral("device %1 is listed twice; the second is ignored")
                       .arg(settings.name);
            continue;
        }
        Slot &slot = addSlot(settings);
        slot.tableErrors = tableErrors.value(settings.name);
        createDevice(slot);
    }
}

void DeviceHost::addDevice(const DeviceSettings &settings)
{
    if (m_shutDown)
        throw DeviceError(QStringLiteral("the device host is shut down"));
    if (m_slots.count(settings.name))
        throw DeviceError(
            QStringLiteral("there is already a device %1 in this lab").arg(settings.name));
    m_addedAtRuntime << settings.name;
    createDevice(addSlot(settings));
}

DeviceHost::Slot &DeviceHost::addSlot(const DeviceSettings &settings)
{
    auto slot = std::make_unique<Slot>();
    slot->settings = settings;
    m_order << settings.name;
    Slot &ref = *slot;
    m_slots.emplace(settings.name, std::move(slot));
    ref.saver = makeSaver(settings);
    ref.saver->loadNow();
    return ref;
}

std::unique_ptr<StateSaver> DeviceHost::makeSaver(const DeviceSettings &settings)
{
    return std::make_unique<StateSaver>(m_store, m_io, settings.kind, settings.name,
        StateSaver::Intervals{m_options.saveIntervalBusy, m_options.saveIntervalIdle});
}

void DeviceHost::retire(Slot &slot, bool stopped, Farewell farewell)
{
    slot.saver->stop();
    // Its state was saved before this; whatever takes the slot now (a device that failed to be
    // created again) must not write over it.
    slot.saver->deviceGone();
    slot.device->disconnect(this);
    if (stopped) {
        slot.device->stopTasksNow();
        if (farewell == Farewell::ToHandles)
            publish(slot); // its handles see it stopped
        slot.device.reset();
        return;
    }
    qCWarning(lcHost).noquote() << QStringLiteral("%1 ignored cancellation for %2 ms; abandoned")
                                       .arg(slot.settings.name)
                                       .arg(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           m_options.shutdownLimit)
                                                .count());
    m_abandoned.push_back(std::move(slot.device));
}

QCoro::Task<> DeviceHost::removeDevice(QString name)
{
    auto it = m_slots.find(name);
    if (it == m_slots.end())
        throw DeviceError(QStringLiteral("there is no device %1 in this lab").arg(name));
    Slot &slot = *it->second;
    const bool stopped = co_await stopDevice(slot, Async::now() + m_options.shutdownLimit);
    co_await slot.saver->save(*slot.device);
    // Looked up again: the lab may have changed while this waited.
    it = m_slots.find(name);
    if (it == m_slots.end() || it->second.get() != &slot)
        co_return;
    retire(slot, stopped, Farewell::ToHandles);
    m_slots.erase(it);
    m_order.removeAll(name);
    m_addedAtRuntime.removeAll(name);
    Q_EMIT deviceRemoved(name);
}

QList<DeviceSettings> DeviceHost::settings() const
{
    QList<DeviceSettings> all;
    for (const QString &name : m_order)
        all << m_slots.at(name)->settings;
    return all;
}

Device *DeviceHost::device(const QString &name) const
{
    auto it = m_slots.find(name);
    return it == m_slots.end() ? nullptr : it->second->device.get();
}

Device &DeviceHost::require(const QString &name) const
{
    Device *found = device(name);
    if (!found)
        throw DeviceError(QStringLiteral("there is no device %1 in this lab").arg(name));
    return *found;
}

void DeviceHost::createDevice(Slot &slot)
{
    const DeviceSettings &settings = slot.settings;
    Async::ActivityScope activity(Async::activityLabel(settings.name, QStringLiteral("start")));
    QString error;
    try {
        // A table with errors is not given to its driver, which may take it in another sense.
        if (!slot.tableErrors.isEmpty())
            error = slot.tableErrors.join(QLatin1Char('\n'));
        else
            slot.device = m_drivers.create(settings);
        if (!slot.device && error.isEmpty())
            error = QStringLiteral("the driver returned no device");
    } catch (const std::exception &e) {
        error = QString::fromLocal8Bit(e.what());
    } catch (...) {
        error = QStringLiteral("the driver threw an exception that is not a std::exception");
    }
    if (!slot.device) {
        slot.device = std::make_unique<Device>(settings);
        slot.device->fail(QStringLiteral("could not be created: %1").arg(error));
    } else {
        try {
            slot.device->restoreState(slot.saver->lastSaved());
            slot.saver->deviceRestored();
            slot.device->start();
        } catch (...) {
            slot.device->fail(QStringLiteral("could not start: %1")
                                  .arg(describeException(std::current_exception())));
        }
    }
    wire(slot);
    // A fault while it was created or started came before wire() connected faultRaised.
    if (slot.device->status() == DeviceStatus::Fault)
        Q_EMIT deviceFaulted(settings.name, slot.device->faultReason());
    slot.saver->start(*slot.device);
    Q_EMIT deviceStarted(settings.name);
}

void DeviceHost::wire(Slot &slot)
{
    Device *device = slot.device.get();
    const QString name = slot.settings.name;
    connect(device, &Device::changed, this, [this, &slot] { publish(slot); });
    connect(device, &Device::faultRaised, this,
        [this, name](const QString &reason) { Q_EMIT deviceFaulted(name, reason); });
    connect(
        device, &Device::inputEvent, this, [this, device](const QString &line, InputEvent event) {
            m_bindings.onInput(*device, line, event);
        });
    // A remote device learns what it is when it reaches its peer: tell the handles again.
    connect(device, &Device::declarationChanged, this, [this, &slot, name] {
        const DeviceDescription description = describe(name);
        for (const auto &channel : slot.channels)
            channel->describe(description);
        publish(slot);
    });
    const DeviceDescription description = describe(name);
    for (const auto &channel : slot.channels)
        channel->describe(description);
    publish(slot);
}

void DeviceHost::publish(Slot &slot)
{
    if (slot.channels.empty())
        return;
    const DeviceSnapshot snapshot = snapshotOf(slot);
    for (const auto &channel : slot.channels)
        channel->publish(snapshot);
}

DeviceSnapshot DeviceHost::snapshotOf(const Slot &slot) const
{
    DeviceSnapshot snapshot = slot.device->snapshot();
    snapshot.loopStalls = slot.loopStalls;
    snapshot.longestStallMs = slot.longestStall.count();
    return snapshot;
}

QVariant DeviceHost::call(const QString &device, const QString &message, const QVariantList &args)
{
    return timedInvoke(require(device), message, args);
}

bool DeviceHost::forwardsCalls(const QString &name) const
{
    const Device *device = this->device(name);
    return device && forwardingOf(device);
}

QCoro::Task<QVariant> DeviceHost::callAsync(QString name, QString message, QVariantList args)
{
    Device &device = require(name);
    if (!forwardingOf(&device))
        co_return timedInvoke(device, message, args);
    Async::relabelCurrentTask(Async::activityLabel(name, message));
    co_return co_await callMessage(device, std::move(message), std::move(args));
}

QCoro::Task<QVariant> DeviceHost::callAndWait(QString name, QString message, QVariantList args)
{
    Device &device = require(name);
    // This host task serves one device's call: its steps are that device's.
    Async::relabelCurrentTask(Async::activityLabel(name, message));
    co_return co_await Benchtop::callAndWait(device, std::move(message), std::move(args),
        [this, name](QString m, QVariantList a) { return callAsync(name, m, a); });
}

bool DeviceHost::callNowOrLater(const QString &device, const QString &message, QVariantList args,
    std::function<void(CallOutcome)> done)
{
    if (!forwardsCalls(device)) {
        CallOutcome outcome;
        try {
            outcome.value = call(device, message, args);
        } catch (...) {
            outcome.error = std::current_exception();
        }
        done(std::move(outcome));
        return true;
    }
    // The peer may refuse before anything is sent (the device is not ready), which ends the
    // task before spawn() returns: then it counts as answered now.
    auto spawning = std::make_shared<bool>(true);
    auto answered = std::make_shared<bool>(false);
    m_tasks.spawn("forwarded call",
        [this, device, message, args = std::move(args), done = std::move(done), spawning,
            answered]() mutable -> QCoro::Task<> {
            CallOutcome outcome;
            auto finish = [&] {
                outcome.late = !*spawning;
                *answered = true;
                done(std::move(outcome));
            };
            try {
                outcome.value = co_await callAsync(device, message, std::move(args));
            } catch (const Async::Cancelled &) {
                outcome.error = std::current_exception();
                finish();
                throw; // the host is shutting down: this task ends as cancelled
            } catch (...) {
                outcome.error = std::current_exception();
            }
            finish();
        });
    *spawning = false;
    return *answered;
}

QCoro::Task<bool> DeviceHost::stopDevice(Slot &slot, Async::Clock::time_point deadline)
{
    slot.saver->stop();
    Device &device = *slot.device;
    (void)device.tasks().cancel();
    bool stopped = true;
    const auto left = std::max<Async::Clock::duration>(deadline - Async::now(), {});
    try {
        co_await Async::timeout(
            [&device]() -> QCoro::Task<> { co_await device.tasks().join(); }, left);
    } catch (const Async::Timeout &) {
        stopped = false;
    }
    co_return stopped;
}

QCoro::Task<> DeviceHost::restart(QString name)
{
    auto it = m_slots.find(name);
    if (it == m_slots.end())
        throw DeviceError(QStringLiteral("there is no device %1 in this lab").arg(name));
    Slot &slot = *it->second;
    const auto deadline = Async::now() + m_options.shutdownLimit;
    const bool stopped = co_await stopDevice(slot, deadline);
    co_await slot.saver->save(*slot.device);
    retire(slot, stopped, Farewell::Quiet); // replaced below
    QString error;
    if (m_reload && !m_addedAtRuntime.contains(name)) {
        try {
            slot.settings
                = co_await Async::runBlocking([reload = m_reload, name] { return reload(name); });
            slot.tableErrors.clear(); // the reader throws for a table with errors
        } catch (const std::exception &e) {
            error = QString::fromLocal8Bit(e.what());
        }
    }
    if (!error.isEmpty()) {
        slot.device = std::make_unique<Device>(slot.settings);
        slot.device->fail(QStringLiteral("could not re-read its settings: %1").arg(error));
        wire(slot);
        Q_EMIT deviceStarted(name);
        co_return;
    }
    slot.saver = makeSaver(slot.settings); // its kind may have changed
    co_await slot.saver->load();
    createDevice(slot);
}

QCoro::Task<> DeviceHost::shutdown()
{
    if (m_shutDown)
        co_return;
    m_shutDown = true;
    (void)m_tasks.cancel(); // calls in flight from handles end with "the device host shut down"
    // Leave a quarter second of the limit for saving the final states.
    const auto deadline = Async::now() + m_options.shutdownLimit;
    const auto tasksDeadline = deadline
        - std::min<Async::Clock::duration>(
            m_options.shutdownLimit / 8, std::chrono::milliseconds(250));
    for (auto &[name, slot] : m_slots) {
        slot->saver->stop();
        (void)slot->device->tasks().cancel();
    }
    QStringList stuck;
    for (const QString &name : m_order) {
        Slot &slot = *m_slots.at(name);
        if (!co_await stopDevice(slot, tasksDeadline))
            stuck << name;
    }
    for (const QString &name : m_order) {
        Slot &slot = *m_slots.at(name);
        const auto left = std::max<Async::Clock::duration>(deadline - Async::now(), {});
        try {
            co_await Async::timeout([&slot]() { return slot.saver->save(*slot.device); }, left);
        } catch (const Async::Timeout &) {
            qCWarning(lcHost).noquote()
                << QStringLiteral("%1: no time left to save its state").arg(name);
        }
    }
    for (const QString &name : m_order)
        retire(*m_slots.at(name), !stuck.contains(name), Farewell::Quiet);
    m_slots.clear();
    m_order.clear();
}

QStringList DeviceHost::abandonedDevices() const
{
    QStringList names;
    for (const auto &device : m_abandoned)
        names << device->name();
    return names;
}

void DeviceHost::subscribe(const QString &device, std::shared_ptr<detail::SnapshotChannel> channel)
{
    Async::ActivityScope activity(Async::activityLabel(device, QStringLiteral("subscribe")));
    auto it = m_slots.find(device);
    if (it == m_slots.end())
        return;
    Slot &slot = *it->second;
    channel->describe(describe(device));
    channel->publish(snapshotOf(slot));
    slot.channels.push_back(std::move(channel));
}

void DeviceHost::unsubscribe(
    const QString &device, const std::shared_ptr<detail::SnapshotChannel> &channel)
{
    auto it = m_slots.find(device);
    if (it == m_slots.end())
        return;
    auto &channels = it->second->channels;
    std::erase(channels, channel);
}

DeviceDescription DeviceHost::describe(const QString &name) const
{
    const Device &d = require(name);
    DeviceDescription description{
        d.name(), d.kind(), d.traits(), messagesOf(d), d.properties(), d.config(), {}};
    QSet<QString> ofProperties;
    for (const PropertyInfo &property : description.properties)
        ofProperties << property.getter << property.setter;
    const QStringList ofServer = serverMessages();
    for (const MessageDefinition &message : messageDefinitions(d)) {
        if (!traitMessage(message.name) && !ofProperties.contains(message.name)
            && !ofServer.contains(message.name))
            description.ownMessages << message;
    }
    return description;
}

} // namespace Benchtop
