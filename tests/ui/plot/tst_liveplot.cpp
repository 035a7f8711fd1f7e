// SPDX-License-Identifier: MIT
// LivePlot: frame-limited redraws, decimated drawing, the latest value always visible, axes per
// units and the time window's choice. Its frames come from the frame clock stepped on manual
// time (FrameStepper).
#include "framestepper.h"
#include "testsupport.h"

#include <host/frameclock.h>
#include <plot/liveplot.h>

#include <QComboBox>
#include <QGridLayout>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTest>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

using namespace Benchtop;
using namespace Benchtop::Ui;
using namespace std::chrono_literals;

class TestLivePlot : public QObject {
    Q_OBJECT

    // Shows the plot and steps frames until its first complete redraw.
    bool showAndSettle(LivePlot &plot)
    {
        plot.resize(800, 400);
        plot.show();
        if (!QTest::qWaitForWindowExposed(&plot))
            return false;
        return m_steps->until([&] { return plot.replotCount() > 0 && !plot.isRedrawPending(); });
    }

    bool redrawn(LivePlot &plot)
    {
        return m_steps->until([&] { return !plot.isRedrawPending(); });
    }

private Q_SLOTS:
    void init()
    {
        Test::failOnQtWarnings();
        m_steps = std::make_unique<Test::FrameStepper>();
        QVERIFY(m_steps->wasQuiet());
    }
    void cleanup() { m_steps.reset(); }

