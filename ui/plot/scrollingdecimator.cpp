// SPDX-License-Identifier: MIT
#include "scrollingdecimator.h"

#include <algorithm>
#include <cmath>

namespace Benchtop::Ui {

void ScrollingDecimator::reset()
{
    m_columnWidthS = 0;
    m_settledEnd = 0;
    m_settled.clear();
    m_points.clear();
}

const std::vector<Sample> &ScrollingDecimator::points(
    const SampleBuffer &buffer, double nowS, double windowS, int columns)
{
    return pointsOf(buffer, nowS, windowS, columns);
}

const std::vector<Sample> &ScrollingDecimator::points(
    const SeriesHistory &history, double nowS, double windowS, int columns)
{
    return pointsOf(history, nowS, windowS, columns);
}

template<typename Source>
const std::vector<Sample> &ScrollingDecimator::pointsOf(
    const Source &buffer, double nowS, double windowS, int columns)
{
    m_points.clear();
    const std::optional<Sample> latest = buffer.latest();
    if (!latest || columns < 1 || !(windowS > 0))
        return m_points;

    const double width = windowS / columns;
    if (width != m_columnWidthS) {
        reset();
        m_columnWidthS = width;
    }
    auto columnOf = [width](double t) { return qint64(std::floor(t / width)); };
    auto startOf = [width](qint64 column) { return double(column) * width; };

    const qint64 firstColumn = columnOf(nowS - windowS) - 1;
    const double firstT = startOf(firstColumn);
    m_settled.erase(m_settled.begin(),
        std::lower_bound(m_settled.begin(), m_settled.end(), firstT,
            [](const Sample &sample, double t) { return sample.t < t; }));
    m_settledEnd = std::max(m_settledEnd, firstColumn);

    // Appended times never go below the latest, so the columns before its column are
    // complete. A sample time ahead of nowS (another clock?) must not settle columns the
    // window has not reached, nor make a tail of absurdly many columns.
    const qint64 latestColumn = columnOf(latest->t);
    const qint64 settleTo = std::min(latestColumn, columnOf(nowS));
    if (settleTo > m_settledEnd) {
        buffer.decimateInto(m_settled, startOf(m_settledEnd), startOf(settleTo),
            int(settleTo - m_settledEnd), SampleBuffer::Ends::None);
        m_settledEnd = settleTo;
    }

    // A value held from before the window: when the column just left of the window holds no
    // sample, the line enters from the last one before it, so that a series that rarely
    // changes (a stage at rest) is drawn across the whole window rather than from its next
    // sample on.
    m_points.clear();
    if (const std::optional<Sample> before = buffer.lastBefore(startOf(firstColumn + 1));
        before && before->t < firstT)
        m_points.push_back(*before);
    m_points.insert(m_points.end(), m_settled.begin(), m_settled.end());
    const qint64 tailColumns = std::min<qint64>(latestColumn + 1 - m_settledEnd, columns + 1);
    if (tailColumns >= 1) {
        buffer.decimateInto(m_points, startOf(m_settledEnd),
            std::max(startOf(latestColumn + 1), std::nextafter(latest->t, INFINITY)),
            int(tailColumns), SampleBuffer::Ends::LastOnly);
    }
    if (m_points.empty() || m_points.back() != *latest)
        m_points.push_back(*latest);
    if (nowS > latest->t)
        m_points.push_back({nowS, latest->value});
    return m_points;
}

} // namespace Benchtop::Ui
