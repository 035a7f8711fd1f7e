// SPDX-License-Identifier: MIT
#include "simdevice.h"

#include "simchecks.h"

#include <async/blocking.h>
#include <async/combinators.h>
#include <async/errors.h>
#include <async/sleep.h>
#include <device/deviceerror.h>

#include <thread>

namespace Benchtop::Sim {

SimDevice::SimDevice(DeviceSettings settings, QObject *parent)
    : Device(std::move(settings), parent)
    , m_config(name(), config())
    , m_faults(SimFaults::fromConfig(m_config))
    , m_created(Async::now())
{
    // The rules the lab checker also applies (SimFactory::checkConfig), for a device created
    // without it.
    throwIfConfigErrors(name(), checkSimConfig({name(), kind(), config()}));
}

SimDevice::~SimDevice() = default;

QVariantMap SimDevice::id() const
{
    return {{QStringLiteral("name"), name()}, {QStringLiteral("kind"), kind()},
        {QStringLiteral("make"), QStringLiteral("Benchtop")}, {QStringLiteral("model"), kind()},
        {QStringLiteral("serial"), name()}};
}

QCoro::Task<> SimDevice::hardwareCall(const char *what)
{
    if (m_faults.latency().count() > 0)
        co_await Async::sleep(m_faults.latency());
    if (m_faults.holdLoop().count() > 0) {
        // The fault knob hold_loop_ms: the bug the loop watchdog exists to catch, on purpose.
        std::this_thread::sleep_for(m_faults.holdLoop());
    }
    const Async::TimePoint now = Async::now();
    if (!m_connected)
        m_connected = now;
    if (m_faults.isLost(now - *m_connected)) {
        setLinkState(LinkState::Disconnected, QStringLiteral("connection lost"));
        throw DeviceError(QStringLiteral("%1: connection lost").arg(name()));
    }
    if (link() == LinkState::Disconnected && m_faults.reconnects())
        setLinkState(LinkState::Connected, {}); // reconnect_after_s: the link is back
    if (m_faults.failsAt(now - *m_connected)) {
        throw DeviceError(
            QStringLiteral("%1: %2: simulated driver error").arg(name(), QLatin1String(what)));
    }
    if (m_faults.hangsAt(now - *m_connected)) {
        // The instrument no longer answers: the exchange blocks its I/O thread for good. Calls
        // queue behind it there, and each is given up after kHangTimeout.
        try {
            co_await Async::timeout(
                [this]() -> QCoro::Task<> {
                    co_await Async::runBlocking(io(), [] {
                        for (;;)
                            std::this_thread::sleep_for(std::chrono::hours(1));
                    });
                },
                SimFaults::kHangTimeout);
        } catch (const Async::Timeout &) {
            throw Async::Timeout(QStringLiteral("%1: %2 timed out: no answer in %3 s")
                                     .arg(name(), QLatin1String(what))
                                     .arg(SimFaults::kHangTimeout.count())
                                     .toStdString());
        }
    }
    if (m_faults.nextCallTimesOut()) {
        throw Async::Timeout(
            QStringLiteral("%1: %2 timed out").arg(name(), QLatin1String(what)).toStdString());
    }
}

QCoro::Task<bool> SimDevice::pollHardware(const char *what)
{
    try {
        co_await hardwareCall(what);
    } catch (const DeviceError &) {
        // A connection that comes back by itself (reconnect_after_s): the poll is skipped and the
        // link shows Disconnected until a poll gets through again.
        if (!m_faults.reconnects() || link() != LinkState::Disconnected)
            throw;
        co_return false;
    } catch (const Async::Timeout &) {
        if (++m_missedPolls >= kMaxMissedPolls)
            throw;
        co_return false;
    }
    m_missedPolls = 0;
    co_return true;
}

quint64 SimDevice::sendCommand(
    const char *taskName, std::function<QCoro::Task<>(quint64 command)> send)
{
    const quint64 command = ++m_command;
    m_commandTask.cancel(); // the command still being sent is superseded
    m_commandTask = spawn(taskName, [send = std::move(send), command] { return send(command); });
    m_wake.set();
    return command;
}

void SimDevice::supersedeCommands()
{
    m_taken = ++m_command;
    m_commandTask.cancel();
    m_wake.set();
}

void SimDevice::commandTaken(quint64 command)
{
    m_taken = command;
    m_wake.set();
}

void SimDevice::ensureCurrent(quint64 command) const
{
    if (command != m_command)
        throw Async::Cancelled{};
}

QCoro::Task<> SimDevice::untilNextPoll()
{
    if (busy()) {
        co_await Async::sleep(kBusyPoll);
        co_return;
    }
    m_wake.clear();
    co_await Async::whenAny(
        [] { return Async::sleep(kIdlePoll); }, [this] { return m_wake.wait(); });
}

double SimDevice::secondsSinceCreated() const
{
    return std::chrono::duration<double>(Async::now() - m_created).count();
}

} // namespace Benchtop::Sim
