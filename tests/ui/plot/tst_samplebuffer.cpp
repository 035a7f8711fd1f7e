// SPDX-License-Identifier: MIT
// SampleBuffer: the bounded ring of a plotted series and its min/max-per-column decimation.
#include "testsupport.h"

#include <plot/samplebuffer.h>

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

// What decimation promises, checked by brute force: the output is made of real samples of the
// window, in time order, and for every column holding samples it has that column's true
// minimum and maximum.
void verifyDecimation(
    const SampleBuffer &buffer, double t0, double t1, int columns, const std::vector<Sample> &out)
{
    std::vector<Sample> window;
    for (qsizetype i = 0; i < buffer.size(); ++i) {
        if (buffer.at(i).t >= t0 && buffer.at(i).t < t1)
            window.push_back(buffer.at(i));
    }
    QVERIFY(qsizetype(out.size()) <= 2 * columns + 2);
    QVERIFY(std::is_sorted(
        out.begin(), out.end(), [](const Sample &a, const Sample &b) { return a.t < b.t; }));
    for (const Sample &point : out)
        QVERIFY(std::find(window.begin(), window.end(), point) != window.end());
    if (window.empty()) {
        QVERIFY(out.empty());
        return;
    }
    QCOMPARE(out.front(), window.front());
    QCOMPARE(out.back(), window.back());

    const double columnsPerSecond = columns / (t1 - t0); // as decimate() computes it
    for (int column = 0; column < columns; ++column) {
        auto inColumn = [&](const Sample &s) {
            return std::min(columns - 1, int((s.t - t0) * columnsPerSecond)) == column;
        };
        double trueMin = std::numeric_limits<double>::infinity();
        double trueMax = -trueMin;
        double shownMin = trueMin;
        double shownMax = -trueMin;
        for (const Sample &s : window) {
            if (inColumn(s)) {
                trueMin = std::min(trueMin, s.value);
                trueMax = std::max(trueMax, s.value);
            }
        }
        for (const Sample &s : out) {
            if (inColumn(s)) {
                shownMin = std::min(shownMin, s.value);
                shownMax = std::max(shownMax, s.value);
            }
        }
        QCOMPARE(shownMin, trueMin);
        QCOMPARE(shownMax, trueMax);
    }
}

} // namespace

