// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <algorithm>
#include <cmath>
#include <vector>

namespace Benchtop::Ui {

/// Which points of an array (a spectrum: `count` values, value `i` given by `valueAt(i)`) to draw
/// in a plot `columns` pixels wide, by the same min/max-per-pixel-column rule as the time plots
/// (SampleBuffer::decimate): the indices are cut into `columns` runs of (nearly) equal length,
/// and each run gives the index of its minimum and of its maximum (one when they are the same
/// point), in index order. So no peak or dip is lost, the line stays continuous, and however
/// long the array, at most 2 × columns points are drawn; an array of at most 2 × columns values
/// is drawn whole.
///
/// The x of a point is its index or, for an array with an axis (a wavelength mapping), that
/// axis at its index: runs of indices are pixel columns when the axis is evenly spaced, and
/// never more than 2 × columns points whatever it is. Non-finite values are never chosen (a
/// run of them only gives nothing). Writes the indices, ascending, to `out` (cleared first, to
/// reuse its allocation). O(count).
template<typename ValueAt>
void decimateArray(qsizetype count, int columns, ValueAt valueAt, std::vector<qsizetype> &out)
{
    out.clear();
    if (count <= 0 || columns < 1)
        return;
    if (count <= 2 * qsizetype(columns)) {
        for (qsizetype i = 0; i < count; ++i) {
            if (std::isfinite(double(valueAt(i))))
                out.push_back(i);
        }
        return;
    }
    for (qsizetype column = 0; column < columns; ++column) {
        const qsizetype begin = column * count / columns;
        const qsizetype end = (column + 1) * count / columns;
        qsizetype minAt = -1;
        qsizetype maxAt = -1;
        double minValue = 0;
        double maxValue = 0;
        for (qsizetype i = begin; i < end; ++i) {
            const double value = valueAt(i);
            if (!std::isfinite(value))
                continue;
            if (minAt < 0 || value < minValue) {
                minAt = i;
                minValue = value;
            }
            if (maxAt < 0 || value > maxValue) {
                maxAt = i;
                maxValue = value;
            }
        }
        if (minAt < 0)
            continue;
        out.push_back(std::min(minAt, maxAt));
        if (maxAt != minAt)
            out.push_back(std::max(minAt, maxAt));
    }
}

} // namespace Benchtop::Ui
