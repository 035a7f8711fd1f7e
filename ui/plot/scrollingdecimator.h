// SPDX-License-Identifier: MIT
#pragma once

#include "samplebuffer.h"
#include "serieshistory.h"

#include <vector>

namespace Benchtop::Ui {

/// The points to draw one series in a window that scrolls with time, at a plot's frame rate
/// however many samples the window holds: min/max-per-column decimation (SampleBuffer::decimate)
/// on a grid of columns fixed in time rather than to the window's edges, so a column, once
/// complete, never changes and is decimated once; each frame redoes only the newest column.
/// A fixed grid also keeps the envelope from shimmering as the window scrolls.
///
/// Memory: at most 2 points per column of the window. Not thread-safe.
class ScrollingDecimator {
public:
    /// The points for `buffer` over the `windowS` seconds before `nowS`, `columns` pixels wide,
    /// in time order: each column's min and max from the column just left of the window on (so
    /// the line enters from the left edge; when that column holds no sample, the last sample
    /// before it comes first, so a value held from before the window is drawn from the left
    /// edge on), then the latest sample — even when it is older than
    /// the window — and, when it is older than `nowS`, the latest value again at `nowS`: a
    /// series is held at its latest value until a new one arrives, which is therefore always
    /// drawn. At most 2 × (columns + 4) points; empty if the buffer is.
    ///
    /// The same `buffer` is expected on every call, only ever appended to, and `nowS` never
    /// decreasing (columns that have left the window are forgotten); after anything else (the
    /// buffer was cleared, or it is another one), call reset() first. Changing the window or the
    /// columns re-decimates the whole window once (O(samples in it)).
    const std::vector<Sample> &points(
        const SampleBuffer &buffer, double nowS, double windowS, int columns);
    /// The same over a series' history (its envelope, then its recent samples).
    const std::vector<Sample> &points(
        const SeriesHistory &history, double nowS, double windowS, int columns);
    void reset();

private:
    template<typename Source>
    const std::vector<Sample> &pointsOf(
        const Source &source, double nowS, double windowS, int columns);

    double m_columnWidthS = 0; ///< of the grid m_settled is on; 0 before the first call
    qint64 m_settledEnd = 0; ///< the first column not yet in m_settled
    std::vector<Sample> m_settled; ///< extremes of complete columns, in time order
    std::vector<Sample> m_points;
};

} // namespace Benchtop::Ui
