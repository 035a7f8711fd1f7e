// SPDX-License-Identifier: MIT
// What a live plot costs the GUI thread (ui/plot/liveplot.h): a LivePlot fed N series at R Hz
// each, its window full of samples, first hidden then shown, on whatever platform runs it
// (QT_QPA_PLATFORM=offscreen paints in memory like a real raster window).
//
//   bench_plot [--series N] [--rate-hz R] [--window-s W] [--seconds D] [--width PX] [--rep K]
//
// Prints one JSON line. results: cpu_percent while hidden and shown (of one core: the feeding
// alone, then feeding and drawing), redraws_per_s, replot_ms (QCustomPlot's own average),
// stall_ms p50/p99/max (how long the event loop was held, as a 1 ms timer sees it: mostly the
// redraws, decimation, data hand-over, replot and paint), points_drawn_per_series, and the cost of
// one replot+paint by each QCustomPlot refresh mode, to choose between them.
#include "benchsupport.h"

#include <plot/liveplot.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <plot/qcustomplot_p.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[size_t(std::round(p * double(values.size() - 1)))];
}

double rounded(double value, int decimals = 3)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

// Appends every sample due by now to each series, as snapshots arriving at `rateHz` would.
class Feeder {
public:
    Feeder(LivePlot &plot, int series, double rateHz)
        : m_plot(plot)
        , m_series(series)
        , m_periodS(1.0 / rateHz)
    {
    }
    void fill(double fromS, double toS)
    {
        for (m_nextS = fromS; m_nextS <= toS; m_nextS += m_periodS)
            appendAt(m_nextS);
    }
    void catchUp()
    {
        for (const double now = LivePlot::secondsNow(); m_nextS <= now; m_nextS += m_periodS)
            appendAt(m_nextS);
    }

private:
    void appendAt(double t)
    {
        for (int s = 0; s < m_series; ++s) {
            const double noise = 0.02 * std::sin(t * 7919.0 + s);
            m_plot.append(QString::number(s), t, std::sin(t * (1.0 + s)) * (s + 1) + noise);
        }
    }
    LivePlot &m_plot;
    int m_series;
    double m_periodS;
    double m_nextS = 0;
};

struct Phase {
    double cpuPercent = 0;
    int redraws = 0;
    std::vector<double> stallsMs; ///< event-loop iterations longer than a millisecond
};

// Runs the event loop for `seconds` with the feeder on a 1 ms timer; a tick arriving late
// means something else (a redraw) held the loop.
Phase run(QApplication &app, LivePlot &plot, Feeder &feeder, double seconds)
{
    Phase phase;
    Bench::HostLoad load;
    const int redrawsBefore = plot.replotCount();
    QElapsedTimer clock;
    clock.start();
    qint64 lastTickNs = clock.nsecsElapsed();
    QTimer feed;
    feed.setTimerType(Qt::PreciseTimer);
    QObject::connect(&feed, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        const double gapMs = double(now - lastTickNs) / 1e6;
        if (gapMs > 1.5)
            phase.stallsMs.push_back(gapMs - 1.0);
        lastTickNs = now;
        feeder.catchUp();
    });
    feed.start(1);
    QTimer::singleShot(int(seconds * 1000), &app, &QApplication::quit);
    QApplication::exec();
    phase.cpuPercent = 100.0 * load.ownCpuSeconds() / (double(clock.nsecsElapsed()) / 1e9);
    phase.redraws = plot.replotCount() - redrawsBefore;
    return phase;
}

// One replot and its paint, by QCustomPlot's refresh mode, averaged over `count`.
double refreshCostMs(QCustomPlot &plot, QCustomPlot::RefreshPriority mode, int count)
{
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < count; ++i) {
        plot.replot(mode);
        QCoreApplication::processEvents(); // queued replots and paints happen here
    }
    return double(clock.nsecsElapsed()) / 1e6 / count;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStringLiteral("Fusion"));
    const QStringList args = QCoreApplication::arguments();
    const int series = int(Bench::intOption(args, {QStringLiteral("--series")}, 4));
    const double rateHz = double(Bench::intOption(args, {QStringLiteral("--rate-hz")}, 1000));
    const int windowS = int(Bench::intOption(args, {QStringLiteral("--window-s")}, 10));
    const double seconds = double(Bench::intOption(args, {QStringLiteral("--seconds")}, 5));
    const int width = int(Bench::intOption(args, {QStringLiteral("--width")}, 1000));
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));

    Bench::HostLoad host;
    LivePlot plot;
    plot.resize(width, 400);
    plot.setTimeWindow(std::chrono::seconds(windowS));
    for (int s = 0; s < series; ++s) {
        plot.addSeries(QString::number(s), QStringLiteral("series %1").arg(s),
            s % 2 ? QStringLiteral("V") : QStringLiteral("mm"));
    }
    Feeder feeder(plot, series, rateHz);
    feeder.fill(LivePlot::secondsNow() - windowS, LivePlot::secondsNow());

    const Phase hidden = run(app, plot, feeder, seconds);
    plot.show();
    const Phase shown = run(app, plot, feeder, seconds);

    auto *custom = plot.findChild<QCustomPlot *>();
    const double replotMs = custom->replotTime(true);
    const int points = int(plot.plottedPoints(QStringLiteral("0")).size());
    const int trials = 100;
    const double immediate = refreshCostMs(*custom, QCustomPlot::rpImmediateRefresh, trials);
    const double queuedRefresh = refreshCostMs(*custom, QCustomPlot::rpQueuedRefresh, trials);
    const double queuedReplot = refreshCostMs(*custom, QCustomPlot::rpQueuedReplot, trials);

    QJsonObject out = Bench::meta(QStringLiteral("plot"), rep);
    out[QStringLiteral("params")] = QJsonObject{{QStringLiteral("series"), series},
        {QStringLiteral("rate_hz"), rateHz}, {QStringLiteral("window_s"), windowS},
        {QStringLiteral("seconds"), seconds}, {QStringLiteral("width_px"), width},
        {QStringLiteral("samples_in_window"), double(windowS) * rateHz * series},
        {QStringLiteral("platform"), QGuiApplication::platformName()}};
    out[QStringLiteral("results")]
        = QJsonObject{{QStringLiteral("cpu_percent_hidden"), rounded(hidden.cpuPercent, 1)},
            {QStringLiteral("cpu_percent_shown"), rounded(shown.cpuPercent, 1)},
            {QStringLiteral("redraws_per_s"), rounded(shown.redraws / seconds, 1)},
            {QStringLiteral("frame_interval_ms"), double(plot.frameInterval().count())},
            {QStringLiteral("replot_ms"), rounded(replotMs)},
            {QStringLiteral("stall_ms_p50"), rounded(percentile(shown.stallsMs, 0.5))},
            {QStringLiteral("stall_ms_p99"), rounded(percentile(shown.stallsMs, 0.99))},
            {QStringLiteral("stall_ms_max"), rounded(percentile(shown.stallsMs, 1.0))},
            {QStringLiteral("points_drawn_per_series"), points},
            {QStringLiteral("refresh_immediate_ms"), rounded(immediate)},
            {QStringLiteral("refresh_queued_ms"), rounded(queuedRefresh)},
            {QStringLiteral("replot_queued_ms"), rounded(queuedReplot)}};
    out[QStringLiteral("host")] = host.finish();
    Bench::printJsonLine(out);
    return 0;
}
