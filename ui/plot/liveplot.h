// SPDX-License-Identifier: MIT
#pragma once

#include "serieshistory.h"

#include <widgetframeclient.h>

#include <QList>
#include <QPointF>
#include <QWidget>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QCustomPlot;
class QLabel;

namespace Benchtop::Ui {

/// A closed interval of an axis.
struct PlotRange {
    double lower = 0;
    double upper = 0;
    bool contains(double value) const { return lower <= value && value <= upper; }
};

/// A strip chart of live series over a time window that ends now and scrolls with time
/// (QCustomPlot underneath). Made to stay fast whatever the rate of its data:
/// - append() only stores the sample and marks the plot dirty; the plot redraws on a tick of the
///   shared FrameClock (Lane::Plots), at most once per frame of its screen (QScreen::refreshRate,
///   60 Hz without one), only when a series changed or time has moved the window by a pixel
///   column, and never while hidden or scrolled out of sight (it catches up when seen again:
///   WidgetFrameClient);
/// - under load the clock gives all plots together a bounded share of each frame, round-robin:
///   with many plots on screen each redraws less often, but every one keeps redrawing and no
///   sample is ever dropped (a plot degrades its refresh rate, never its data);
/// - each series is drawn decimated to min/max per pixel column (ScrollingDecimator), at most
///   about two points per pixel column however many samples the window holds;
/// - the newest value is always visible: the time axis ends now, a series is held at its
///   latest value until the next arrives, the value axes rescale to the window's data, and the
///   legend shows each series' latest value with its units.
///
/// Where the series stop being known (a device's link lost), breakAt() ends them: each is held
/// at its latest value up to that time and no further, a gap follows until its next sample, and
/// a dashed vertical line with a label ("link lost 12:34:56") marks the time.
///
/// Series with the same units share a value axis: the first units go left, the second right,
/// any further ones share the left axis (its label then names every group with its units).
///
/// Times are seconds on std::chrono::steady_clock (secondsNow()). Each series keeps every sample
/// of its last minute and the min/max envelope of its last hour (SeriesHistory), in memory that
/// stops growing: an open plot's footprint is set by its rates, not by how long it stays open.
/// Thread affinity: the GUI thread.
class LivePlot : public QWidget {
    Q_OBJECT
public:
    /// The window's choices in its combo box.
    static const std::vector<std::chrono::seconds> &timeWindowChoices();

    explicit LivePlot(QWidget *parent = nullptr);
    ~LivePlot() override;

    /// The clock of sample times: seconds on std::chrono::steady_clock.
    static double secondsNow();
    static double toSeconds(std::chrono::steady_clock::time_point time);

    /// Shown above the plot (a device's name); empty hides it.
    void setTitle(const QString &title);

    /// How a series joins its samples.
    enum class Joining {
        Lines, ///< a measured quantity: straight lines between samples
        Steps, ///< a set value (a destination): held until the next sample
    };
    /// Adds a series shown as `label` with its values in `units` (may be empty), written in
    /// the legend with `decimals` (nullopt: 6 significant digits; NumberFormat, as the panels
    /// write its property). Adding a key again only updates its label, units, joining and
    /// decimals, keeping its samples.
    void addSeries(const QString &key, const QString &label, const QString &units,
        Joining joining = Joining::Lines, std::optional<int> decimals = std::nullopt);
    void removeSeries(const QString &key);
    QStringList seriesKeys() const;

    /// Stores a sample of series `key` (ignored for an unknown key) and marks the plot dirty:
    /// O(1), no drawing. Times must not decrease (SampleBuffer::append).
    void append(const QString &key, double timeS, double value);
    /// The newest sample of `key`, if any.
    std::optional<Sample> latest(const QString &key) const;
    /// The samples of `key` held, oldest first: every one of the last minute, the envelope of
    /// those before (SeriesHistory::view()).
    QList<Sample> samples(const QString &key) const;

    /// From `timeS` on no series is known until its next sample (a device's link was lost): each
    /// is held at its latest value up to `timeS` and no further, then drawn with a gap until its
    /// next sample, and a dashed vertical line labelled `label` marks `timeS`. Times must not
    /// decrease; a break is forgotten once it is older than what the series keep.
    void breakAt(double timeS, const QString &label);
    /// A break of the series: when, and its label.
    struct Break {
        double t = 0;
        QString label;
    };
    /// The breaks held, oldest first.
    QList<Break> breaks() const;

    /// How far back the plot shows (the user also picks it in the combo box).
    void setTimeWindow(std::chrono::seconds window);
    std::chrono::seconds timeWindow() const noexcept { return m_timeWindow; }
    /// The shortest time between two redraws: one frame of the widget's screen.
    std::chrono::milliseconds frameInterval() const noexcept { return m_frameInterval; }

    // What the last redraw drew (for tests, benchmarks and diagnostics).
    /// Redraws done so far (on the frame clock, and QCustomPlot's own on a resize).
    int replotCount() const noexcept { return m_replotCount; }
    /// Whether something changed since the last redraw (the next frame will draw it).
    bool isRedrawPending() const noexcept { return m_dirty; }
    /// The pixel columns of the last redraw's decimation: the plot area's width.
    int columnCount() const noexcept { return m_columns; }
    /// Points drawn for `key`: x in seconds relative to the end of the window (≤ 0), y values;
    /// a y of NaN is a gap (breakAt()).
    QList<QPointF> plottedPoints(const QString &key) const;
    /// The breaks' markers drawn (those in the window): t in seconds relative to the end of the
    /// window (≤ 0), and the label shown.
    QList<Break> plottedBreaks() const;
    /// The time axis, in seconds relative to the end of the window: [-timeWindow, 0].
    PlotRange visibleTimeRange() const;
    /// The range of the value axis `key` is drawn against.
    PlotRange visibleValueRange(const QString &key) const;
    enum class ValueAxis { Left, Right };
    ValueAxis valueAxisOf(const QString &key) const;
    QString valueAxisLabel(ValueAxis axis) const;
    QString timeAxisLabel() const;
    /// The legend's text for `key`: its label and latest value with units ("position: 1.5 mm").
    QString seriesLabel(const QString &key) const;

Q_SIGNALS:
    void timeWindowChanged(std::chrono::seconds window);

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    /// Wraps the legend's entries into as many rows as the plot's width needs.
    void fitLegend();

private:
    struct Series;
    struct BreakMarker;

    Series *find(const QString &key) const;
    void markDirty();
    void scheduleFrame();
    void onFrame();
    void redraw();
    void assignValueAxes();
    double columnWidthS() const;
    /// `series`' points to draw, with its gaps, into its `drawn` (x relative to `nowS`).
    struct Extent;
    void drawSeries(Series &series, const std::vector<Sample> &points, double nowS, double windowS,
        double axisUnitS, Extent &extent);
    void placeBreaks(double nowS, double windowS, double axisUnitS);

    QLabel *m_title;
    QComboBox *m_windowChoice;
    QCustomPlot *m_plot;
    std::vector<std::unique_ptr<Series>> m_series;
    std::deque<BreakMarker> m_breaks; ///< in time order
    std::chrono::seconds m_timeWindow{10};
    std::chrono::milliseconds m_frameInterval{17};
    bool m_dirty = false;
    double m_timeAxisUnitS = 1; ///< seconds per unit of the time axis (1 or 60)
    int m_columns = 0;
    int m_replotCount = 0;
    std::unique_ptr<WidgetFrameClient> m_frames; ///< its frames, for what m_plot shows
};

} // namespace Benchtop::Ui