class TestSampleBuffer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void emptyBufferHasNothing()
    {
        const SampleBuffer buffer(8);
        QVERIFY(buffer.isEmpty());
        QCOMPARE(buffer.size(), 0);
        QVERIFY(!buffer.latest());
        QCOMPARE(buffer.lowerBound(0.0), 0);
        QVERIFY(buffer.decimate(-10, 10, 100).empty());
    }

    void keepsSamplesInOrder()
    {
        SampleBuffer buffer(8);
        buffer.append(1.0, 10.0);
        buffer.append(2.0, 20.0);
        buffer.append(2.0, 21.0);
        QCOMPARE(buffer.size(), 3);
        QCOMPARE(buffer.at(0), (Sample{1.0, 10.0}));
        QCOMPARE(buffer.at(2), (Sample{2.0, 21.0}));
        QCOMPARE(*buffer.latest(), (Sample{2.0, 21.0}));
        QCOMPARE(buffer.lowerBound(2.0), 1);
        QCOMPARE(buffer.lowerBound(2.5), 3);
    }

    void anOlderTimeIsTakenAsTheLatest()
    {
        SampleBuffer buffer(8);
        buffer.append(5.0, 1.0);
        buffer.append(3.0, 2.0);
        QCOMPARE(*buffer.latest(), (Sample{5.0, 2.0}));
    }

    void nonFiniteSamplesAreIgnored()
    {
        SampleBuffer buffer(8);
        buffer.append(1.0, std::nan(""));
        buffer.append(std::numeric_limits<double>::infinity(), 1.0);
        buffer.append(2.0, -std::numeric_limits<double>::infinity());
        QVERIFY(buffer.isEmpty());
    }

    void wrapsAroundDroppingTheOldest()
    {
        SampleBuffer buffer(4);
        for (int i = 0; i < 10; ++i)
            buffer.append(i, i * 10.0);
        QCOMPARE(buffer.size(), 4);
        QCOMPARE(buffer.capacity(), 4);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(buffer.at(i), (Sample{6.0 + i, (6.0 + i) * 10}));
        QCOMPARE(*buffer.latest(), (Sample{9.0, 90.0}));
        QCOMPARE(buffer.lowerBound(0.0), 0);
        QCOMPARE(buffer.lowerBound(7.5), 2);
        QCOMPARE(buffer.lowerBound(100.0), 4);
        const std::vector<Sample> all = buffer.decimate(0, 100, 1000);
        QCOMPARE(all, (std::vector<Sample>{{6, 60}, {7, 70}, {8, 80}, {9, 90}}));

        buffer.clear();
        QVERIFY(buffer.isEmpty());
        buffer.append(100.0, 1.0);
        QCOMPARE(buffer.at(0), (Sample{100.0, 1.0}));
    }

    // Allocated up front (a plot's envelope, so that it never grows), a buffer holds, wraps and
    // clears exactly as one that grows.
    void anUpfrontAllocationBehavesTheSame()
    {
        SampleBuffer growing(5);
        SampleBuffer upfront(5, SampleBuffer::Allocation::Upfront);
        QVERIFY(upfront.isEmpty());
        QCOMPARE(upfront.size(), 0);
        QVERIFY(!upfront.latest());
        for (int round = 0; round < 2; ++round) {
            for (int i = 0; i < 13; ++i) {
                growing.append(i, i * 2.0);
                upfront.append(i, i * 2.0);
                QCOMPARE(upfront.size(), growing.size());
                for (qsizetype j = 0; j < growing.size(); ++j)
                    QCOMPARE(upfront.at(j), growing.at(j));
                QCOMPARE(upfront.lowerBound(i - 2.5), growing.lowerBound(i - 2.5));
            }
            growing.clear();
            upfront.clear();
            QVERIFY(upfront.isEmpty());
        }
    }

    void oneSampleIsOnePoint()
    {
        SampleBuffer buffer(8);
        buffer.append(1.5, 42.0);
        QCOMPARE(buffer.decimate(0, 10, 100), (std::vector<Sample>{{1.5, 42.0}}));
        QCOMPARE(buffer.decimate(0, 10, 1), (std::vector<Sample>{{1.5, 42.0}}));
    }

    void moreColumnsThanSamplesKeepsEverySample()
    {
        SampleBuffer buffer(100);
        std::vector<Sample> appended;
        for (int i = 0; i < 50; ++i) {
            appended.push_back({i * 0.1, std::sin(i * 0.7)});
            buffer.append(appended.back().t, appended.back().value);
        }
        QCOMPARE(buffer.decimate(0, 5, 1000), appended);
    }

    void samplesOutsideTheWindowAreExcluded()
    {
        SampleBuffer buffer(1000);
        for (int i = 0; i < 100; ++i)
            buffer.append(i, i % 2 ? 1000.0 : -1000.0 + i);
        const std::vector<Sample> out = buffer.decimate(10, 20, 3);
        QVERIFY(!out.empty());
        for (const Sample &s : out)
            QVERIFY2(s.t >= 10 && s.t < 20, qPrintable(QString::number(s.t)));
        QCOMPARE(out.front().t, 10.0);
        QCOMPARE(out.back().t, 19.0);
        verifyDecimation(buffer, 10, 20, 3, out);

        QVERIFY(buffer.decimate(200, 300, 10).empty());
        QVERIFY(buffer.decimate(-20, -10, 10).empty());
        QVERIFY(buffer.decimate(20, 10, 10).empty());
        QVERIFY(buffer.decimate(0, 100, 0).empty());
    }

    void spikesAreNeverLost()
    {
        SampleBuffer buffer(200'000);
        for (int i = 0; i < 100'000; ++i) {
            double value = 0.001 * (i % 7);
            if (i == 31'337)
                value = 50.0;
            if (i == 77'777)
                value = -20.0;
            buffer.append(i * 1e-4, value);
        }
        const std::vector<Sample> out = buffer.decimate(0, 10, 300);
        QVERIFY(out.size() <= 602);
        auto has
            = [&](Sample sample) { return std::find(out.begin(), out.end(), sample) != out.end(); };
        QVERIFY(has(buffer.at(31'337)));
        QVERIFY(has(buffer.at(77'777)));
        verifyDecimation(buffer, 0, 10, 300, out);
    }

    void decimationKeepsEveryColumnsExtremes_data()
    {
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("columns");
        QTest::addColumn<double>("t0");
        QTest::addColumn<double>("t1");
        QTest::newRow("dense") << 50'000 << 50'000 << 640 << 0.0 << 50.0;
        QTest::newRow("sparse") << 300 << 1000 << 640 << 0.0 << 30.0;
        QTest::newRow("one column") << 1000 << 1000 << 1 << 0.0 << 100.0;
        QTest::newRow("wrapped ring") << 25'000 << 10'000 << 200 << 0.0 << 1e9;
        QTest::newRow("part of the window") << 10'000 << 10'000 << 97 << 3.3 << 7.7;
        QTest::newRow("window past the data") << 10'000 << 10'000 << 50 << 9.0 << 20.0;
    }

    void decimationKeepsEveryColumnsExtremes()
    {
        QFETCH(int, samples);
        QFETCH(int, capacity);
        QFETCH(int, columns);
        QFETCH(double, t0);
        QFETCH(double, t1);
        QRandomGenerator random(1234);
        SampleBuffer buffer(capacity);
        double t = 0;
        for (int i = 0; i < samples; ++i) {
            t += random.bounded(2e-3); // uneven spacing, some equal times
            buffer.append(t, random.bounded(100.0) - 50.0);
        }
        const std::vector<Sample> out = buffer.decimate(t0, t1, columns);
        verifyDecimation(buffer, t0, t1, columns, out);
    }

    void endsChooseWhetherTheWindowsEdgesAreKept()
    {
        // One column, rising then falling: its extremes are the middle samples.
        SampleBuffer buffer(8);
        for (double value : {1.0, 5.0, -5.0, 2.0})
            buffer.append(double(buffer.size()), value);
        using Ends = SampleBuffer::Ends;
        QCOMPARE(buffer.decimate(0, 4, 1, Ends::Both),
            (std::vector<Sample>{{0, 1}, {1, 5}, {2, -5}, {3, 2}}));
        QCOMPARE(buffer.decimate(0, 4, 1, Ends::LastOnly),
            (std::vector<Sample>{{1, 5}, {2, -5}, {3, 2}}));
        QCOMPARE(buffer.decimate(0, 4, 1, Ends::None), (std::vector<Sample>{{1, 5}, {2, -5}}));

        std::vector<Sample> out{{-1, 0}};
        buffer.decimateInto(out, 0, 4, 1, Ends::None);
        QCOMPARE(out, (std::vector<Sample>{{-1, 0}, {1, 5}, {2, -5}}));
    }
};

QTEST_GUILESS_MAIN(TestSampleBuffer)
#include "tst_samplebuffer.moc"
