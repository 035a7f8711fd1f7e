// SPDX-License-Identifier: MIT
// ScrollingDecimator: per-frame decimation of a scrolling window, redoing only the newest column.
#include "testsupport.h"

#include <plot/scrollingdecimator.h>

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

// Times on a grid of 1/1024 s and windows of whole eighths, so that every column boundary is
// exact and an incremental result can be compared with a fresh one bit for bit.
constexpr double kTick = 1.0 / 1024;

bool timeOrdered(const std::vector<Sample> &points)
{
    return std::is_sorted(
        points.begin(), points.end(), [](const Sample &a, const Sample &b) { return a.t < b.t; });
}

} // namespace

class TestScrollingDecimator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void nothingToDrawWithoutSamples()
    {
        SampleBuffer buffer(16);
        ScrollingDecimator decimator;
        QVERIFY(decimator.points(buffer, 100, 10, 100).empty());
    }

    // Frame after frame, with samples arriving between frames and the window scrolling, the
    // incremental result is the one a decimator seeing the buffer for the first time computes.
    void incrementalMatchesAFreshDecimation()
    {
        const double windowS = 8;
        const int columns = 64; // columns of 1/8 s
        SampleBuffer buffer(1 << 16);
        ScrollingDecimator incremental;
        QRandomGenerator random(77);
        qint64 tick = 0;
        double now = 0;
        for (int frame = 0; frame < 1500; ++frame) {
            const int arriving = int(random.bounded(40));
            for (int i = 0; i < arriving; ++i) {
                tick += 1 + random.bounded(3);
                buffer.append(double(tick) * kTick, random.bounded(10.0));
            }
            // now never goes back, and runs at or ahead of the latest sample, on the same grid
            now = std::max(now, double(tick + random.bounded(20)) * kTick);
            const std::vector<Sample> points = incremental.points(buffer, now, windowS, columns);
            ScrollingDecimator fresh;
            QCOMPARE(points, fresh.points(buffer, now, windowS, columns));
            QVERIFY(timeOrdered(points));
            QVERIFY(qsizetype(points.size()) <= 2 * qsizetype(columns + 4));
        }
        QVERIFY(double(tick) * kTick > 4 * windowS); // it did scroll through several windows
    }

    void theLatestValueIsDrawnAndHeldUntilNow()
    {
        SampleBuffer buffer(1024);
        ScrollingDecimator decimator;
        for (int i = 0; i < 100; ++i)
            buffer.append(i * 0.01, i);
        const std::vector<Sample> points = decimator.points(buffer, 1.5, 10, 200);
        QCOMPARE(points.back(), (Sample{1.5, 99.0}));
        QCOMPARE(points[points.size() - 2], (Sample{0.99, 99.0}));

        // a sample at exactly now needs no held copy
        buffer.append(1.5, -3.0);
        QCOMPARE(decimator.points(buffer, 1.5, 10, 200).back(), (Sample{1.5, -3.0}));
    }

    void aLatestValueOlderThanTheWindowIsStillDrawn()
    {
        SampleBuffer buffer(1024);
        ScrollingDecimator decimator;
        buffer.append(0.0, 1.0);
        buffer.append(1.0, 7.0);
        (void)decimator.points(buffer, 2.0, 10, 100);
        const std::vector<Sample> points = decimator.points(buffer, 100.0, 10, 100);
        QCOMPARE(points, (std::vector<Sample>{{1.0, 7.0}, {100.0, 7.0}}));
    }

    // A stage at rest publishes rarely: a value known since before the window is drawn from the
    // window's left edge, not from the next sample on (issue 18 item 5: its trace started
    // part-way across the window).
    void aValueHeldFromBeforeTheWindowIsDrawnFromItsLeftEdge()
    {
        SampleBuffer buffer(1024);
        buffer.append(0.0, 5.0);
        buffer.append(25.0, 5.0); // republished (another property changed), same position
        ScrollingDecimator decimator;
        const std::vector<Sample> points = decimator.points(buffer, 30.0, 10, 100);
        QCOMPARE(points.front(), (Sample{0.0, 5.0}));
        QCOMPARE(points.back(), (Sample{30.0, 5.0}));
        QVERIFY(timeOrdered(points));
        // and again as the window scrolls, on an incremental decimator as on a fresh one
        for (double now = 30.25; now < 40; now += 0.25) {
            ScrollingDecimator fresh;
            const std::vector<Sample> scrolled = decimator.points(buffer, now, 10, 100);
            QCOMPARE(scrolled, fresh.points(buffer, now, 10, 100));
            QVERIFY(scrolled.front().t <= now - 10);
        }
        // the newest sample before the window is the one it enters from
        buffer.append(39.0, 6.0);
        const std::vector<Sample> later = decimator.points(buffer, 49.9, 10, 100);
        QCOMPARE(later.front(), (Sample{39.0, 6.0}));
    }

    void pointsStayBoundedByTheColumns()
    {
        SampleBuffer buffer(1 << 20);
        ScrollingDecimator decimator;
        const int columns = 500;
        for (int i = 0; i < 1'000'000; ++i)
            buffer.append(i * 1e-5, double((qint64(i) * 7919) % 1000));
        const std::vector<Sample> points = decimator.points(buffer, 10.0, 10.0, columns);
        QVERIFY2(qsizetype(points.size()) <= 2 * qsizetype(columns + 4),
            qPrintable(QString::number(points.size())));
        QVERIFY(points.size() > size_t(columns)); // every column has something to show
        QVERIFY(timeOrdered(points));
    }

    void aSpikeSurvivesScrollingUntilItLeavesTheWindow()
    {
        SampleBuffer buffer(1 << 16);
        ScrollingDecimator decimator;
        const Sample spike{2.0, 1000.0};
        qint64 tick = 0;
        auto contains = [](const std::vector<Sample> &points, Sample sample) {
            return std::find(points.begin(), points.end(), sample) != points.end();
        };
        for (; double(tick) * kTick < 12.0; ++tick) {
            const double t = double(tick) * kTick;
            buffer.append(t, t == spike.t ? spike.value : 0.0);
            if (tick % 16 == 0) {
                const std::vector<Sample> points = decimator.points(buffer, t, 8, 64);
                // Drawn from when it arrives while its column (of 1/8 s) is in the window or
                // just left of it, which the window's start leaves at 2.25 s (t = 10.25 s).
                QCOMPARE(contains(points, spike), t >= spike.t && t < 10.25);
            }
        }
    }

    void anotherWindowOrWidthDecimatesAgain()
    {
        SampleBuffer buffer(1 << 16);
        ScrollingDecimator decimator;
        for (qint64 tick = 0; tick < 20'000; ++tick)
            buffer.append(double(tick) * kTick, double(tick % 100));
        const double now = 20'000 * kTick;
        (void)decimator.points(buffer, now, 8, 64);
        for (const auto &[windowS, columns] : {std::pair{16.0, 64}, {16.0, 128}, {4.0, 128}}) {
            ScrollingDecimator fresh;
            QCOMPARE(decimator.points(buffer, now, windowS, columns),
                fresh.points(buffer, now, windowS, columns));
        }
    }
};

QTEST_GUILESS_MAIN(TestScrollingDecimator)
#include "tst_scrollingdecimator.moc"
