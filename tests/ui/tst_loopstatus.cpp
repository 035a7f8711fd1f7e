// SPDX-License-Identifier: MIT
// The device loop's health in the status bar: latency and the slowest call, a hold said while it
// lasts and counted up, the last hold beside the health afterwards, and the log lines about
// holds handed out once each.
#include "testsupport.h"

#include <loopstatus.h>

#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

Async::LoopStall stall(std::chrono::milliseconds held, bool ongoing)
{
    Async::LoopStall s;
    s.owner = QStringLiteral("hog");
    s.task = QStringLiteral("update_state");
    s.held = held;
    s.ongoing = ongoing;
    return s;
}

LoopHealth health(std::chrono::microseconds latency, const QString &slowest = {},
    std::chrono::microseconds slowestTime = 0us)
{
    LoopHealth h;
    h.latency = latency;
    h.worstLatency = 2 * latency;
    h.slowestCall = slowest;
    h.slowestCallTime = slowestTime;
    return h;
}

} // namespace

class TestLoopStatus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void saysTheLatencyAndTheSlowestCall()
    {
        LoopStatus status;
        QCOMPARE(status.objectName(), QStringLiteral("loopStatusLabel"));
        QCOMPARE(status.text(), QStringLiteral("Device loop: no lab open"));

        status.showHealth(health(1500us, "stage.set_position", 12ms));
        QCOMPARE(status.text(),
            QStringLiteral("Loop latency 1.50 ms · slowest call stage.set_position 12 ms"));
        QVERIFY(status.styleSheet().isEmpty());
        QCOMPARE(status.toolTip(),
            QStringLiteral("Device loop now: wakes 1.50 ms late (worst in the last minute: "
                           "3.00 ms).\nSlowest device call in the last minute: "
                           "stage.set_position, 12 ms."));

        status.showHealth(health(250us));
        QCOMPARE(status.text(), QStringLiteral("Loop latency 0.25 ms"));
        QVERIFY(status.toolTip().endsWith("Slowest device call in the last minute: none."));
    }

    void aLongHoldIsSaidWhileItLastsAndBesideTheHealthAfter()
    {
        LoopStatus status;
        QSignalSpy noted(&status, &LoopStatus::noted);
        status.showHealth(health(300us));

        status.showStall(stall(1000ms, true));
        const QString during = status.text();
        QVERIFY2(
            during.startsWith("Device loop held by hog.update_state for "), qPrintable(during));
        QVERIFY(status.styleSheet().contains("#d03a3a"));
        QCOMPARE(noted.size(), 1);
        QCOMPARE(noted[0],
            (QVariantList{"hog",
                "update_state is holding the device loop: 1.0 s so far; every other device "
                "waits"}));
        QTRY_VERIFY(status.text() != during); // counted up between the watchdog's reports
        status.showStall(stall(2000ms, true)); // the next report: said in the log once
        QCOMPARE(noted.size(), 1);

        status.endStall(stall(2300ms, false));
        QCOMPARE(noted.size(), 2);
        QCOMPARE(noted[1], (QVariantList{"hog", "update_state held the device loop for 2.3 s"}));
        QCOMPARE(status.text(),
            QStringLiteral("Loop latency 0.30 ms · held by hog.update_state for 2.3 s"));
        QVERIFY(status.styleSheet().contains("#c87a10"));
        status.showHealth(health(400us)); // still within the minute
        QCOMPARE(status.text(),
            QStringLiteral("Loop latency 0.40 ms · held by hog.update_state for 2.3 s"));
    }

    void aShortHoldIsNotedWhenItEnds()
    {
        LoopStatus status;
        QSignalSpy noted(&status, &LoopStatus::noted);
        status.showStall(stall(30ms, true));
        QCOMPARE(noted.size(), 0);
        status.endStall(stall(30ms, false));
        QCOMPARE(noted.size(), 1);
        QCOMPARE(noted[0], (QVariantList{"hog", "update_state held the device loop for 30 ms"}));
    }
};

QTEST_MAIN(TestLoopStatus)
#include "tst_loopstatus.moc"
