// SPDX-License-Identifier: MIT
#include "samplebuffer.h"

#include <algorithm>
#include <cmath>

namespace Benchtop::Ui {

SampleBuffer::SampleBuffer(qsizetype capacity, Allocation allocation)
    : m_capacity(std::max<qsizetype>(1, capacity))
{
    // resize(), not reserve(): writing the pages now is what keeps them from being counted as
    // growth later, while the plot fills them.
    if (allocation == Allocation::Upfront)
        m_samples.resize(size_t(m_capacity));
}

void SampleBuffer::append(double t, double value)
{
    if (!std::isfinite(t) || !std::isfinite(value))
        return;
    if (m_size > 0)
        t = std::max(t, latest()->t);
    if (m_size < m_capacity) {
        if (qsizetype(m_samples.size()) > m_size)
            m_samples[size_t(m_size)] = {t, value};
        else
            m_samples.push_back({t, value});
        ++m_size;
        return;
    }
    m_samples[size_t(m_oldest)] = {t, value};
    m_oldest = (m_oldest + 1) % m_capacity;
}

void SampleBuffer::clear()
{
    if (qsizetype(m_samples.size()) < m_capacity)
        m_samples.clear(); // an upfront allocation is kept
    m_size = 0;
    m_oldest = 0;
}

qsizetype SampleBuffer::physical(qsizetype i) const noexcept
{
    const qsizetype j = m_oldest + i;
    return j < size() ? j : j - size();
}

const Sample &SampleBuffer::at(qsizetype i) const
{
    Q_ASSERT(i >= 0 && i < size());
    return m_samples[size_t(physical(i))];
}

std::optional<Sample> SampleBuffer::latest() const
{
    if (m_size == 0)
        return std::nullopt;
    return at(size() - 1);
}

qsizetype SampleBuffer::lowerBound(double t) const
{
    return lowerBoundOf(*this, t);
}

std::optional<Sample> SampleBuffer::lastBefore(double t) const
{
    const qsizetype at = lowerBound(t);
    if (at == 0)
        return std::nullopt;
    return this->at(at - 1);
}

std::vector<Sample> SampleBuffer::decimate(double t0, double t1, int columns, Ends ends) const
{
    std::vector<Sample> out;
    decimateInto(out, t0, t1, columns, ends);
    return out;
}

void SampleBuffer::decimateInto(
    std::vector<Sample> &out, double t0, double t1, int columns, Ends ends) const
{
    decimateSamples(*this, out, t0, t1, columns, ends);
}

} // namespace Benchtop::Ui
