// SPDX-License-Identifier: MIT
// SeriesHistory: a plotted series' recent samples and older envelope, in memory that stops
// growing, drawn as if every sample had been kept.
#include "testsupport.h"

#include <plot/scrollingdecimator.h>
#include <plot/serieshistory.h>

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

// Times on a grid of 1/1024 s: bucket and column boundaries are exact.
constexpr double kTick = 1.0 / 1024;

std::vector<Sample> viewed(const SeriesHistory &history)
{
    std::vector<Sample> samples;
    const SeriesHistory::View view = history.view();
    for (qsizetype i = 0; i < view.size(); ++i)
        samples.push_back(view.at(i));
    return samples;
}

bool timeOrdered(const std::vector<Sample> &samples)
{
    return std::is_sorted(
        samples.begin(), samples.end(), [](const Sample &a, const Sample &b) { return a.t < b.t; });
}

// Appends `seconds` of a random walk at about `rateHz` to `history` and `all`, from `tick`.
void feed(SeriesHistory &history, std::vector<Sample> &all, qint64 &tick, double seconds,
    double rateHz, QRandomGenerator &random)
{
    const qint64 end = tick + qint64(seconds / kTick);
    const auto step = qint64(1 / (rateHz * kTick));
    double value = all.empty() ? 0 : all.back().value;
    while (tick < end) {
        tick += 1 + random.bounded(2 * step);
        value += random.bounded(2.0) - 1.0;
        history.append(double(tick) * kTick, value);
        all.push_back({double(tick) * kTick, value});
    }
}

} // namespace

class TestSeriesHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void holdsEverySampleOfTheLastMinute()
    {
        SeriesHistory history;
        QVERIFY(history.isEmpty());
        QVERIFY(!history.latest());
        std::vector<Sample> all;
        QRandomGenerator random(1);
        qint64 tick = 0;
        feed(history, all, tick, 50, 100, random);
        QCOMPARE(viewed(history), all); // nothing dropped yet: the view is every sample
        QCOMPARE(*history.latest(), all.back());

        feed(history, all, tick, 600, 100, random);
        const double latestT = all.back().t;
        std::vector<Sample> lastMinute;
        std::copy_if(all.begin(), all.end(), std::back_inserter(lastMinute),
            [&](const Sample &s) { return s.t >= latestT - SeriesHistory::kRecentS; });
        const std::vector<Sample> held = viewed(history);
        QVERIFY(timeOrdered(held));
        QVERIFY(std::search(held.begin(), held.end(), lastMinute.begin(), lastMinute.end())
            != held.end());
        QVERIFY(history.recentCount() <= qsizetype(lastMinute.size()) + 1);
    }

    // Before the last minute, each bucket keeps its true minimum and maximum samples, so a
    // spike of ten minutes ago is still drawn.
    void olderBucketsKeepTheirExtremes()
    {
        SeriesHistory history;
        std::vector<Sample> all;
        QRandomGenerator random(2);
        qint64 tick = 0;
        feed(history, all, tick, 20, 200, random);
        history.append(double(++tick) * kTick, 1e6);
        all.push_back({double(tick) * kTick, 1e6});
        history.append(double(++tick) * kTick, 0); // and back: the walk goes on from 0
        all.push_back({double(tick) * kTick, 0});
        feed(history, all, tick, 600, 200, random);

        const std::vector<Sample> held = viewed(history);
        QVERIFY(timeOrdered(held));
        QVERIFY(
            std::any_of(held.begin(), held.end(), [](const Sample &s) { return s.value == 1e6; }));
        // Every held sample is a real one, and every old bucket has its min and max.
        const double recentFrom = held.back().t - SeriesHistory::kRecentS;
        for (double bucketStart = 0; bucketStart + SeriesHistory::kBucketS < recentFrom - 1;
             bucketStart += SeriesHistory::kBucketS) {
            const double bucketEnd = bucketStart + SeriesHistory::kBucketS;
            double low = std::numeric_limits<double>::infinity();
            double high = -low;
            for (const Sample &s : all) {
                if (s.t >= bucketStart && s.t < bucketEnd) {
                    low = std::min(low, s.value);
                    high = std::max(high, s.value);
                }
            }
            double heldLow = std::numeric_limits<double>::infinity();
            double heldHigh = -heldLow;
            for (const Sample &s : held) {
                if (s.t >= bucketStart && s.t < bucketEnd) {
                    heldLow = std::min(heldLow, s.value);
                    heldHigh = std::max(heldHigh, s.value);
                }
            }
            QCOMPARE(heldLow, low);
            QCOMPARE(heldHigh, high);
        }
        for (const Sample &s : held)
            QVERIFY(std::binary_search(all.begin(), all.end(), s,
                [](const Sample &a, const Sample &b) { return a.t < b.t; }));
    }

    // What makes an open plot's memory stop growing: after two hours at 100 Hz, the history
    // holds a minute of samples and an hour's envelope, whatever ran before.
    void memoryIsBoundedByRateNotByTime()
    {
        SeriesHistory history;
        std::vector<Sample> all;
        QRandomGenerator random(3);
        qint64 tick = 0;
        feed(history, all, tick, 2 * 3600, 100, random);
        QVERIFY(history.recentCount() <= qsizetype(SeriesHistory::kRecentS * 100 * 1.1));
        const std::vector<Sample> held = viewed(history);
        QVERIFY(qsizetype(held.size()) <= SeriesHistory::kEnvelopeSamples + history.recentCount());
        QVERIFY(held.front().t >= all.back().t - SeriesHistory::kEnvelopeS - 1);
        QVERIFY(held.front().t <= all.back().t - 3600); // an hour's window is still covered
    }

    // At rates past kMaxRecentSamples per minute, fewer recent samples are kept, and the
    // envelope still covers everything before them.
    void veryFastSeriesAreCapped()
    {
        SeriesHistory history;
        for (qint64 i = 0; i < 600'000; ++i)
            history.append(double(i) * 1e-4, double(i % 1000));
        QCOMPARE(history.recentCount(), SeriesHistory::kMaxRecentSamples);
        const std::vector<Sample> held = viewed(history);
        QVERIFY(timeOrdered(held));
        QCOMPARE(held.front().t, 0.0);
        QCOMPARE(held.back().t, 599'999 * 1e-4);
    }

    void ignoresWhatCannotBePlotted()
    {
        SeriesHistory history;
        history.append(1, 5);
        history.append(std::numeric_limits<double>::quiet_NaN(), 1);
        history.append(2, std::numeric_limits<double>::infinity());
        history.append(0.5, 7); // earlier than the latest: taken as simultaneous with it
        const std::vector<Sample> held = viewed(history);
        QCOMPARE(held, (std::vector<Sample>{{1, 5}, {1, 7}}));
        history.clear();
        QVERIFY(history.isEmpty());
        QCOMPARE(history.view().size(), 0);
    }

    // A ten-minute window drawn frame after frame while the samples under it turn into the
    // envelope gives what a decimator seeing the history for the first time computes, and each
    // column's extremes are those of every sample ever appended.
    void scrollingDecimationIsAsIfEverySampleWereKept()
    {
        const double windowS = 600;
        const int columns = 600; // columns of 1 s: whole buckets
        SeriesHistory history;
        std::vector<Sample> all;
        ScrollingDecimator incremental;
        QRandomGenerator random(4);
        qint64 tick = 0;
        double now = 0;
        for (int frame = 0; frame < 3000; ++frame) {
            feed(history, all, tick, 0.5, 50, random);
            now = std::max(now, double(tick) * kTick);
            const std::vector<Sample> points = incremental.points(history, now, windowS, columns);
            if (frame % 60 != 59)
                continue;
            ScrollingDecimator fresh;
            QCOMPARE(points, fresh.points(history, now, windowS, columns));
            QVERIFY(timeOrdered(points));
            // Column by column, the drawn extremes are the true ones.
            SampleBuffer everything(qsizetype(all.size()));
            for (const Sample &s : all)
                everything.append(s.t, s.value);
            ScrollingDecimator exact;
            const std::vector<Sample> truth = exact.points(everything, now, windowS, columns);
            QCOMPARE(points, truth);
        }
        QVERIFY(now > 2 * windowS);
    }
};

QTEST_GUILESS_MAIN(TestSeriesHistory)
#include "tst_serieshistory.moc"
