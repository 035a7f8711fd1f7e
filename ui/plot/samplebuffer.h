// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

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
/// Memory grows with the samples held, up to capacity × sizeof(Sample). Not thread-safe.
class SampleBuffer {
public:
    explicit SampleBuffer(qsizetype capacity);

    /// O(1). Times must not decrease: a sample older than the latest is taken as simultaneous
    /// with it, so the ring stays sorted. A non-finite time or value is ignored (it could not be
    /// placed on an axis).
    void append(double t, double value);
    void clear();

    qsizetype capacity() const noexcept { return m_capacity; }
    qsizetype size() const noexcept { return qsizetype(m_samples.size()); }
    bool isEmpty() const noexcept { return m_samples.empty(); }
    /// The i-th sample held, oldest first (0 ≤ i < size()).
    const Sample &at(qsizetype i) const;
    std::optional<Sample> latest() const;
    /// The index of the first sample held with time ≥ t (size() if none). O(log n).
    qsizetype lowerBound(double t) const;

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

    std::vector<Sample> m_samples; ///< grows to m_capacity, then wraps
    qsizetype m_capacity;
    qsizetype m_oldest = 0; ///< where at(0) is in m_samples once the ring is full
};

} // namespace Benchtop::Ui
