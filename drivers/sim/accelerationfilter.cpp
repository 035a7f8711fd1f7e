// SPDX-License-Identifier: MIT
#include "accelerationfilter.h"

namespace Benchtop::Sim {

AccelerationFilter::AccelerationFilter(
    double threshold, std::chrono::steady_clock::duration stillAfter)
    : m_threshold(threshold)
    , m_stillAfter(stillAfter)
{
}

bool AccelerationFilter::update(const Vector &sample, TimePoint at)
{
    if (m_initialized) {
        double squared = 0;
        for (std::size_t i = 0; i < sample.size(); ++i)
            squared += (sample[i] - m_vector[i]) * (sample[i] - m_vector[i]);
        // Compared squared, as the seed does: no square root per sample.
        if (squared <= m_threshold * m_threshold)
            return false;
    }
    m_initialized = true;
    m_vector = sample;
    m_lastMovement = at;
    return true;
}

bool AccelerationFilter::isStill(TimePoint at) const noexcept
{
    return m_initialized && at - m_lastMovement >= m_stillAfter;
}

} // namespace Benchtop::Sim
