// SPDX-License-Identifier: MIT
#include "liveplot.h"

#include "scrollingdecimator.h"

#include <widgets/numberformat.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScreen>
#include <QVBoxLayout>

#include "plotstyle.h"
#include "qcustomplot_p.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace Benchtop::Ui {

using PlotStyle::paddedRange;
using PlotStyle::styleAxis;

namespace {

// Tableau 10: distinguishable on white, and for most colour-blind readers.
const QColor kSeriesColors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
    QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd),
    QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
    QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};

constexpr double kFallbackRefreshHz = 60.0;

QString durationText(std::chrono::seconds window)
{
    const auto s = window.count();
    if (s % 3600 == 0)
        return LivePlot::tr("%1 h").arg(s / 3600);
    if (s % 60 == 0)
        return LivePlot::tr("%1 min").arg(s / 60);
    return LivePlot::tr("%1 s").arg(s);
}

} // namespace

struct LivePlot::Series {
    QString key;
    QString label;
    QString units;
    NumberFormat format; ///< of its legend's value
    SeriesHistory history;
    ScrollingDecimator decimator;
    QCPGraph *graph = nullptr;
    QVector<QCPGraphData> drawn; ///< reused between frames
};

struct LivePlot::BreakMarker {
    double t = 0;
    QString label;
    QCPItemStraightLine *line = nullptr; ///< owned by the plot
    QCPItemText *text = nullptr; ///< owned by the plot
};

struct LivePlot::Extent {
    double lowest = std::numeric_limits<double>::infinity();
    double highest = -std::numeric_limits<double>::infinity();
    void add(double value)
    {
        lowest = std::min(lowest, value);
        highest = std::max(highest, value);
    }
};

const std::vector<std::chrono::seconds> &LivePlot::timeWindowChoices()
{
    using namespace std::chrono_literals;
    static const std::vector<std::chrono::seconds> choices{10s, 1min, 10min, 1h};
    return choices;
}

LivePlot::LivePlot(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_windowChoice(new QComboBox(this))
    , m_plot(new QCustomPlot(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->hide();
    for (std::chrono::seconds choice : timeWindowChoices())
        m_windowChoice->addItem(durationText(choice), qlonglong(choice.count()));
    m_windowChoice->setToolTip(tr("How far back the plot shows"));
    m_windowChoice->setCurrentIndex(0);
    connect(m_windowChoice, &QComboBox::activated, this, [this](int index) {
        setTimeWindow(std::chrono::seconds(m_windowChoice->itemData(index).toLongLong()));
    });

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addStretch();
    header->addWidget(new QLabel(tr("Last"), this));
    header->addWidget(m_windowChoice);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(m_plot, 1);

    m_plot->setBackground(Qt::white);
    m_plot->setMinimumSize(240, 160);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis, m_plot->yAxis2})
        styleAxis(axis);
    m_plot->yAxis2->grid()->setVisible(false);
    m_plot->xAxis->setLabel(tr("time (s)"));
    m_plot->xAxis->setRange(-double(m_timeWindow.count()), 0);
    // The legend goes in a row of its own above the plot area, where it hides no data.
    // A filler takes the row's spare width so that the entries sit together on the left.
    auto *legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, legendRow);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    legendRow->addElement(0, 0, m_plot->legend);
    legendRow->addElement(0, 1, new QCPLayoutElement(m_plot));
    legendRow->setColumnStretchFactor(0, 0.001);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(4);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setColumnSpacing(16);
    m_plot->legend->setMargins(QMargins(4, 0, 4, 0));

    connect(m_plot, &QCustomPlot::afterReplot, this, [this] { ++m_replotCount; });
    // It paints its whole rectangle from its buffer: with this Qt paints it alone, without
    // repainting the panels and frames behind it on every redraw.
    m_plot->setAttribute(Qt::WA_OpaquePaintEvent);
    // What is seen is the plot's canvas: out of sight, it is not redrawn.
    m_frames = std::make_unique<WidgetFrameClient>(
        m_plot, FrameClock::Lane::Plots, [this] { onFrame(); });
}

