// SPDX-License-Identifier: MIT
// RunProgress (core/run/runprogress.h): points, rate over a recent window, time left.
#include <run/runprogress.h>

#include <QTest>

using namespace std::chrono_literals;
using namespace Benchtop;
using Run::RunProgress;

class TestRunProgress : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rateAndTimeLeftFollowThePoints()
    {
        const Async::TimePoint t0{};
        RunProgress progress(1000, t0);
        QCOMPARE(progress.rate(), 0.0);
        QVERIFY(!progress.secondsLeft());
        for (int i = 1; i <= 200; ++i)
            progress.pointDone(t0 + i * 10ms); // 100 points/s
        QVERIFY2(qAbs(progress.rate() - 100.0) < 0.01, qPrintable(QString::number(progress.rate())));
        QVERIFY(progress.secondsLeft());
        QVERIFY(qAbs(*progress.secondsLeft() - 8.0) < 0.01); // 800 left at 100/s
        QCOMPARE(progress.summary(), QStringLiteral("point 200 of 1,000 (20.0%), 100 points/s, 0:00:08 left"));
    }

    void theRateFollowsAChangeOfPaceWithinItsWindow()
    {
        const Async::TimePoint t0{};
        RunProgress progress(-1, t0);
        Async::TimePoint t = t0;
        for (int i = 0; i < 1000; ++i)
            progress.pointDone(t += 10ms); // 10 s at 100/s
        for (int i = 0; i < 100; ++i)
            progress.pointDone(t += 100ms); // 10 s at 10/s
        // The window is ~3 s: the old pace is forgotten.
        QVERIFY2(qAbs(progress.rate() - 10.0) < 0.5, qPrintable(QString::number(progress.rate())));
        QVERIFY(!progress.secondsLeft()); // no total
        QCOMPARE(progress.summary(), QStringLiteral("point 1,100, 10.0 points/s"));
    }

    void aPauseIsNotCountedInTheRate()
    {
        const Async::TimePoint t0{};
        RunProgress progress(100, t0);
        Async::TimePoint t = t0;
        for (int i = 0; i < 10; ++i)
            progress.pointDone(t += 100ms);
        t += 60s; // paused a minute
        progress.resumedAt(t);
        for (int i = 0; i < 10; ++i)
            progress.pointDone(t += 100ms);
        QVERIFY2(qAbs(progress.rate() - 10.0) < 0.01, qPrintable(QString::number(progress.rate())));
        QCOMPARE(progress.done(), 20);
    }

    void durationsAreHoursMinutesSecondsRoundedUp()
    {
        QCOMPARE(Run::formatDuration(0), QStringLiteral("0:00:00"));
        QCOMPARE(Run::formatDuration(0.2), QStringLiteral("0:00:01"));
        QCOMPARE(Run::formatDuration(225), QStringLiteral("0:03:45"));
        QCOMPARE(Run::formatDuration(43200), QStringLiteral("12:00:00"));
        QCOMPARE(Run::formatDuration(-5), QStringLiteral("0:00:00"));
    }
};

QTEST_GUILESS_MAIN(TestRunProgress)
#include "tst_runprogress.moc"
