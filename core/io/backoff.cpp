// SPDX-License-Identifier: MIT
#include "backoff.h"

#include <algorithm>
#include <cmath>

namespace Benchtop::Io {

Backoff::Backoff(Settings settings, std::uint64_t seed)
    : m_settings(settings)
    , m_random(seed != 0 ? seed : std::random_device{}())
{
    m_settings.first = std::max(m_settings.first, Duration(1));
    m_settings.longest = std::max(m_settings.longest, m_settings.first);
    m_settings.factor = std::max(m_settings.factor, 1.0);
    m_settings.jitter = std::clamp(m_settings.jitter, 0.0, 1.0);
}

Backoff::Duration Backoff::next()
{
    const double longest = double(m_settings.longest.count());
    // Capped before it can overflow: factor^attempts grows without bound.
    const double base = std::min(
        longest, double(m_settings.first.count()) * std::pow(m_settings.factor, std::min(m_attempts, 64)));
    ++m_attempts;
    std::uniform_real_distribution<double> spread(1.0 - m_settings.jitter, 1.0 + m_settings.jitter);
    const double wait = std::clamp(base * spread(m_random), 1.0, longest);
    return Duration(std::llround(wait));
}

} // namespace Benchtop::Io
