// SPDX-License-Identifier: MIT
// The loop's health figures: the newest latency, and the worst latency and slowest call of the
// last minute, with older ones forgotten. Driven with made-up times, not the real clock.
#include "testsupport.h"

#include <host/loophealth.h>

#include <QTest>

using namespace Benchtop;
using namespace std::chrono_literals;

namespace {
const LoopHealthMonitor::Clock::time_point t0{1000h};
}

class TestLoopHealth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void emptyReportsNothing()
    {
        LoopHealthMonitor monitor;
        const LoopHealth health = monitor.report(t0);
        QCOMPARE(health.latency.count(), 0);
        QCOMPARE(health.slowestCall, QString());
        QCOMPARE(health.slowestCallTime.count(), 0);
    }

    void keepsTheWorstOfTheLastMinute()
    {
        LoopHealthMonitor monitor;
        monitor.recordLatency(t0, 5ms);
        monitor.recordCall(t0, "stage.home", 3ms);
        monitor.recordLatency(t0 + 10s, 1ms);
        monitor.recordCall(t0 + 10s, "meter.measure", 1ms);
        monitor.recordCall(t0 + 10s + 100ms, "meter.get_measured", 2ms);

        LoopHealth health = monitor.report(t0 + 30s);
        QCOMPARE(health.latency, std::chrono::microseconds(1ms)); // the newest
        QCOMPARE(health.worstLatency, std::chrono::microseconds(5ms));
        QCOMPARE(health.slowestCall, QStringLiteral("stage.home"));
        QCOMPARE(health.slowestCallTime, std::chrono::microseconds(3ms));

        // A minute after the slowest, it is forgotten; the next slowest shows.
        health = monitor.report(t0 + 61s);
        QCOMPARE(health.slowestCall, QStringLiteral("meter.get_measured"));
        QCOMPARE(health.worstLatency, std::chrono::microseconds(1ms));

        // Writing into a bucket a minute later replaces what it held.
        monitor.recordCall(t0 + 60s, "stage.stop", 1us);
        health = monitor.report(t0 + 60s);
        QCOMPARE(health.slowestCall, QStringLiteral("meter.get_measured"));
        QCOMPARE(monitor.report(t0 + 80s).slowestCall, QStringLiteral("stage.stop"));
    }
};

QTEST_GUILESS_MAIN(TestLoopHealth)
#include "tst_loophealth.moc"