LivePlot::~LivePlot() = default;

double LivePlot::secondsNow()
{
    return toSeconds(std::chrono::steady_clock::now());
}

double LivePlot::toSeconds(std::chrono::steady_clock::time_point time)
{
    return std::chrono::duration<double>(time.time_since_epoch()).count();
}

void LivePlot::setTitle(const QString &title)
{
    m_title->setText(title);
    m_title->setVisible(!title.isEmpty());
}

LivePlot::Series *LivePlot::find(const QString &key) const
{
    auto it = std::find_if(
        m_series.begin(), m_series.end(), [&](const auto &series) { return series->key == key; });
    return it == m_series.end() ? nullptr : it->get();
}

void LivePlot::addSeries(const QString &key, const QString &label, const QString &units,
    Joining joining, std::optional<int> decimals)
{
    Series *series = find(key);
    if (!series) {
        series = m_series.emplace_back(std::make_unique<Series>()).get();
        series->key = key;
        series->graph = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
        // Decimation already leaves at most two points per pixel column.
        series->graph->setAdaptiveSampling(false);
        // The first colour no other series has, so removing one never makes two look alike.
        auto taken = [this](const QColor &color) {
            return std::any_of(m_series.begin(), m_series.end(),
                [&](const auto &other) { return other->graph->pen().color() == color; });
        };
        QColor color = kSeriesColors[(m_series.size() - 1) % std::size(kSeriesColors)];
        for (const QColor &candidate : kSeriesColors) {
            if (!taken(candidate)) {
                color = candidate;
                break;
            }
        }
        // A one-pixel pen keeps QCustomPlot on its fast polyline path: with a 1.5-pixel
        // antialiased pen a replot of four full series took 18 ms rather than 0.9 (bench_plot).
        series->graph->setPen(QPen(color, 1));
    }
    series->label = label;
    series->units = units;
    series->format = NumberFormat(decimals, units);
    series->graph->setName(label);
    series->graph->setLineStyle(
        joining == Joining::Steps ? QCPGraph::lsStepLeft : QCPGraph::lsLine);
    assignValueAxes();
    markDirty();
}

void LivePlot::removeSeries(const QString &key)
{
    auto it = std::find_if(
        m_series.begin(), m_series.end(), [&](const auto &series) { return series->key == key; });
    if (it == m_series.end())
        return;
    m_plot->removeGraph((*it)->graph);
    m_series.erase(it);
    assignValueAxes();
    markDirty();
}

QStringList LivePlot::seriesKeys() const
{
    QStringList keys;
    for (const auto &series : m_series)
        keys << series->key;
    return keys;
}

void LivePlot::append(const QString &key, double timeS, double value)
{
    if (Series *series = find(key)) {
        series->history.append(timeS, value);
        markDirty();
    }
}

std::optional<Sample> LivePlot::latest(const QString &key) const
{
    const Series *series = find(key);
    return series ? series->history.latest() : std::nullopt;
}

QList<Sample> LivePlot::samples(const QString &key) const
{
    QList<Sample> held;
    if (const Series *series = find(key)) {
        const SeriesHistory::View view = series->history.view();
        for (qsizetype i = 0; i < view.size(); ++i)
            held.append(view.at(i));
    }
    return held;
}

