// SPDX-License-Identifier: MIT
#pragma once

#include "liveplot.h" // PlotRange

#include <widgetframeclient.h>

#include <QList>
#include <QPointF>
#include <QVariantList>
#include <QWidget>

#include <chrono>
#include <memory>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPGraphData;
class QLabel;

namespace Benchtop::Ui {

/// A live plot of one array channel of a sensor (a spectrum): its latest values against their
/// index, or against the axis its driver maps them to (has-mapping: a wavelength in nm).
/// QCustomPlot underneath, paced and decimated as the time plots are (LivePlot):
/// - setValues() only keeps the array (shared, O(1)) and marks the plot dirty; the plot redraws
///   on a tick of the shared FrameClock (Lane::Plots), at most once per frame of its screen,
///   only when something changed, and never while hidden or scrolled out of sight. Arrays that
///   arrive faster than frames replace each other: the newest is the one drawn.
/// - The array is drawn decimated to min/max per pixel column (decimateArray): at most two
///   points per column however long it is (a 100,000-point array costs a few thousand points),
///   with every peak kept.
/// - The x axis spans the axis values (or the indices) exactly; the y axis rescales to each
///   array, with a little air around it. Axis labels carry the units: "wavelength (nm)",
///   "sample (counts)".
///
/// Thread affinity: the GUI thread.
class ArrayPlot : public QWidget {
    Q_OBJECT
public:
    explicit ArrayPlot(QWidget *parent = nullptr);
    ~ArrayPlot() override;

    /// The channel shown: its name (above the plot and on the y axis) and units (may be empty).
    void setChannel(const QString &name, const QString &units);
    /// The x axis: one value per point of the array, named `label`, in `units` (may be empty).
    /// With no values, or values that do not match the array's length, x is the index.
    void setAxis(const QString &label, const QString &units, QList<double> values);
    /// The latest array, numbers in index order (a QVariantList is shared: nothing is copied).
    void setValues(const QVariantList &values);

    // What is held and what the last redraw drew (for tests, benchmarks and diagnostics).
    /// The points of the latest array.
    qsizetype valueCount() const noexcept { return m_values.size(); }
    /// Whether x is the driver's axis (false: the index).
    bool isOnAxis() const;
    /// Redraws done so far.
    int replotCount() const noexcept { return m_replotCount; }
    bool isRedrawPending() const noexcept { return m_dirty; }
    /// The pixel columns of the last redraw's decimation: the plot area's width.
    int columnCount() const noexcept { return m_columns; }
    /// The points drawn: (x, value), in the order of x.
    QList<QPointF> plottedPoints() const;
    PlotRange xRange() const;
    PlotRange yRange() const;
    QString xAxisLabel() const;
    QString yAxisLabel() const;

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void markDirty();
    void onFrame();
    void redraw();
    void updateLabels();

    QLabel *m_title;
    QCustomPlot *m_plot;
    QCPGraph *m_graph;
    QString m_channel;
    QString m_units;
    QString m_axisLabel;
    QString m_axisUnits;
    QList<double> m_axis;
    bool m_axisAscending = true;
    QVariantList m_values;
    std::vector<qsizetype> m_indices; ///< reused between frames
    QVector<QCPGraphData> m_drawn; ///< reused between frames
    std::chrono::milliseconds m_frameInterval{17};
    bool m_dirty = false;
    int m_columns = 0;
    int m_replotCount = 0;
    std::unique_ptr<WidgetFrameClient> m_frames; ///< its frames, for what m_plot shows
};

} // namespace Benchtop::Ui
