// SPDX-License-Identifier: MIT
#include "testsupport.h"

#include <io/backoff.h>

#include <QTest>

using namespace std::chrono_literals;
using Benchtop::Io::Backoff;

class TestBackoff : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void withoutJitterItDoublesUpToTheLongest()
    {
        Backoff backoff({.first = 100ms, .longest = 1000ms, .factor = 2.0, .jitter = 0.0}, 1);
        QList<qint64> waits;
        for (int i = 0; i < 7; ++i)
            waits << backoff.next().count();
        QCOMPARE(waits, (QList<qint64>{100, 200, 400, 800, 1000, 1000, 1000}));
        QCOMPARE(backoff.attempts(), 7);
    }

    void jitterSpreadsWaitsWithinItsBoundsAndNeverPastTheLongest()
    {
        Backoff backoff({.first = 1000ms, .longest = 4000ms, .factor = 2.0, .jitter = 0.25}, 42);
        QSet<qint64> firsts;
        for (int round = 0; round < 200; ++round) {
            backoff.reset();
            const qint64 first = backoff.next().count();
            QVERIFY2(first >= 750 && first <= 1250, qPrintable(QString::number(first)));
            firsts << first;
            for (int i = 0; i < 10; ++i)
                QVERIFY(backoff.next() <= 4000ms);
        }
        QVERIFY(firsts.size() > 50); // really spread, not one value
    }

    void theSameSeedGivesTheSameWaits()
    {
        Backoff a({}, 7), b({}, 7);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(a.next(), b.next());
    }

    void resetStartsOver()
    {
        Backoff backoff({.first = 10ms, .longest = 10'000ms, .factor = 3.0, .jitter = 0.0}, 1);
        backoff.next();
        backoff.next();
        QCOMPARE(backoff.next(), 90ms);
        backoff.reset();
        QCOMPARE(backoff.attempts(), 0);
        QCOMPARE(backoff.next(), 10ms);
    }

    void manyAttemptsNeitherOverflowNorGrowPastTheLongest()
    {
        Backoff backoff({.first = 1ms, .longest = 60'000ms, .factor = 10.0, .jitter = 0.0}, 1);
        for (int i = 0; i < 10'000; ++i)
            QVERIFY(backoff.next() <= 60'000ms);
        QCOMPARE(backoff.next(), 60'000ms);
    }

    void nonsenseSettingsAreMadeSafe()
    {
        Backoff backoff({.first = 0ms, .longest = -5ms, .factor = 0.5, .jitter = 7.0}, 1);
        for (int i = 0; i < 100; ++i) {
            const auto wait = backoff.next();
            QVERIFY(wait >= 1ms && wait <= backoff.settings().longest);
        }
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
