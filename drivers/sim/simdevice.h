// SPDX-License-Identifier: MIT
#pragma once

#include "simconfig.h"
#include "simfaults.h"

#include <async/clock.h>
#include <async/event.h>
#include <async/taskhandle.h>
#include <device/device.h>

#include <QCoroTask>

#include <functional>
#include <optional>

namespace Benchtop::Sim {

/// The base of every simulated instrument: its config reader, its fault knobs and the one place
/// where they strike, hardwareCall(). Thread affinity: the device's thread (Device's).
///
/// Simulated time is the scheduler's (Async::now()), so a ManualClock drives a simulated
/// instrument exactly in tests.
class SimDevice : public Device {
    Q_OBJECT
public:
    explicit SimDevice(DeviceSettings settings, QObject *parent = nullptr);
    ~SimDevice() override;

    /// make "Benchtop", model = the driver kind, serial = the device's name.
    QVariantMap id() const override;
    const SimFaults &faults() const noexcept { return m_faults; }

protected:
    /// A fault in update_state's polls is forgiven this many times in a row: a missed poll is
    /// skipped, the next one usually answers. One more is a fault.
    static constexpr int kMaxMissedPolls = 3;

    const SimConfig &simConfig() const noexcept { return m_config; }

    /// One exchange with the simulated hardware (`what` names it in errors): waits latency_ms,
    /// then throws DeviceError "connection lost" once disconnect_after_s has passed since the
    /// first call, or Async::Timeout with probability timeout_rate. Completes without
    /// suspending when there is no latency. A cancellation point when it waits.
    QCoro::Task<> hardwareCall(const char *what);
    /// hardwareCall() for a poll of update_state: a timed-out poll gives false (skip it) unless
    /// it is the kMaxMissedPolls-th in a row, which throws. A lost connection always throws.
    QCoro::Task<bool> pollHardware(const char *what);

    /// `value` with the configured reading noise added.
    double noisy(double value) { return m_faults.addNoise(value); }
    std::mt19937_64 &random() noexcept { return m_faults.random(); }
    bool stuckBusy() const noexcept { return m_faults.stuckBusy(); }

    /// Seconds of simulated time since the device was created (drives simulated signals).
    double secondsSinceCreated() const;

    // Commands to a simulated controller that moves (a stage, a wheel), seed 000's pattern:
    // each command supersedes the one before, and update_state polls fast while busy and
    // sleeps while idle until a command wakes it.

    /// Starts `send(command)` as the device's command task (it sends the command to the
    /// controller and calls commandTaken() once taken), superseding the one in flight, which
    /// ends quietly at its next ensureCurrent() or await. Returns the new command's number.
    quint64 sendCommand(const char *taskName, std::function<QCoro::Task<>(quint64 command)> send);
    /// Supersedes every command at once (a stop, which the controller takes without a call).
    void supersedeCommands();
    /// The controller has taken `command`.
    void commandTaken(quint64 command);
    /// Whether the controller has taken the newest command.
    bool commandsTaken() const noexcept { return m_taken == m_command; }
    /// Ends the calling task quietly (as Cancelled) if a later command superseded `command`.
    void ensureCurrent(quint64 command) const;
    /// update_state's wait between polls: kBusyPoll while busy; while idle kIdlePoll, or until
    /// a command comes.
    QCoro::Task<> untilNextPoll();
    static constexpr auto kBusyPoll = std::chrono::milliseconds(10);
    static constexpr auto kIdlePoll = std::chrono::milliseconds(100);

private:
    SimConfig m_config;
    SimFaults m_faults;
    Async::TimePoint m_created;
    std::optional<Async::TimePoint> m_connected; // at the first hardware call
    int m_missedPolls = 0;
    quint64 m_command = 0; // increases with every command: move, home, stop
    quint64 m_taken = 0; // the newest command the controller has taken
    Async::Event m_wake; // a command for update_state, which may be in its idle wait
    Async::TaskHandle<void> m_commandTask; // the command being sent, or a homing run
};

} // namespace Benchtop::Sim
