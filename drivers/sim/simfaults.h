// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <chrono>
#include <random>

namespace Benchtop::Sim {

class SimConfig;

/// The fault knobs every simulated instrument takes from its config, and the random draws that
/// decide when they strike. A knob whose key a kind's schema does not have keeps its default
/// (no fault).
///
/// - `latency_ms`: added to every simulated hardware call.
/// - `hold_loop_ms`: every simulated hardware call also blocks the device loop this long (a
///   sleep on the loop, as a buggy driver's blocking read would): what the loop watchdog is for.
/// - `timeout_rate` (0..1): probability that a hardware call throws Async::Timeout after its
///   latency.
/// - `disconnect_after_s` (0 = never): that long after the first hardware call the connection is
///   lost, and every call throws DeviceError "connection lost".
/// - `reconnect_after_s` (0 = never): that long after the connection was lost it comes back, by
///   itself and once; meanwhile the device stays Ready with its link Disconnected (a fault
///   otherwise).
/// - `fail_after_s` (0 = never): that long after the first hardware call, the next one throws
///   DeviceError "simulated driver error": an exception out of update_state, a fault.
/// - `hang_after_s` (0 = never): that long after the first hardware call, the simulated
///   instrument stops answering: every call becomes a blocking call that never returns, which
///   the device gives up on after kHangTimeout (a timeout, as a careful driver's would be).
/// - `stuck_busy`: a motion or a measurement never reports done until stop().
/// - `noise`: standard deviation of the Gaussian noise added to readings.
/// - `seed`: seeds the random generator (0: a random seed), so that tests are deterministic.
///
/// Pure logic; the device applies the decisions (SimDevice::hardwareCall).
class SimFaults {
public:
    /// No faults, random seed.
    SimFaults();
    /// Reads the knobs present in `config`; throws DeviceError for an unusable value.
    static SimFaults fromConfig(const SimConfig &config);

    std::chrono::milliseconds latency() const noexcept { return m_latency; }
    std::chrono::milliseconds holdLoop() const noexcept { return m_holdLoop; }
    double timeoutRate() const noexcept { return m_timeoutRate; }
    /// Zero: never.
    std::chrono::duration<double> disconnectAfter() const noexcept { return m_disconnectAfter; }
    /// Zero: a lost connection never comes back.
    std::chrono::duration<double> reconnectAfter() const noexcept { return m_reconnectAfter; }
    bool stuckBusy() const noexcept { return m_stuckBusy; }
    /// Whether a call `sinceConnected` after the first one fails, or hangs.
    bool failsAt(std::chrono::steady_clock::duration sinceConnected) const noexcept;
    bool hangsAt(std::chrono::steady_clock::duration sinceConnected) const noexcept;
    /// How long a device waits for a call that hangs before it gives up on it.
    static constexpr std::chrono::seconds kHangTimeout{1};
    double noise() const noexcept { return m_noise; }
    /// The seed in use (the random one drawn when the config said 0).
    quint64 seed() const noexcept { return m_seed; }

    /// Whether the connection is lost `sinceConnected` after the first call: from
    /// disconnect_after_s on, until reconnect_after_s later when that is set.
    bool isLost(std::chrono::steady_clock::duration sinceConnected) const noexcept;
    /// Whether a lost connection comes back by itself (reconnect_after_s is set).
    bool reconnects() const noexcept { return m_reconnectAfter.count() > 0; }
    /// Draws whether the next call times out (never at rate 0, always at rate 1).
    bool nextCallTimesOut();
    /// `value` plus a draw of the noise (unchanged when noise is 0).
    double addNoise(double value);
    /// The generator, for a device's own simulated randomness (shaking, LED periods).
    std::mt19937_64 &random() noexcept { return m_random; }

private:
    std::chrono::milliseconds m_latency{0};
    std::chrono::milliseconds m_holdLoop{0};
    double m_timeoutRate = 0;
    std::chrono::duration<double> m_disconnectAfter{0};
    std::chrono::duration<double> m_reconnectAfter{0};
    bool m_stuckBusy = false;
    std::chrono::duration<double> m_failAfter{0};
    std::chrono::duration<double> m_hangAfter{0};
    double m_noise = 0;
    quint64 m_seed = 0;
    std::mt19937_64 m_random;
};

} // namespace Benchtop::Sim
