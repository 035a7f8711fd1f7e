// SPDX-License-Identifier: MIT
#include "simfaults.h"

#include "simconfig.h"

#include <limits>

namespace Benchtop::Sim {

namespace {
quint64 randomSeed()
{
    std::random_device device;
    quint64 seed = 0;
    while (seed == 0)
        seed = (quint64(device()) << 32) ^ device();
    return seed;
}
} // namespace

SimFaults::SimFaults()
    : m_seed(randomSeed())
    , m_random(m_seed)
{
}

SimFaults SimFaults::fromConfig(const SimConfig &config)
{
    SimFaults faults;
    const QString latency = QStringLiteral("latency_ms");
    if (config.has(latency))
        faults.m_latency = std::chrono::milliseconds(config.integer(latency, 0, 60'000));
    const QString holdLoop = QStringLiteral("hold_loop_ms");
    if (config.has(holdLoop))
        faults.m_holdLoop = std::chrono::milliseconds(config.integer(holdLoop, 0, 60'000));
    const QString timeoutRate = QStringLiteral("timeout_rate");
    if (config.has(timeoutRate))
        faults.m_timeoutRate = config.number(timeoutRate, 0.0, 1.0);
    const QString disconnect = QStringLiteral("disconnect_after_s");
    if (config.has(disconnect)) {
        faults.m_disconnectAfter = std::chrono::duration<double>(
            config.number(disconnect, 0.0, std::numeric_limits<double>::max()));
    }
    const auto seconds = [&](const QString &key, std::chrono::duration<double> *into) {
        if (config.has(key)) {
            *into = std::chrono::duration<double>(
                config.number(key, 0.0, std::numeric_limits<double>::max()));
        }
    };
    seconds(QStringLiteral("reconnect_after_s"), &faults.m_reconnectAfter);
    seconds(QStringLiteral("fail_after_s"), &faults.m_failAfter);
    seconds(QStringLiteral("hang_after_s"), &faults.m_hangAfter);
    const QString stuck = QStringLiteral("stuck_busy");
    if (config.has(stuck))
        faults.m_stuckBusy = config.boolean(stuck);
    const QString noise = QStringLiteral("noise");
    if (config.has(noise))
        faults.m_noise = config.number(noise, 0.0, std::numeric_limits<double>::max());
    const QString seed = QStringLiteral("seed");
    if (config.has(seed)) {
        const qint64 value = config.integer(seed, 0, std::numeric_limits<qint64>::max());
        if (value != 0) {
            faults.m_seed = static_cast<quint64>(value);
            faults.m_random.seed(faults.m_seed);
        }
    }
    return faults;
}

bool SimFaults::isLost(std::chrono::steady_clock::duration sinceConnected) const noexcept
{
    if (m_disconnectAfter.count() <= 0 || sinceConnected < m_disconnectAfter)
        return false;
    return !reconnects() || sinceConnected < m_disconnectAfter + m_reconnectAfter;
}

bool SimFaults::failsAt(std::chrono::steady_clock::duration sinceConnected) const noexcept
{
    return m_failAfter.count() > 0 && sinceConnected >= m_failAfter;
}

bool SimFaults::hangsAt(std::chrono::steady_clock::duration sinceConnected) const noexcept
{
    return m_hangAfter.count() > 0 && sinceConnected >= m_hangAfter;
}

bool SimFaults::nextCallTimesOut()
{
    if (m_timeoutRate <= 0)
        return false;
    if (m_timeoutRate >= 1)
        return true;
    return std::bernoulli_distribution(m_timeoutRate)(m_random);
}

double SimFaults::addNoise(double value)
{
    if (m_noise <= 0)
        return value;
    return value + std::normal_distribution<double>(0.0, m_noise)(m_random);
}

} // namespace Benchtop::Sim
