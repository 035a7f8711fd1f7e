// SPDX-License-Identifier: MIT
// Draws the pollers' scaling curve of a bench/run: achieved fraction and p99 wake lateness
// against the number of devices, one line per loop (Benchtop, asyncio, uvloop) and mode
// (solid: absolute deadlines, dashed: relative sleeps), with QCustomPlot.
//
//   bench_scalingplot RUN.jsonl OUT.png
//
// Reads the lines bench/run marked `"_workload": "curve"`; exits 1 if there are none.
#include <plot/qcustomplot_p.h>

#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

#include <cstdio>

namespace {

struct Point {
    double devices = 0;
    double achieved = 0;
    double p99 = 0;
};

QColor colorOf(const QString &loop)
{
    if (loop == QLatin1String("benchtop"))
        return QColor(0x1f, 0x77, 0xb4);
    if (loop == QLatin1String("asyncio"))
        return QColor(0xff, 0x7f, 0x0e);
    return QColor(0x2c, 0xa0, 0x2c);
}

QCPAxisRect *logAxes(QCustomPlot &plot, const QString &yLabel, bool logY)
{
    auto *rect = new QCPAxisRect(&plot);
    rect->axis(QCPAxis::atBottom)->setScaleType(QCPAxis::stLogarithmic);
    rect->axis(QCPAxis::atBottom)->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    rect->axis(QCPAxis::atBottom)->setLabel(QStringLiteral("devices polled at 100 Hz"));
    rect->axis(QCPAxis::atBottom)->setRange(70, 28000);
    rect->axis(QCPAxis::atLeft)->setLabel(yLabel);
    if (logY) {
        rect->axis(QCPAxis::atLeft)->setScaleType(QCPAxis::stLogarithmic);
        rect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    }
    return rect;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_scalingplot RUN.jsonl OUT.png\n");
        return 2;
    }
    QFile in(QString::fromLocal8Bit(argv[1]));
    if (!in.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "bench_scalingplot: cannot read %s\n", argv[1]);
        return 1;
    }
    QMap<QString, QVector<Point>> series; // "loop mode" -> points
    while (!in.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(in.readLine()).object();
        if (line.value(QStringLiteral("_workload")).toString() != QLatin1String("curve"))
            continue;
        const QJsonObject params = line.value(QStringLiteral("params")).toObject();
        const QJsonObject results = line.value(QStringLiteral("results")).toObject();
        const QString name = line.value(QStringLiteral("loop")).toString() + QLatin1Char(' ')
            + params.value(QStringLiteral("mode")).toString();
        series[name].append({params.value(QStringLiteral("devices")).toDouble(),
            results.value(QStringLiteral("achieved_fraction")).toDouble(),
            // The log axis cannot show 0: a lateness under 1 µs is drawn at 1 µs.
            std::max(0.001, results.value(QStringLiteral("lateness_ms_p99")).toDouble())});
    }
    if (series.isEmpty()) {
        std::fprintf(stderr, "bench_scalingplot: no curve lines in %s\n", argv[1]);
        return 1;
    }

    QCustomPlot plot;
    plot.resize(1400, 560);
    plot.plotLayout()->clear();
    plot.setAutoAddPlottableToLegend(false);
    auto *title = new QCPTextElement(&plot,
        QStringLiteral("N device loops at 100 Hz: solid = absolute deadlines, dashed = relative sleeps"),
        QFont(QStringLiteral("DejaVu Sans"), 11, QFont::Bold));
    plot.plotLayout()->addElement(0, 0, title);
    auto *row = new QCPLayoutGrid;
    plot.plotLayout()->addElement(1, 0, row);
    QCPAxisRect *achieved = logAxes(plot, QStringLiteral("achieved fraction of N × 100 updates/s"), false);
    achieved->axis(QCPAxis::atLeft)->setRange(0, 1.05);
    QCPAxisRect *lateness = logAxes(plot, QStringLiteral("p99 wake lateness, ms (log)"), true);
    row->addElement(0, 0, achieved);
    row->addElement(0, 1, lateness);
    // The legend at the top of its column, not spread over the plots' height.
    auto *side = new QCPLayoutGrid;
    row->addElement(0, 2, side);
    auto *legend = new QCPLegend;
    side->addElement(0, 0, legend);
    side->addElement(1, 0, new QCPLayoutElement(&plot));
    side->setRowStretchFactors({0.01, 1.0});
    row->setColumnStretchFactors({1.0, 1.0, 0.28});
    legend->setLayer(QStringLiteral("legend"));

    double highest = 1;
    double lowest = 1;
    for (auto it = series.cbegin(); it != series.cend(); ++it) {
        QVector<Point> points = it.value();
        std::sort(points.begin(), points.end(),
            [](const Point &a, const Point &b) { return a.devices < b.devices; });
        const QString loop = it.key().section(QLatin1Char(' '), 0, 0);
        QPen pen(colorOf(loop), 2);
        if (it.key().endsWith(QLatin1String("relative")))
            pen.setStyle(Qt::DashLine);
        for (QCPAxisRect *rect : {achieved, lateness}) {
            QCPGraph *graph = plot.addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            graph->setPen(pen);
            graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
            for (const Point &p : points) {
                graph->addData(p.devices, rect == achieved ? p.achieved : p.p99);
                if (rect == lateness) {
                    highest = std::max(highest, p.p99);
                    lowest = std::min(lowest, p.p99);
                }
            }
            if (rect == achieved) {
                graph->setName(it.key());
                legend->addItem(new QCPPlottableLegendItem(legend, graph));
            }
        }
    }
    lateness->axis(QCPAxis::atLeft)->setRange(lowest / 2, highest * 2);
    if (!plot.savePng(QString::fromLocal8Bit(argv[2]), 1400, 560)) {
        std::fprintf(stderr, "bench_scalingplot: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