void LivePlot::breakAt(double timeS, const QString &label)
{
    if (!std::isfinite(timeS))
        return;
    if (!m_breaks.empty())
        timeS = std::max(timeS, m_breaks.back().t);
    BreakMarker &marker = m_breaks.emplace_back();
    marker.t = timeS;
    marker.label = label;
    const QColor ink(0x80, 0x80, 0x80);
    marker.line = new QCPItemStraightLine(m_plot);
    marker.line->setPen(QPen(ink, 1, Qt::DashLine));
    marker.line->setSelectable(false);
    marker.text = new QCPItemText(m_plot);
    marker.text->position->setTypeX(QCPItemPosition::ptPlotCoords);
    marker.text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    marker.text->setPadding(QMargins(3, 2, 3, 2));
    marker.text->setColor(ink.darker(140));
    marker.text->setText(label);
    marker.text->setSelectable(false);
    // Hidden until a redraw places them.
    marker.line->setVisible(false);
    marker.text->setVisible(false);
    markDirty();
}

QList<LivePlot::Break> LivePlot::breaks() const
{
    QList<Break> held;
    for (const BreakMarker &marker : m_breaks)
        held.append({marker.t, marker.label});
    return held;
}

QList<LivePlot::Break> LivePlot::plottedBreaks() const
{
    QList<Break> drawn;
    for (const BreakMarker &marker : m_breaks) {
        if (marker.line->visible())
            drawn.append({marker.text->position->key() * m_timeAxisUnitS, marker.text->text()});
    }
    return drawn;
}

void LivePlot::setTimeWindow(std::chrono::seconds window)
{
    window = std::max(window, std::chrono::seconds(1));
    int index = m_windowChoice->findData(qlonglong(window.count()));
    if (index < 0) {
        m_windowChoice->addItem(durationText(window), qlonglong(window.count()));
        index = m_windowChoice->count() - 1;
    }
    m_windowChoice->setCurrentIndex(index);
    if (window == m_timeWindow)
        return;
    m_timeWindow = window;
    markDirty();
    Q_EMIT timeWindowChanged(window);
}

// Series are grouped by units: one axis per units, left then right; more units than two share
// the left axis rather than stacking axes that would eat the plot's width.
void LivePlot::assignValueAxes()
{
    std::optional<QString> leftUnits;
    std::optional<QString> rightUnits;
    for (const auto &series : m_series) {
        QCPAxis *axis = m_plot->yAxis;
        if (!leftUnits || *leftUnits == series->units) {
            leftUnits = series->units;
        } else if (!rightUnits || *rightUnits == series->units) {
            rightUnits = series->units;
            axis = m_plot->yAxis2;
        }
        series->graph->setValueAxis(axis);
    }
    for (QCPAxis *axis : {m_plot->yAxis, m_plot->yAxis2}) {
        QStringList unitsOrder;
        QHash<QString, QStringList> labels;
        for (const auto &series : m_series) {
            if (series->graph->valueAxis() != axis)
                continue;
            if (!labels.contains(series->units))
                unitsOrder << series->units;
            labels[series->units] << series->label;
        }
        QStringList parts;
        for (const QString &units : unitsOrder) {
            const QString names = labels.value(units).join(QStringLiteral(", "));
            parts << (units.isEmpty() ? names : QStringLiteral("%1 (%2)").arg(names, units));
        }
        axis->setLabel(parts.join(QStringLiteral("; ")));
    }
    m_plot->yAxis2->setVisible(rightUnits.has_value());
}

double LivePlot::columnWidthS() const
{
    return double(m_timeWindow.count()) / std::max(1, m_columns);
}

void LivePlot::markDirty()
{
    // Only the first change after a redraw needs to schedule one; the rest ride along.
    if (m_dirty)
        return;
    m_dirty = true;
    scheduleFrame();
}

void LivePlot::scheduleFrame()
{
    if (!isVisible())
        return;
    // A frame of its screen after its last redraw; a pending wake-up for scrolling, seconds
    // away, is asked again sooner.
    m_frames->requestAfterLast(m_frameInterval);
}

