// SPDX-License-Identifier: MIT
#include "arrayplot.h"

#include "arraydecimation.h"

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

constexpr double kFallbackRefreshHz = 60.0;
const QColor kLineColor(0x1f, 0x77, 0xb4); // the first colour of the time plots

QString withUnits(const QString &text, const QString &units)
{
    return units.isEmpty() ? text : QStringLiteral("%1 (%2)").arg(text, units);
}

} // namespace

ArrayPlot::ArrayPlot(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_plot(new QCustomPlot(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_plot, 1);

    m_plot->setBackground(Qt::white);
    m_plot->setMinimumSize(240, 160);
    styleAxis(m_plot->xAxis);
    styleAxis(m_plot->yAxis);
    m_graph = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
    // Decimation already leaves at most two points per pixel column; a one-pixel pen keeps
    // QCustomPlot on its fast polyline path (LivePlot).
    m_graph->setAdaptiveSampling(false);
    m_graph->setPen(QPen(kLineColor, 1));
    updateLabels();

    connect(m_plot, &QCustomPlot::afterReplot, this, [this] { ++m_replotCount; });
    m_plot->setAttribute(Qt::WA_OpaquePaintEvent);
    m_frames = std::make_unique<WidgetFrameClient>(
        m_plot, FrameClock::Lane::Plots, [this] { onFrame(); });
}

ArrayPlot::~ArrayPlot() = default;

void ArrayPlot::setChannel(const QString &name, const QString &units)
{
    m_channel = name;
    m_units = units;
    updateLabels();
    markDirty();
}

void ArrayPlot::setAxis(const QString &label, const QString &units, QList<double> values)
{
    m_axisLabel = label;
    m_axisUnits = units;
    m_axis = std::move(values);
    m_axisAscending = std::is_sorted(m_axis.cbegin(), m_axis.cend());
    updateLabels();
    markDirty();
}

void ArrayPlot::setValues(const QVariantList &values)
{
    const bool onAxisBefore = isOnAxis();
    m_values = values;
    if (isOnAxis() != onAxisBefore)
        updateLabels();
    markDirty();
}

bool ArrayPlot::isOnAxis() const
{
    return !m_axis.isEmpty() && m_axis.size() == m_values.size();
}

void ArrayPlot::updateLabels()
{
    m_title->setText(m_channel);
    m_title->setVisible(!m_channel.isEmpty());
    m_plot->yAxis->setLabel(withUnits(m_channel, m_units));
    m_plot->xAxis->setLabel(isOnAxis() ? withUnits(m_axisLabel, m_axisUnits) : tr("index"));
}

void ArrayPlot::markDirty()
{
    // Only the first change after a redraw schedules one; the rest ride along, so arrays that
    // come faster than frames cost a pointer copy each.
    if (m_dirty)
        return;
    m_dirty = true;
    if (isVisible())
        m_frames->requestAfterLast(m_frameInterval);
}

void ArrayPlot::onFrame()
{
    if (!m_dirty)
        return;
    redraw();
    if (m_dirty) // the replot changed the plot area's width: decimate again
        m_frames->requestAfterLast(m_frameInterval);
}

void ArrayPlot::redraw()
{
    const int columns = std::max(1, m_plot->axisRect()->width());
    const bool onAxis = isOnAxis();
    const QVariantList values = m_values; // shared; a setValues() meanwhile cannot touch it
    decimateArray(
        values.size(), columns, [&](qsizetype i) { return values.at(i).toDouble(); }, m_indices);

    double lowest = std::numeric_limits<double>::infinity();
    double highest = -lowest;
    m_drawn.resize(qsizetype(m_indices.size()));
    for (size_t k = 0; k < m_indices.size(); ++k) {
        const qsizetype i = m_indices[k];
        const double value = values.at(i).toDouble();
        m_drawn[qsizetype(k)] = {onAxis ? m_axis.at(i) : double(i), value};
        lowest = std::min(lowest, value);
        highest = std::max(highest, value);
    }
    m_graph->data()->set(m_drawn, !onAxis || m_axisAscending);

    // x spans the whole axis, not just the finite points: the axis stays put between arrays.
    if (onAxis) {
        const auto [first, last] = std::minmax_element(m_axis.cbegin(), m_axis.cend());
        m_plot->xAxis->setRange(*first, *last > *first ? *last : *first + 1);
    } else if (!values.isEmpty()) {
        m_plot->xAxis->setRange(0, std::max<qsizetype>(values.size() - 1, 1));
    }
    if (lowest <= highest)
        m_plot->yAxis->setRange(paddedRange(lowest, highest));

    m_plot->replot(QCustomPlot::rpQueuedRefresh);
    m_columns = columns;
    m_frames->drawn();
    m_dirty = m_plot->axisRect()->width() != columns;
}

QList<QPointF> ArrayPlot::plottedPoints() const
{
    QList<QPointF> points;
    for (auto it = m_graph->data()->constBegin(); it != m_graph->data()->constEnd(); ++it)
        points << QPointF(it->key, it->value);
    return points;
}

PlotRange ArrayPlot::xRange() const
{
    const QCPRange range = m_plot->xAxis->range();
    return {range.lower, range.upper};
}

PlotRange ArrayPlot::yRange() const
{
    const QCPRange range = m_plot->yAxis->range();
    return {range.lower, range.upper};
}

QString ArrayPlot::xAxisLabel() const
{
    return m_plot->xAxis->label();
}

QString ArrayPlot::yAxisLabel() const
{
    return m_plot->yAxis->label();
}

void ArrayPlot::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    const QScreen *shown = screen();
    const double refreshHz
        = shown && shown->refreshRate() > 1 ? shown->refreshRate() : kFallbackRefreshHz;
    m_frameInterval = std::chrono::milliseconds(int(std::ceil(1000.0 / refreshHz)));
    m_dirty = false; // so that markDirty schedules: whatever came while hidden is drawn now
    markDirty();
}

void ArrayPlot::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    markDirty();
}

} // namespace Benchtop::Ui
