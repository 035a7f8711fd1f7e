// SPDX-License-Identifier: MIT
#pragma once

#include "samplebuffer.h"

#include <deque>
#include <optional>
#include <vector>

namespace Benchtop::Ui {

/// Everything a live plot keeps of one series, in memory that stops growing: every sample of
/// the last kRecentS seconds, and before that the envelope — each kBucketS bucket's minimum and
/// maximum samples — back to kEnvelopeS. Plots of windows up to kRecentS draw every sample;
/// longer ones draw the envelope for what is older, which at their column widths (a minute's
/// window and more on a few thousand pixels) loses nothing a min/max decimation would keep.
///
/// Memory: the envelope is allocated and written when the series is made (kEnvelopeSamples ×
/// 16 bytes, 230 kB), so an open plot does not grow for its first hour; the recent samples
/// take rate × kRecentS × 16 bytes (96 kB at 100 Hz), reached after kRecentS seconds, and at
/// most kMaxRecentSamples. Not thread-safe.
class SeriesHistory {
public:
    static constexpr double kRecentS = 60;
    static constexpr double kBucketS = 0.5;
    static constexpr double kEnvelopeS = 3600 + 120;
    static constexpr qsizetype kEnvelopeSamples = qsizetype(2 * kEnvelopeS / kBucketS);
    static constexpr qsizetype kMaxRecentSamples = qsizetype(1) << 18;

    SeriesHistory();

    /// O(1) amortised. As SampleBuffer::append: times must not decrease, non-finite samples are
    /// ignored.
    void append(double t, double value);
    void clear();

    bool isEmpty() const noexcept { return m_recent.empty(); }
    std::optional<Sample> latest() const;
    /// The newest sample of view() with time < t, if any. O(log n).
    std::optional<Sample> lastBefore(double t) const;

    /// What is held, oldest first, as one time-ordered sequence: the envelope up to where the
    /// recent samples are complete, then those. Valid until the next append() or clear().
    class View {
    public:
        qsizetype size() const noexcept { return m_envelopeCount + m_recentCount; }
        const Sample &at(qsizetype i) const
        {
            return i < m_envelopeCount
                ? m_history->m_envelope.at(i)
                : m_history->m_recent[size_t(m_recentFirst + i - m_envelopeCount)];
        }

    private:
        friend class SeriesHistory;
        const SeriesHistory *m_history = nullptr;
        qsizetype m_envelopeCount = 0;
        qsizetype m_recentFirst = 0;
        qsizetype m_recentCount = 0;
    };
    View view() const;

    /// SampleBuffer::decimateInto over view().
    void decimateInto(
        std::vector<Sample> &out, double t0, double t1, int columns, SampleBuffer::Ends ends) const;

    /// The samples held individually (the last kRecentS seconds at least).
    qsizetype recentCount() const noexcept { return qsizetype(m_recent.size()); }

private:
    void closeBucket();

    std::deque<Sample> m_recent;
    /// Every sample with a time after this is in m_recent (-inf until one is dropped).
    double m_recentCompleteAfter;
    SampleBuffer m_envelope{kEnvelopeSamples, SampleBuffer::Allocation::Upfront};
    // The bucket being filled: its extremes go to the envelope when a sample opens the next.
    qint64 m_bucket = 0;
    std::optional<Sample> m_bucketMin;
    std::optional<Sample> m_bucketMax;
};

} // namespace Benchtop::Ui
