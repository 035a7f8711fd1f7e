// SPDX-License-Identifier: MIT
// sleep(), sleepUntil(), pollUntil(), yield(), the scheduler's round robin and the ManualClock.
#include "testsupport.h"

#include <async/async.h>
#include <async/wakeadvance_p.h>

#include <QCoroTask>
#include <QTest>

#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;
using Benchtop::Test::EventLoopChecker;
using Benchtop::Test::LiveCounter;

class TestSleep : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void sleepNeverReturnsEarly()
    {
        TaskGroup group;
        const std::vector<Clock::duration> requested{1ms, 3ms, 10ms, 25ms, 40ms};
        std::vector<Clock::duration> slept(requested.size());
        for (std::size_t i = 0; i < requested.size(); ++i) {
            group.spawn([&, i]() -> QCoro::Task<> {
                const TimePoint start = Clock::now();
                co_await sleep(requested[i]);
                slept[i] = Clock::now() - start;
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 5000);
        for (std::size_t i = 0; i < requested.size(); ++i)
            QVERIFY2(slept[i] >= requested[i], qPrintable(QString::number(i)));
    }

    void sleepNeverReturnsEarlyOnceWokenAheadOfTime()
    {
        // After a few wake-ups the scheduler arms its timerfd early (WakeAdvance) and waits the
        // rest on the CPU: the sleepers must still resume at or after their deadlines.
        TaskGroup group;
        int early = 0;
        int done = 0;
        group.spawn([&]() -> QCoro::Task<> {
            for (int i = 0; i < 200; ++i) {
                const TimePoint deadline = Clock::now() + 1ms;
                co_await sleepUntil(deadline);
                early += Clock::now() < deadline;
                ++done;
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 10000);
        QCOMPARE(done, 200);
        QCOMPARE(early, 0);
    }

    void wakeAdvanceSettlesWhereAboutOneWakeInTenIsLater()
    {
        using detail::WakeAdvance;
        WakeAdvance advance;
        // 90% of wakes 40 us late, 10% 150 us: the estimate ends between the two.
        for (int i = 0; i < 2000; ++i)
            advance.learn(i % 10 == 0 ? 150us : 40us);
        QVERIFY2(advance.estimate() >= 36us && advance.estimate() <= 150us,
            qPrintable(QString::number(advance.estimate().count())));
        // Wakes spread evenly over 0..99 us: about the 90th percentile.
        WakeAdvance spread;
        for (int i = 0; i < 20000; ++i)
            spread.learn(std::chrono::microseconds((i * 37) % 100));
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(spread.estimate());
        QVERIFY2(us >= 80us && us <= 97us, qPrintable(QString::number(us.count())));
    }

    void wakeAdvanceIsBoundedAndMovedLittleByOneOutlier()
    {
        using detail::WakeAdvance;
        WakeAdvance advance;
        for (int i = 0; i < 100; ++i)
            advance.learn(40us);
        const auto before = advance.estimate();
        advance.learn(5ms); // the loop was busy elsewhere when the timer fired
        QCOMPARE(advance.estimate() - before, WakeAdvance::kStep);
        for (int i = 0; i < 1000; ++i)
            advance.learn(2ms);
        QCOMPARE(advance.estimate(), WakeAdvance::kMaxAdvance);
        // Only waits long enough for the thread to go idle are armed early.
        QCOMPARE(advance.advanceFor(WakeAdvance::kIdleThreshold), WakeAdvance::kMaxAdvance);
        QCOMPARE(advance.advanceFor(WakeAdvance::kIdleThreshold - 1us), Clock::duration::zero());
    }

    void wakeAdvanceCanBeTurnedOffFromTheEnvironment()
    {
        using detail::WakeAdvance;
        qputenv("BENCHTOP_WAKE_ADVANCE", "0");
        WakeAdvance off;
        qunsetenv("BENCHTOP_WAKE_ADVANCE");
        for (int i = 0; i < 100; ++i)
            off.learn(100us);
        QVERIFY(off.estimate() > Clock::duration::zero()); // still learned, for diagnostics
        QCOMPARE(off.advanceFor(10ms), Clock::duration::zero());
    }

    void sleepDoesNotBlockTheEventLoop()
    {
        EventLoopChecker checker;
        Benchtop::Test::waitFor(sleep(200ms));
        QVERIFY2(checker.ticks() >= 5, qPrintable(QString::number(checker.ticks())));
    }

    void sleepUntilAPastDeadlineResumesOnTheNextPass()
    {
        bool resumed = false;
        TaskGroup group;
        group.spawn([&]() -> QCoro::Task<> {
            co_await sleepUntil(Clock::now() - 1s);
            resumed = true;
        });
        QVERIFY(!resumed); // it did suspend
        QTRY_VERIFY_WITH_TIMEOUT(resumed, 2000);
    }

    void yieldRunsReadyTasksRoundRobin()
    {
        std::vector<std::string> order;
        TaskGroup group;
        for (char name : {'a', 'b', 'c'}) {
            group.spawn([&order, name]() -> QCoro::Task<> {
                for (int i = 0; i < 3; ++i) {
                    order.push_back(std::string(1, name) + std::to_string(i));
                    co_await yield();
                }
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 2000);
        const std::vector<std::string> expected{
            "a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"};
        QCOMPARE(order, expected);
    }

    void zeroSleepIsAYield()
    {
        std::vector<int> order;
        TaskGroup group;
        for (int id : {1, 2}) {
            group.spawn([&order, id]() -> QCoro::Task<> {
                order.push_back(id);
                co_await sleep(0ms);
                order.push_back(id + 10);
            });
        }
        QCOMPARE(order, (std::vector<int>{1, 2}));
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 2000);
        QCOMPARE(order, (std::vector<int>{1, 2, 11, 12}));
    }

    void yieldingTasksDoNotStarveQtEvents()
    {
        // Two tasks yield in a loop; Qt's own timer must still fire between passes.
        bool stop = false;
        TaskGroup group;
        long spins = 0;
        for (int i = 0; i < 2; ++i) {
            group.spawn([&]() -> QCoro::Task<> {
                while (!stop) {
                    ++spins;
                    co_await yield();
                }
            });
        }
        EventLoopChecker checker(1ms);
        QTRY_VERIFY_WITH_TIMEOUT(checker.ticks() >= 10, 5000);
        stop = true;
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 2000);
        QVERIFY(spins > 10);
    }

    void sleepersWakeInDeadlineOrderAtTheirDeadlines()
    {
        ManualClock clock;
        const TimePoint start = clock.now();
        std::vector<int> woke;
        TaskGroup group;
        for (int ms : {30, 10, 20, 10}) {
            group.spawn([&woke, ms]() -> QCoro::Task<> {
                co_await sleep(std::chrono::milliseconds(ms));
                woke.push_back(ms);
            });
        }
        clock.advance(9ms);
        QVERIFY(woke.empty());
        clock.advance(1ms);
        QCOMPARE(woke.size(), 2u);
        QCOMPARE(clock.now() - start, Clock::duration(10ms));
        clock.advance(100ms);
        QCOMPARE(woke, (std::vector<int>{10, 10, 20, 30}));
        QVERIFY(group.isEmpty());
    }

    void manualClockRunsEachTimerAtItsOwnDeadline()
    {
        ManualClock clock;
        const TimePoint start = clock.now();
        std::vector<Clock::duration> seen;
        TaskGroup group;
        group.spawn([&]() -> QCoro::Task<> {
            for (int i = 0; i < 3; ++i) {
                co_await sleep(7ms);
                seen.push_back(now() - start);
            }
        });
        clock.advance(1s); // one jump: every wake-up still sees its own deadline
        QCOMPARE(seen, (std::vector<Clock::duration>{7ms, 14ms, 21ms}));
    }

    void pollUntilChecksOnAGridSoQueryTimeDoesNotAddUp()
    {
        // Each check is a query taking 0.3 ms: relative sleeps would check at 0, 1.3, 2.6 ...;
        // the grid checks at 0, 1, 2, 3 ms from the start.
        ManualClock clock;
        const TimePoint start = clock.now();
        std::vector<Clock::duration> checkedAt;
        int checks = 0;
        TaskGroup group;
        group.spawn([&]() -> QCoro::Task<> {
            checks = co_await pollUntil(
                [&]() -> Task<bool> {
                    checkedAt.push_back(now() - start);
                    co_await sleep(300us);
                    co_return checkedAt.size() == 4;
                },
                1ms);
        });
        clock.advance(1s);
        QCOMPARE(checks, 4);
        QCOMPARE(checkedAt, (std::vector<Clock::duration>{0ms, 1ms, 2ms, 3ms}));
    }

    void pollUntilSkipsTheGridPointsASlowCheckOverran()
    {
        ManualClock clock;
        const TimePoint start = clock.now();
        std::vector<Clock::duration> checkedAt;
        TaskGroup group;
        group.spawn([&]() -> QCoro::Task<> {
            co_await pollUntil(
                [&]() -> Task<bool> {
                    checkedAt.push_back(now() - start);
                    co_await sleep(2500us);
                    co_return checkedAt.size() == 3;
                },
                1ms);
        });
        clock.advance(1s);
        QCOMPARE(checkedAt, (std::vector<Clock::duration>{0ms, 3ms, 6ms}));
    }

    void pollUntilReturnsAtOnceWhenAlreadyReady()
    {
        ManualClock clock;
        int checks = 0;
        TaskGroup group;
        group.spawn(
            [&]() -> QCoro::Task<> { checks = co_await pollUntil([] { return true; }, 1h); });
        clock.advance(0ms);
        QCOMPARE(checks, 1);
        QVERIFY(group.isEmpty());
    }

    void equalDeadlinesWakeInTheOrderTheyWereSet()
    {
        ManualClock clock;
        const TimePoint deadline = clock.now() + 5ms;
        std::vector<int> order;
        TaskGroup group;
        for (int id = 0; id < 5; ++id) {
            group.spawn([&order, id, deadline]() -> QCoro::Task<> {
                co_await sleepUntil(deadline);
                order.push_back(id);
            });
        }
        clock.advance(5ms);
        QCOMPARE(order, (std::vector<int>{0, 1, 2, 3, 4}));
    }

    void cancelWhileSleepingUnwindsAtOnce()
    {
        ManualClock clock;
        int live = 0;
        bool sawCancelled = false;
        bool ranPastSleep = false;
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<> {
            LiveCounter alive(live);
            try {
                co_await sleep(1h);
                ranPastSleep = true;
            } catch (const Cancelled &) {
                sawCancelled = true;
                throw;
            }
        });
        QCOMPARE(live, 1);
        task.cancel();
        clock.advance(0ms); // no time passes: cancellation does not wait for the timer
        QVERIFY(sawCancelled);
        QVERIFY(!ranPastSleep);
        QCOMPARE(live, 0);
        QVERIFY(task.isCancelled());
        clock.advance(2h); // the timer is gone: nothing resumes twice
        QVERIFY(!ranPastSleep);
    }

    void cancelWhileYieldingUnwinds()
    {
        bool sawCancelled = false;
        long spins = 0;
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<> {
            try {
                for (;;) {
                    ++spins;
                    co_await yield();
                }
            } catch (const Cancelled &) {
                sawCancelled = true;
                throw;
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(spins > 3, 2000);
        task.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QVERIFY(sawCancelled);
        QVERIFY(task.isCancelled());
    }

    void cancelRequestedWhileRunningIsDeliveredAtTheNextAwait()
    {
        ManualClock clock;
        TaskGroup group;
        bool afterFirstAwait = false;
        bool sawCancelled = false;
        group.spawn([&]() -> QCoro::Task<> {
            group.cancel(); // cancels itself while running: nothing to interrupt yet
            try {
                co_await sleep(1ms);
                afterFirstAwait = true;
            } catch (const Cancelled &) {
                sawCancelled = true;
            }
        });
        clock.advance(0ms);
        QVERIFY(sawCancelled);
        QVERIFY(!afterFirstAwait);
    }
};

QTEST_GUILESS_MAIN(TestSleep)
#include "tst_sleep.moc"
