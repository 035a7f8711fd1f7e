// SPDX-License-Identifier: MIT
#include "samplebuffer.h"

#include <algorithm>
#include <cmath>

namespace Benchtop::Ui {

SampleBuffer::SampleBuffer(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(1, capacity))
{
}

void SampleBuffer::append(double t, double value)
{
    if (!std::isfinite(t) || !std::isfinite(value))
        return;
    if (!m_samples.empty())
        t = std::max(t, latest()->t);
    if (size() < m_capacity) {
        m_samples.push_back({t, value});
        return;
    }
    m_samples[size_t(m_oldest)] = {t, value};
    m_oldest = (m_oldest + 1) % m_capacity;
}

void SampleBuffer::clear()
{
    m_samples.clear();
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
    if (m_samples.empty())
        return std::nullopt;
    return at(size() - 1);
}

qsizetype SampleBuffer::lowerBound(double t) const
{
    qsizetype lo = 0;
    qsizetype hi = size();
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (at(mid).t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
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
    if (columns < 1 || !(t1 > t0))
        return;
    const qsizetype first = lowerBound(t0);
    const qsizetype end = lowerBound(t1);
    if (first >= end)
        return;

    const double columnsPerSecond = columns / (t1 - t0);
    auto columnOf
        = [&](double t) { return std::min(columns - 1, int((t - t0) * columnsPerSecond)); };
    // Indices only ever grow, so comparing with the last one emitted is enough to never emit a
    // sample twice (the window's first sample is often also its first column's minimum).
    qsizetype lastEmitted = -1;
    auto emit = [&](qsizetype i) {
        if (i != lastEmitted) {
            out.push_back(at(i));
            lastEmitted = i;
        }
    };

    if (ends == Ends::Both)
        emit(first);
    int column = columnOf(at(first).t);
    qsizetype minAt = first;
    qsizetype maxAt = first;
    auto flushColumn = [&] {
        emit(std::min(minAt, maxAt));
        emit(std::max(minAt, maxAt));
    };
    for (qsizetype i = first + 1; i < end; ++i) {
        const Sample &sample = at(i);
        const int c = columnOf(sample.t);
        if (c != column) {
            flushColumn();
            column = c;
            minAt = maxAt = i;
        } else if (sample.value < at(minAt).value) {
            minAt = i;
        } else if (sample.value > at(maxAt).value) {
            maxAt = i;
        }
    }
    flushColumn();
    if (ends != Ends::None)
        emit(end - 1);
}

} // namespace Benchtop::Ui
