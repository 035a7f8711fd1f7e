// SPDX-License-Identifier: MIT
// RetriggerableDelay: the seed's Delay_ms.
#include "testsupport.h"

#include <async/async.h>

#include <QCoroTask>
#include <QTest>

#include <memory>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;

class TestRetriggerableDelay : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void expiresOnceAfterItsDuration()
    {
        ManualClock clock;
        int expired = 0;
        RetriggerableDelay delay(100ms, [&] { ++expired; });
        QVERIFY(!delay.isRunning());
        delay.trigger();
        QVERIFY(delay.isRunning());
        clock.advance(99ms);
        QCOMPARE(expired, 0);
        clock.advance(1ms);
        QCOMPARE(expired, 1);
        QVERIFY(!delay.isRunning());
        clock.advance(1s);
        QCOMPARE(expired, 1);
    }

    void triggerRestartsARunningDelay()
    {
        ManualClock clock;
        const TimePoint start = clock.now();
        std::vector<Clock::duration> expiries;
        RetriggerableDelay delay(100ms, [&] { expiries.push_back(now() - start); });
        delay.trigger();
        clock.advance(60ms);
        delay.trigger(); // a watchdog kicked before it ran out
        clock.advance(60ms);
        QVERIFY(expiries.empty());
        clock.advance(40ms);
        QCOMPARE(expiries, std::vector<Clock::duration>{160ms});
    }

    void triggerWithADurationLeavesTheDefault()
    {
        ManualClock clock;
        int expired = 0;
        RetriggerableDelay delay(100ms, [&] { ++expired; });
        delay.trigger(10ms);
        clock.advance(10ms);
        QCOMPARE(expired, 1);
        QCOMPARE(delay.duration(), Clock::duration(100ms));
        delay.trigger();
        clock.advance(99ms);
        QCOMPARE(expired, 1);
        clock.advance(1ms);
        QCOMPARE(expired, 2);
    }

    void setDurationChangesTheDefault()
    {
        ManualClock clock;
        int expired = 0;
        RetriggerableDelay delay(100ms, [&] { ++expired; });
        delay.setDuration(30ms);
        QCOMPARE(delay.duration(), Clock::duration(30ms));
        delay.trigger();
        clock.advance(29ms);
        QCOMPARE(expired, 0);
        clock.advance(1ms);
        QCOMPARE(expired, 1);
    }

    void stopEndsItWithoutExpiring()
    {
        ManualClock clock;
        int expired = 0;
        RetriggerableDelay delay(50ms, [&] { ++expired; });
        delay.trigger();
        clock.advance(20ms);
        delay.stop();
        QVERIFY(!delay.isRunning());
        clock.advance(1s);
        QCOMPARE(expired, 0);
    }

    void waitResumesAtTheNextExpiry()
    {
        ManualClock clock;
        RetriggerableDelay delay(30ms);
        int woke = 0;
        TaskGroup group;
        group.spawn([&]() -> QCoro::Task<> {
            co_await delay.wait();
            ++woke;
            co_await delay.wait(); // the next expiry, not the one just past
            ++woke;
        });
        delay.trigger();
        clock.advance(30ms);
        QCOMPARE(woke, 1);
        clock.advance(1s);
        QCOMPARE(woke, 1);
        delay.trigger();
        clock.advance(30ms);
        QCOMPARE(woke, 2);
    }

    void theCallbackMayRetrigger()
    {
        ManualClock clock;
        int ticks = 0;
        std::unique_ptr<RetriggerableDelay> delay;
        delay = std::make_unique<RetriggerableDelay>(10ms, [&] {
            if (++ticks < 5)
                delay->trigger();
        });
        delay->trigger();
        clock.advance(1s);
        QCOMPARE(ticks, 5);
    }

    void theCallbackMayDestroyTheDelay()
    {
        ManualClock clock;
        bool called = false;
        auto delay = std::make_unique<RetriggerableDelay>();
        delay->setCallback([&] {
            called = true;
            delay.reset();
        });
        delay->trigger(5ms);
        clock.advance(5ms);
        QVERIFY(called);
        QVERIFY(!delay);
    }

    void runsOnRealTimeToo()
    {
        bool expired = false;
        RetriggerableDelay delay(20ms, [&] { expired = true; });
        const TimePoint start = Clock::now();
        delay.trigger();
        QTRY_VERIFY_WITH_TIMEOUT(expired, 2000);
        QVERIFY(Clock::now() - start >= 20ms);
    }
};

QTEST_GUILESS_MAIN(TestRetriggerableDelay)
#include "tst_retriggerabledelay.moc"
