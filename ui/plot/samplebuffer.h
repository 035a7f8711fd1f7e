// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <algorithm>
#include <optional>
#include <vector>

namespace Benchtop::Ui {

/// One reading of a plotted series: when (seconds, on whatever clock the series uses) and what.
struct Sample {
    double t = 0;
    double value = 0;
    friend bool operator==(const Sample &, const Sample &) = default;
};

/// The recent history of one plotted series: a ring of samples in time order that drops the
/// oldest once it holds `capacity`, and the min/max-per-pixel-column decimation that lets a
/// plot draw a million samples as a few thousand points without losing a spike.
///
/// Memory grows with the samples held, up to capacity × sizeof(Sample), unless it is allocated
/// all at once (Allocation::Upfront), so that a long-lived one never grows. Not thread-safe.
class SampleBuffer {
public:
    enum class Allocation { AsNeeded, Upfront };
    explicit SampleBuffer(qsizetype capacity, Allocation allocation = Allocation::AsNeeded);

    /// O(1). Times must not decrease: a sample older than the latest is taken as simultaneous
    /// with it, so the ring stays sorted. A non-finite time or value is ignored (it could not be
    /// placed on an axis).
    void append(double t, double value);
    void clear();

    qsizetype capacity() const noexcept { return m_capacity; }
    qsizetype size() const noexcept { return m_size; }
    bool isEmpty() const noexcept { return m_size == 0; }
    /// The i-th sample held, oldest first (0 ≤ i < size()).
    const Sample &at(qsizetype i) const;
    std::optional<Sample> latest() const;
    /// The index of the first sample held with time ≥ t (size() if none). O(log n).
    qsizetype lowerBound(double t) const;
    /// The newest sample held with time < t, if any. O(log n).
    std::optional<Sample> lastBefore(double t) const;

    /// Which of the window's first and last samples decimation adds to the columns' extremes.
    enum class Ends {
        Both, ///< the line starts and ends on the window's real first and last samples
        LastOnly, ///< for the newest piece of a line decimated piece by piece
        None, ///< extremes only, for the pieces before it
    };

    /// The samples with t0 ≤ t < t1, reduced for a plot `columns` pixels wide: [t0, t1) is cut
    /// into `columns` equal columns, and each column that holds samples gives its minimum and
    /// maximum (one point if they are the same sample), in time order, so no spike is ever lost
    /// and the line stays continuous; and the window's first and last samples, as `ends` says.
    /// At most 2 × columns + 2 points, in time order; all of them when a column never holds more
    /// than two. Empty when columns < 1 or t1 ≤ t0. O(samples in the window).
    std::vector<Sample> decimate(double t0, double t1, int columns, Ends ends = Ends::Both) const;
    /// decimate(), appended to `out` (to reuse its allocation).
    void decimateInto(std::vector<Sample> &out, double t0, double t1, int columns, Ends ends) const;

private:
    qsizetype physical(qsizetype i) const noexcept;

    std::vector<Sample> m_samples; ///< grows to m_capacity (or starts there), then wraps
    qsizetype m_capacity;
    qsizetype m_size = 0; ///< samples held: the first m_size of m_samples
    qsizetype m_oldest = 0; ///< where at(0) is in m_samples once the ring is full
};

/// The index of the first sample of `samples` with time ≥ t (size() if none). O(log n).
/// `Samples` is any time-ordered sequence with size() and at(i).
template<typename Samples>
qsizetype lowerBoundOf(const Samples &samples, double t)
{
    qsizetype lo = 0;
    qsizetype hi = samples.size();
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (samples.at(mid).t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/// SampleBuffer::decimateInto over any time-ordered sequence with size() and at(i).
template<typename Samples>
void decimateSamples(const Samples &samples, std::vector<Sample> &out, double t0, double t1,
    int columns, SampleBuffer::Ends ends)
{
    using Ends = SampleBuffer::Ends;
    if (columns < 1 || !(t1 > t0))
        return;
    const qsizetype first = lowerBoundOf(samples, t0);
    const qsizetype end = lowerBoundOf(samples, t1);
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
            out.push_back(samples.at(i));
            lastEmitted = i;
        }
    };

    if (ends == Ends::Both)
        emit(first);
    int column = columnOf(samples.at(first).t);
    qsizetype minAt = first;
    qsizetype maxAt = first;
    double minValue = samples.at(first).value;
    double maxValue = minValue;
    auto flushColumn = [&] {
        emit(std::min(minAt, maxAt));
        emit(std::max(minAt, maxAt));
    };
    for (qsizetype i = first + 1; i < end; ++i) {
        const Sample &sample = samples.at(i);
        const int c = columnOf(sample.t);
        if (c != column) {
            flushColumn();
            column = c;
            minAt = maxAt = i;
            minValue = maxValue = sample.value;
        } else if (sample.value < minValue) {
            minAt = i;
            minValue = sample.value;
        } else if (sample.value > maxValue) {
            maxAt = i;
            maxValue = sample.value;
        }
    }
    flushColumn();
    if (ends != Ends::None)
        emit(end - 1);
}

} // namespace Benchtop::Ui
