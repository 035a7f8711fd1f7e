// SPDX-License-Identifier: MIT
#pragma once

#include "simconfig.h"
#include "simfaults.h"

#include <async/clock.h>
#include <device/device.h>

#include <QCoroTask>

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

private:
    SimConfig m_config;
    SimFaults m_faults;
    Async::TimePoint m_created;
    std::optional<Async::TimePoint> m_connected; // at the first hardware call
    int m_missedPolls = 0;
};

} // namespace Benchtop::Sim