// On a frame in which the plot can be seen (WidgetFrameClient).
void LivePlot::onFrame()
{
    const bool hasData = std::any_of(m_series.begin(), m_series.end(),
        [](const auto &series) { return !series->history.isEmpty(); });
    const auto columnWidth = std::chrono::duration_cast<Async::Clock::duration>(
        std::chrono::duration<double>(columnWidthS()));
    if (m_dirty || (hasData && Async::now() - m_frames->lastDrawn() >= columnWidth))
        redraw();
    if (m_dirty) {
        scheduleFrame();
    } else if (hasData) {
        // Nothing new: wake up when time has scrolled the window by one pixel column.
        m_frames->requestAfterLast(std::max<Async::Clock::duration>(columnWidth, m_frameInterval));
    }
}

void LivePlot::redraw()
{
    const double now = secondsNow();
    const double windowS = double(m_timeWindow.count());
    // Windows of ten minutes or more are in minutes: "-60" reads better than "-3600".
    const double axisUnitS = windowS >= 600 ? 60.0 : 1.0;
    const int columns = std::max(1, m_plot->axisRect()->width());

    Extent left;
    Extent right;
    for (const auto &series : m_series) {
        const std::vector<Sample> &points
            = series->decimator.points(series->history, now, windowS, columns);
        Extent &extent = series->graph->valueAxis() == m_plot->yAxis2 ? right : left;
        drawSeries(*series, points, now, windowS, axisUnitS, extent);
        series->graph->data()->set(series->drawn, true);
        series->graph->setName(seriesLabel(series->key));
    }
    placeBreaks(now, windowS, axisUnitS);
    fitLegend();
    if (left.lowest <= left.highest)
        m_plot->yAxis->setRange(paddedRange(left.lowest, left.highest));
    if (right.lowest <= right.highest)
        m_plot->yAxis2->setRange(paddedRange(right.lowest, right.highest));
    m_plot->xAxis->setLabel(axisUnitS == 60.0 ? tr("time (min)") : tr("time (s)"));
    m_plot->xAxis->setRange(-windowS / axisUnitS, 0);

    m_plot->replot(QCustomPlot::rpQueuedRefresh);
    m_columns = columns;
    m_timeAxisUnitS = axisUnitS;
    m_frames->drawn();
    // The replot lays the plot out: if that changed the plot area's width, decimate again.
    m_dirty = m_plot->axisRect()->width() != columns;
}

void LivePlot::drawSeries(Series &series, const std::vector<Sample> &points, double nowS,
    double windowS, double axisUnitS, Extent &extent)
{
    series.drawn.clear();
    if (points.empty())
        return;
    auto add = [&](double t, double value) {
        series.drawn.append({(t - nowS) / axisUnitS, value});
        // The column entering from the left edge is drawn but does not set the scale.
        if (t >= nowS - windowS && std::isfinite(value))
            extent.add(value);
    };
    // The breaks after the first point, each drawn as the value held up to it and a gap (a NaN
    // point, where QCustomPlot lifts its pen) until the next sample. A break with no sample
    // since the one before it is in that gap already.
    auto next = std::upper_bound(m_breaks.begin(), m_breaks.end(), points.front().t,
        [](double t, const BreakMarker &marker) { return t < marker.t; });
    std::optional<double> previousBreak;
    auto addBreak = [&](double t) {
        const std::optional<Sample> held = series.history.lastBefore(t);
        if (held && !(previousBreak && held->t < *previousBreak)) {
            add(t, held->value);
            add(t, std::numeric_limits<double>::quiet_NaN());
        }
        previousBreak = t;
    };
    size_t count = points.size();
    // The decimator holds the latest value until now: not past a break that came after it.
    const std::optional<Sample> latest = series.history.latest();
    if (latest && nowS > latest->t && !m_breaks.empty() && m_breaks.back().t > latest->t
        && points.back().t == nowS)
        --count;
    for (size_t i = 0; i < count; ++i) {
        for (; next != m_breaks.end() && next->t <= points[i].t; ++next)
            addBreak(next->t);
        add(points[i].t, points[i].value);
    }
    for (; next != m_breaks.end() && next->t <= nowS; ++next)
        addBreak(next->t);
}