    void aBurstOfSamplesIsDrawnInOneFrame()
    {
        LivePlot plot;
        // An hour on 800 pixels: time alone scrolls it by a column only every few seconds, so
        // every redraw here comes from the samples.
        plot.setTimeWindow(1h);
        plot.addSeries(QStringLiteral("x"), QStringLiteral("x"), QStringLiteral("V"));
        QVERIFY(showAndSettle(plot));
        const int before = plot.replotCount();

        const double start = LivePlot::secondsNow() - 100;
        for (int i = 0; i < 100'000; ++i)
            plot.append(QStringLiteral("x"), start + i * 1e-3, std::sin(i * 1e-3));
        QCOMPARE(plot.replotCount(), before); // appending draws nothing by itself
        QVERIFY(plot.isRedrawPending());
        QVERIFY(redrawn(plot));
        // One frame, and perhaps one more if the new tick labels changed the plot area's width.
        QVERIFY2(plot.replotCount() - before <= 2, qPrintable(QString::number(plot.replotCount())));

        // Nothing changes, nothing is drawn.
        const int settled = plot.replotCount();
        m_steps->ticks(18);
        QCOMPARE(plot.replotCount(), settled);
    }

    void redrawsAreLimitedToTheFrameRate()
    {
        LivePlot plot;
        plot.addSeries(QStringLiteral("x"), QStringLiteral("x"), QStringLiteral("V"));
        QVERIFY(showAndSettle(plot));
        const int before = plot.replotCount();
        const Async::TimePoint start = Async::now();
        double t = LivePlot::secondsNow();
        // A hundred samples between ticks, for 120 ticks (two seconds).
        for (int tick = 0; tick < 120; ++tick) {
            for (int i = 0; i < 100; ++i) {
                t += 1e-5;
                plot.append(QStringLiteral("x"), t, std::sin(t));
            }
            m_steps->tick();
        }
        QVERIFY(redrawn(plot));
        const double elapsedMs
            = std::chrono::duration<double, std::milli>(Async::now() - start).count();
        const int replots = plot.replotCount() - before;
        // At most one redraw per frame of its screen, and one more for the first.
        const double frames = elapsedMs / double(plot.frameInterval().count());
        QVERIFY2(replots >= 10 && replots <= int(frames) + 1,
            qPrintable(QStringLiteral("%1 redraws in %2 ms").arg(replots).arg(elapsedMs)));
    }

    void drawnPointsAreBoundedByThePixelWidth()
    {
        LivePlot plot;
        plot.addSeries(QStringLiteral("x"), QStringLiteral("x"), QStringLiteral("V"));
        QVERIFY(showAndSettle(plot));
        const double start = LivePlot::secondsNow() - 10;
        for (int i = 0; i < 100'000; ++i)
            plot.append(QStringLiteral("x"), start + i * 1e-4, (i * 7919) % 1000);
        QVERIFY(redrawn(plot));
        const qsizetype drawn = plot.plottedPoints(QStringLiteral("x")).size();
        QVERIFY(plot.columnCount() > 100);
        QVERIFY(plot.columnCount() <= plot.width());
        QVERIFY2(drawn <= 2 * qsizetype(plot.columnCount() + 4) && drawn >= plot.columnCount(),
            qPrintable(QStringLiteral("%1 points, %2 columns").arg(drawn).arg(plot.columnCount())));
    }

    void aSpikeAmongManySamplesIsDrawn()
    {
        LivePlot plot;
        plot.addSeries(QStringLiteral("x"), QStringLiteral("x"), QString());
        QVERIFY(showAndSettle(plot));
        const double start = LivePlot::secondsNow() - 8;
        for (int i = 0; i < 100'000; ++i)
            plot.append(QStringLiteral("x"), start + i * 5e-5, i == 54'321 ? 99.0 : 0.0);
        QVERIFY(redrawn(plot));
        double highest = 0;
        for (const QPointF &point : plot.plottedPoints(QStringLiteral("x")))
            highest = std::max(highest, point.y());
        QCOMPARE(highest, 99.0);
        QVERIFY(plot.visibleValueRange(QStringLiteral("x")).contains(99.0));
    }

    void theLatestValueIsVisibleAndLabelled()
    {
        LivePlot plot;
        plot.addSeries(QStringLiteral("pos"), QStringLiteral("position"), QStringLiteral("mm"));
        QVERIFY(showAndSettle(plot));
        const double now = LivePlot::secondsNow();
        for (int i = 0; i < 1000; ++i)
            plot.append(QStringLiteral("pos"), now - 5 + i * 5e-3, std::sin(i * 0.01));
        plot.append(QStringLiteral("pos"), now, 123.456);
        QVERIFY(redrawn(plot));

        const QList<QPointF> points = plot.plottedPoints(QStringLiteral("pos"));
        QVERIFY(!points.isEmpty());
        QCOMPARE(points.last().y(), 123.456);
        QVERIFY(plot.visibleTimeRange().contains(points.last().x()));
        QVERIFY(plot.visibleValueRange(QStringLiteral("pos")).contains(123.456));
        QVERIFY(plot.visibleValueRange(QStringLiteral("pos")).contains(-0.99));
        QCOMPARE(plot.visibleTimeRange().lower, -10.0);
        QCOMPARE(plot.visibleTimeRange().upper, 0.0);
        QCOMPARE(plot.seriesLabel(QStringLiteral("pos")), QStringLiteral("position: 123.456 mm"));
        QCOMPARE(plot.latest(QStringLiteral("pos"))->value, 123.456);
    }

    void aValueOlderThanTheWindowIsHeldInView()
    {
        LivePlot plot;
        plot.addSeries(QStringLiteral("t"), QStringLiteral("temperature"), QStringLiteral("K"));
        QVERIFY(showAndSettle(plot));
        plot.append(QStringLiteral("t"), LivePlot::secondsNow() - 30, 77.5);
        QVERIFY(redrawn(plot));
        const QList<QPointF> points = plot.plottedPoints(QStringLiteral("t"));
        QVERIFY(!points.isEmpty());
        QCOMPARE(points.last().y(), 77.5);
        QVERIFY(plot.visibleTimeRange().contains(points.last().x()));
        QVERIFY(plot.visibleValueRange(QStringLiteral("t")).contains(77.5));
    }

    // Where a device's link was lost its series are held up to the loss and no further, with a
    // gap until their next samples, and the loss is marked (issue 18 item 5).
    void aBreakEndsTheSeriesUntilTheirNextSamples()
    {
        LivePlot plot;
        const QStringList keys{QStringLiteral("pos"), QStringLiteral("x")};
        plot.addSeries(
            keys[0], QStringLiteral("position"), QStringLiteral("mm"), LivePlot::Joining::Steps);
        plot.addSeries(keys[1], QStringLiteral("x"), QStringLiteral("V"));
        QVERIFY(showAndSettle(plot));
        const double now = LivePlot::secondsNow();
        for (int i = 0; i <= 20; ++i) {
            plot.append(keys[0], now - 8 + i * 0.1, 1.0);
            plot.append(keys[1], now - 8 + i * 0.1, double(i));
        }
        plot.breakAt(now - 5, QStringLiteral("link lost 12:00:00"));
        QVERIFY(redrawn(plot));

        QCOMPARE(plot.breaks().size(), 1);
        QCOMPARE(plot.breaks().first().t, now - 5);
        const QList<LivePlot::Break> marked = plot.plottedBreaks();
        QCOMPARE(marked.size(), 1);
        QCOMPARE(marked.first().label, QStringLiteral("link lost 12:00:00"));
        const double breakX = marked.first().t;
        QVERIFY(breakX < -5 && breakX > -6); // the redraw came a little after `now`
        for (const QString &key : keys) {
            const QList<QPointF> points = plot.plottedPoints(key);
            QVERIFY(points.size() >= 3);
            // held up to the break, then a gap: nothing drawn after it, nothing up to now
            QVERIFY(std::isnan(points.last().y()));
            QCOMPARE(points.last().x(), breakX);
            QCOMPARE(points[points.size() - 2], QPointF(breakX, key == keys[0] ? 1.0 : 20.0));
            for (const QPointF &point : points)
                QVERIFY(point.x() <= breakX);
        }

        // Data again: the line resumes at the next sample, and is held from there to now.
        const double again = LivePlot::secondsNow() - 1;
        plot.append(keys[0], again, 2.0);
        plot.append(keys[1], again, 30.0);
        QVERIFY(redrawn(plot));
        for (const QString &key : keys) {
            const QList<QPointF> points = plot.plottedPoints(key);
            const auto gap = std::find_if(points.begin(), points.end(),
                [](const QPointF &point) { return std::isnan(point.y()); });
            QVERIFY(gap != points.end());
            const QPointF resumed = *(gap + 1);
            QVERIFY(resumed.x() > gap->x() + 3.5); // no point in the gap: the next is ~1 s ago
            QCOMPARE(resumed.y(), key == keys[0] ? 2.0 : 30.0);
            QCOMPARE(points.last().y(), key == keys[0] ? 2.0 : 30.0);
            QVERIFY(points.last().x() > -0.5); // held up to now again
            QCOMPARE(std::count_if(points.begin(), points.end(),
                         [](const QPointF &point) { return std::isnan(point.y()); }),
                1);
        }
        // The scale is the data's, gaps aside.
        QVERIFY(plot.visibleValueRange(keys[1]).contains(30.0));
        QVERIFY(plot.visibleValueRange(keys[1]).contains(0.0));
    }

    // A break out of the window is not marked; a series with no sample before it has no gap.
    void aBreakIsMarkedOnlyInTheWindow()
    {
        LivePlot plot;
        plot.addSeries(QStringLiteral("x"), QStringLiteral("x"), QStringLiteral("V"));
        QVERIFY(showAndSettle(plot));
        const double now = LivePlot::secondsNow();
        plot.breakAt(now - 30, QStringLiteral("link lost 11:59:30"));
        plot.append(QStringLiteral("x"), now - 20, 1.0);
        QVERIFY(redrawn(plot));
        QCOMPARE(plot.breaks().size(), 1);
        QVERIFY(plot.plottedBreaks().isEmpty());
        for (const QPointF &point : plot.plottedPoints(QStringLiteral("x")))
            QVERIFY(!std::isnan(point.y()));
        plot.setTimeWindow(1min);
        QVERIFY(redrawn(plot));
        QCOMPARE(plot.plottedBreaks().size(), 1);
    }

    void unitsGetTheirOwnAxes()
    {
        LivePlot plot;
        plot.addSeries(QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("mm"));
        plot.addSeries(QStringLiteral("b"), QStringLiteral("b"), QStringLiteral("V"));
        plot.addSeries(QStringLiteral("c"), QStringLiteral("c"), QStringLiteral("g"));
        plot.addSeries(QStringLiteral("d"), QStringLiteral("d"), QStringLiteral("mm"));
        using Axis = LivePlot::ValueAxis;
        QCOMPARE(plot.valueAxisOf(QStringLiteral("a")), Axis::Left);
        QCOMPARE(plot.valueAxisOf(QStringLiteral("b")), Axis::Right);
        QCOMPARE(plot.valueAxisOf(QStringLiteral("c")), Axis::Left);
        QCOMPARE(plot.valueAxisOf(QStringLiteral("d")), Axis::Left);
        QCOMPARE(plot.valueAxisLabel(Axis::Left), QStringLiteral("a, d (mm); c (g)"));
        QCOMPARE(plot.valueAxisLabel(Axis::Right), QStringLiteral("b (V)"));

        plot.removeSeries(QStringLiteral("b"));
        QCOMPARE(plot.seriesKeys(), (QStringList{"a", "c", "d"}));
        QCOMPARE(plot.valueAxisOf(QStringLiteral("c")), Axis::Right);
        QCOMPARE(plot.valueAxisLabel(Axis::Left), QStringLiteral("a, d (mm)"));
        QCOMPARE(plot.valueAxisLabel(Axis::Right), QStringLiteral("c (g)"));

        // Adding a key again relabels it and keeps its samples.
        plot.append(QStringLiteral("a"), 1.0, 2.0);
        plot.addSeries(QStringLiteral("a"), QStringLiteral("x"), QStringLiteral("mm"));
        QCOMPARE(plot.latest(QStringLiteral("a"))->value, 2.0);
        QCOMPARE(plot.valueAxisLabel(Axis::Left), QStringLiteral("x, d (mm)"));
    }

    void theUserChoosesTheTimeWindow()
    {
        LivePlot plot;
        plot.addSeries(QStringLiteral("x"), QStringLiteral("x"), QStringLiteral("V"));
        plot.append(QStringLiteral("x"), LivePlot::secondsNow(), 1.0);
        QVERIFY(showAndSettle(plot));
        auto *choice = plot.findChild<QComboBox *>();
        QVERIFY(choice);
        QStringList texts;
        for (int i = 0; i < choice->count(); ++i)
            texts << choice->itemText(i);
        QCOMPARE(texts, (QStringList{"10 s", "1 min", "10 min", "1 h"}));
        QCOMPARE(plot.timeAxisLabel(), QStringLiteral("time (s)"));

        QSignalSpy changed(&plot, &LivePlot::timeWindowChanged);
        choice->setCurrentIndex(3);
        Q_EMIT choice->activated(3); // what a user's pick emits
        QCOMPARE(plot.timeWindow(), std::chrono::seconds(1h));
        QCOMPARE(changed.count(), 1);
        QVERIFY(redrawn(plot));
        QCOMPARE(plot.visibleTimeRange().lower, -3600.0);
        QCOMPARE(plot.visibleTimeRange().upper, 0.0);
        QCOMPARE(plot.timeAxisLabel(), QStringLiteral("time (min)"));

        plot.setTimeWindow(1min);
        QCOMPARE(choice->currentIndex(), 1);
        QVERIFY(redrawn(plot));
        QCOMPARE(plot.visibleTimeRange().lower, -60.0);
        QCOMPARE(plot.timeAxisLabel(), QStringLiteral("time (s)"));
    }

    void aHiddenPlotDrawsNothing()
    {
        LivePlot plot;
        QCoreApplication::processEvents(); // QCustomPlot's own first replot
        const int before = plot.replotCount();
        plot.addSeries(QStringLiteral("x"), QStringLiteral("x"), QStringLiteral("V"));
        plot.append(QStringLiteral("x"), LivePlot::secondsNow(), 1.0);
        m_steps->ticks(6);
        QCOMPARE(plot.replotCount(), before);
        QVERIFY(plot.isRedrawPending());
        QVERIFY(showAndSettle(plot));
        QCOMPARE(plot.plottedPoints(QStringLiteral("x")).last().y(), 1.0);
    }

    void manyPlotsOnTheClockEachRedrawAndEndAtTheLastValue()
    {
        // A budget smaller than one redraw: the clock serves one plot per tick, round-robin.
        FrameClock *clock = FrameClock::instance();
        const auto budget = clock->budget(FrameClock::Lane::Plots);
        clock->setBudget(FrameClock::Lane::Plots, 0us);
        QWidget window;
        auto *grid = new QGridLayout(&window);
        std::vector<LivePlot *> plots;
        for (int i = 0; i < 24; ++i) {
            plots.push_back(new LivePlot);
            plots.back()->setMinimumSize(240, 200);
            plots.back()->setTimeWindow(1h); // only samples ask for redraws
            plots.back()->addSeries(QStringLiteral("x"), QStringLiteral("x"), QStringLiteral("V"));
            grid->addWidget(plots.back(), i / 6, i % 6);
        }
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const auto allDrawn = [&] {
            return std::none_of(
                plots.begin(), plots.end(), [](LivePlot *plot) { return plot->isRedrawPending(); });
        };
        QVERIFY(m_steps->until(allDrawn));
        std::vector<int> before;
        for (LivePlot *plot : plots)
            before.push_back(plot->replotCount());
        double t = LivePlot::secondsNow();
        for (int round = 0; round < 20; ++round) {
            for (std::size_t i = 0; i < plots.size(); ++i)
                plots[i]->append(QStringLiteral("x"), t, double(round * 100 + int(i)));
            t += 1e-3;
            m_steps->tick(); // one plot redraws
        }
        // Updates stop: every plot redraws, and what it shows ends at its last sample.
        QVERIFY(m_steps->until(allDrawn));
        for (std::size_t i = 0; i < plots.size(); ++i) {
            QVERIFY(plots[i]->replotCount() > before[i]);
            const double last = 1900.0 + double(i);
            QCOMPARE(plots[i]->plottedPoints(QStringLiteral("x")).last().y(), last);
            QCOMPARE(
                plots[i]->seriesLabel(QStringLiteral("x")), QStringLiteral("x: %1 V").arg(last));
            QCOMPARE(plots[i]->latest(QStringLiteral("x"))->value, last);
        }
        clock->setBudget(FrameClock::Lane::Plots, budget);
    }

    void aPlotOutOfSightDrawsNothingAndCatchesUpWhenSeen()
    {
        QScrollArea scroll;
        auto *content = new QWidget;
        auto *layout = new QVBoxLayout(content);
        auto *spacer = new QWidget;
        spacer->setFixedHeight(3000);
        layout->addWidget(spacer);
        auto *plot = new LivePlot;
        plot->setMinimumSize(300, 200);
        plot->setTimeWindow(1h);
        plot->addSeries(QStringLiteral("x"), QStringLiteral("x"), QStringLiteral("V"));
        layout->addWidget(plot);
        scroll.setWidget(content);
        scroll.setWidgetResizable(true);
        scroll.resize(400, 300);
        scroll.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scroll));
        m_steps->ticks(6); // the first frames
        const int before = plot->replotCount();
        plot->append(QStringLiteral("x"), LivePlot::secondsNow(), 42.0);
        m_steps->ticks(12); // several frames: none redraws a plot nobody sees
        QCOMPARE(plot->replotCount(), before);
        QVERIFY(plot->isRedrawPending());
        scroll.ensureWidgetVisible(plot);
        QVERIFY(redrawn(*plot));
        QVERIFY(plot->replotCount() > before);
        QCOMPARE(plot->plottedPoints(QStringLiteral("x")).last().y(), 42.0);
    }

    // Two series in different units, drawn: each in its colour, with room for both axes.
    // Set BENCHTOP_PLOT_SCREENSHOT to a .png path to look at it.
    void drawsEachSeriesInItsColour()
    {
        LivePlot plot;
        plot.setTitle(QStringLiteral("stage-x"));
        plot.setTimeWindow(1min);
        plot.addSeries(QStringLiteral("pos"), QStringLiteral("position"), QStringLiteral("mm"));
        plot.addSeries(QStringLiteral("sig"), QStringLiteral("signal"), QStringLiteral("V"));
        const double now = LivePlot::secondsNow();
        for (int i = 0; i <= 60'000; ++i) {
            const double ago = 60.0 - i * 1e-3;
            plot.append(QStringLiteral("pos"), now - ago, 25.0 * std::tanh((30.0 - ago) / 4.0));
            plot.append(QStringLiteral("sig"), now - ago,
                0.8 * std::sin(ago * 1.3) + 0.05 * std::sin(i * 1.7) + (i == 41'000 ? 1.5 : 0.0));
        }
        QVERIFY(showAndSettle(plot));
        const QImage image = plot.grab().toImage();
        if (const QByteArray path = qgetenv("BENCHTOP_PLOT_SCREENSHOT"); !path.isEmpty())
            image.save(QString::fromLocal8Bit(path));
        // Antialiased lines blend their colour with the white: count pixels of its hue.
        auto count = [&](auto isHue) {
            int n = 0;
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x)
                    n += isHue(QColor(image.pixel(x, y)));
            }
            return n;
        };
        const int blue = count([](QColor c) { return c.blue() - c.red() > 50; });
        const int orange = count([](QColor c) { return c.red() - c.blue() > 50; });
        QVERIFY2(blue > 300 && orange > 300,
            qPrintable(QStringLiteral("%1 blue, %2 orange pixels").arg(blue).arg(orange)));
    }

private:
    std::unique_ptr<Test::FrameStepper> m_steps;
};

QTEST_MAIN(TestLivePlot)
#include "tst_liveplot.moc"
