// SPDX-License-Identifier: MIT
#include "serieshistory.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace Benchtop::Ui {

namespace {

qint64 bucketOf(double t)
{
    return qint64(std::floor(t / SeriesHistory::kBucketS));
}

} // namespace

SeriesHistory::SeriesHistory()
    : m_recentCompleteAfter(-std::numeric_limits<double>::infinity())
{
}

void SeriesHistory::append(double t, double value)
{
    if (!std::isfinite(t) || !std::isfinite(value))
        return;
    if (!m_recent.empty())
        t = std::max(t, m_recent.back().t);
    const Sample sample{t, value};

    const qint64 bucket = bucketOf(t);
    if (m_bucketMin && bucket != m_bucket)
        closeBucket();
    m_bucket = bucket;
    if (!m_bucketMin || value < m_bucketMin->value)
        m_bucketMin = sample;
    if (!m_bucketMax || value > m_bucketMax->value)
        m_bucketMax = sample;

    m_recent.push_back(sample);
    // Dropped samples are already in the envelope: their bucket closed kRecentS ago (or, past
    // kMaxRecentSamples, at worst a bucket or so ago at rates no instrument plot needs).
    while (m_recent.front().t < t - kRecentS || qsizetype(m_recent.size()) > kMaxRecentSamples) {
        m_recentCompleteAfter = m_recent.front().t;
        m_recent.pop_front();
    }
}

void SeriesHistory::closeBucket()
{
    // In time order, once if the same sample is both.
    const Sample &first = m_bucketMin->t <= m_bucketMax->t ? *m_bucketMin : *m_bucketMax;
    const Sample &second = m_bucketMin->t <= m_bucketMax->t ? *m_bucketMax : *m_bucketMin;
    m_envelope.append(first.t, first.value);
    if (!(second == first))
        m_envelope.append(second.t, second.value);
    m_bucketMin.reset();
    m_bucketMax.reset();
}

void SeriesHistory::clear()
{
    m_recent.clear();
    m_recentCompleteAfter = -std::numeric_limits<double>::infinity();
    m_envelope.clear();
    m_bucketMin.reset();
    m_bucketMax.reset();
}

std::optional<Sample> SeriesHistory::latest() const
{
    if (m_recent.empty())
        return std::nullopt;
    return m_recent.back();
}

std::optional<Sample> SeriesHistory::lastBefore(double t) const
{
    const View held = view();
    const qsizetype at = lowerBoundOf(held, t);
    if (at == 0)
        return std::nullopt;
    return held.at(at - 1);
}

SeriesHistory::View SeriesHistory::view() const
{
    View view;
    view.m_history = this;
    if (m_recent.empty())
        return view;
    // The envelope stands in for the samples dropped, up to the first bucket boundary after
    // them: from there on every sample is in m_recent. Both are sorted by time.
    double split = -std::numeric_limits<double>::infinity();
    if (std::isfinite(m_recentCompleteAfter))
        split = double(bucketOf(m_recentCompleteAfter) + 1) * kBucketS;
    view.m_envelopeCount = lowerBoundOf(m_envelope, split);
    view.m_recentFirst = std::lower_bound(m_recent.begin(), m_recent.end(), split,
                             [](const Sample &sample, double t) { return sample.t < t; })
        - m_recent.begin();
    view.m_recentCount = qsizetype(m_recent.size()) - view.m_recentFirst;
    return view;
}

void SeriesHistory::decimateInto(
    std::vector<Sample> &out, double t0, double t1, int columns, SampleBuffer::Ends ends) const
{
    decimateSamples(view(), out, t0, t1, columns, ends);
}

} // namespace Benchtop::Ui
