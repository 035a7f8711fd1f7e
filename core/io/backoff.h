// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace Benchtop::Io {

/// The waits between reconnection attempts: exponential from `first` up to `longest`, each
/// spread by ±jitter so that many devices that lost one network at once do not all knock at
/// the same instant. Never longer than `longest`, never shorter than 1 ms.
class Backoff {
public:
    using Duration = std::chrono::milliseconds;

    struct Settings {
        Duration first{250};
        Duration longest{10000};
        double factor = 2.0;
        /// The fraction by which a wait may be shortened or lengthened at random (0 to 1).
        double jitter = 0.2;
    };

    /// `seed` 0: a random seed.
    explicit Backoff(Settings settings, std::uint64_t seed = 0);

    /// The wait before the next attempt; the one after it will be longer.
    Duration next();
    /// After a success: the next failure starts again from `first`.
    void reset() noexcept { m_attempts = 0; }
    /// Attempts since the last reset().
    int attempts() const noexcept { return m_attempts; }
    const Settings &settings() const noexcept { return m_settings; }

private:
    Settings m_settings;
    std::mt19937_64 m_random;
    int m_attempts = 0;
};

} // namespace Benchtop::Io