void LivePlot::placeBreaks(double nowS, double windowS, double axisUnitS)
{
    // Forgotten once older than anything a series keeps.
    while (!m_breaks.empty() && m_breaks.front().t < nowS - SeriesHistory::kEnvelopeS) {
        m_plot->removeItem(m_breaks.front().line);
        m_plot->removeItem(m_breaks.front().text);
        m_breaks.pop_front();
    }
    for (BreakMarker &marker : m_breaks) {
        const double x = (marker.t - nowS) / axisUnitS;
        const bool shown = marker.t >= nowS - windowS && marker.t <= nowS;
        marker.line->point1->setCoords(x, 0);
        marker.line->point2->setCoords(x, 1);
        marker.text->position->setCoords(x, 0);
        // The label beside its line, on the side with room (a loss just now is at the right edge).
        marker.text->setPositionAlignment(
            (marker.t > nowS - windowS / 2 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
        marker.line->setVisible(shown);
        marker.text->setVisible(shown);
    }
}

QList<QPointF> LivePlot::plottedPoints(const QString &key) const
{
    QList<QPointF> points;
    const Series *series = find(key);
    if (!series)
        return points;
    for (auto it = series->graph->data()->constBegin(); it != series->graph->data()->constEnd();
         ++it)
        points << QPointF(it->key * m_timeAxisUnitS, it->value);
    return points;
}

PlotRange LivePlot::visibleTimeRange() const
{
    const QCPRange range = m_plot->xAxis->range();
    return {range.lower * m_timeAxisUnitS, range.upper * m_timeAxisUnitS};
}

PlotRange LivePlot::visibleValueRange(const QString &key) const
{
    const Series *series = find(key);
    if (!series)
        return {};
    const QCPRange range = series->graph->valueAxis()->range();
    return {range.lower, range.upper};
}

LivePlot::ValueAxis LivePlot::valueAxisOf(const QString &key) const
{
    const Series *series = find(key);
    return series && series->graph->valueAxis() == m_plot->yAxis2 ? ValueAxis::Right
                                                                  : ValueAxis::Left;
}

QString LivePlot::valueAxisLabel(ValueAxis axis) const
{
    return (axis == ValueAxis::Right ? m_plot->yAxis2 : m_plot->yAxis)->label();
}

QString LivePlot::timeAxisLabel() const
{
    return m_plot->xAxis->label();
}

QString LivePlot::seriesLabel(const QString &key) const
{
    const Series *series = find(key);
    if (!series)
        return {};
    const std::optional<Sample> latest = series->history.latest();
    if (!latest)
        return series->label;
    return QStringLiteral("%1: %2").arg(series->label, series->format.withUnits(latest->value));
}

void LivePlot::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    const QScreen *shown = screen();
    const double refreshHz
        = shown && shown->refreshRate() > 1 ? shown->refreshRate() : kFallbackRefreshHz;
    m_frameInterval = std::chrono::milliseconds(int(std::ceil(1000.0 / refreshHz)));
    m_dirty = false; // so that markDirty schedules
    markDirty();
}

void LivePlot::fitLegend()
{
    // As many entries a row as fit the plot's width (at most four), so that none is cut; a
    // little slack keeps a changing value from re-flowing the rows at every frame.
    QCPLegend *legend = m_plot->legend;
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i) {
        if (QCPAbstractLegendItem *item = legend->item(i)) // a grid cell may be empty
            widest = std::max(widest, item->minimumOuterSizeHint().width());
    }
    if (widest == 0)
        return;
    const int spacing = legend->columnSpacing();
    const int available
        = m_plot->width() - legend->margins().left() - legend->margins().right() + spacing;
    const int columns = std::clamp(available / (widest * 9 / 8 + spacing), 1, 4);
    if (columns == legend->wrap())
        return;
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-flow the entries
}

void LivePlot::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    markDirty();
}

} // namespace Benchtop::Ui
