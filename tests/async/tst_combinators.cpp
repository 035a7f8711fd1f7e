// SPDX-License-Identifier: MIT
// timeout, whenAll, whenAny and shield.
#include "testsupport.h"

#include <async/async.h>

#include <QCoroTask>
#include <QTest>

#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;
using Benchtop::Test::LiveCounter;

namespace {

QCoro::Task<int> valueAfter(Clock::duration delay, int value)
{
    co_await sleep(delay);
    co_return value;
}

QCoro::Task<int> failAfter(Clock::duration delay, const char *what)
{
    co_await sleep(delay);
    throw std::runtime_error(what);
}

} // namespace

class TestCombinators : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    // ---- timeout ---------------------------------------------------------------------------

    void timeoutGivesTheResultOfWorkThatFinishesInTime()
    {
        ManualClock clock;
        TaskGroup group;
        auto task = group.spawn([] { return timeout([] { return valueAfter(10ms, 5); }, 50ms); });
        clock.advance(10ms);
        QVERIFY(task.isDone());
        QCOMPARE(task.result(), 5);
        clock.advance(1s); // the timer was cancelled with the call
    }

    // Work done before its first suspension decides at once: the timer, started after the
    // outcome was known, must be cancelled too rather than run to its end.
    void timeoutOfWorkThatNeverSuspends()
    {
        ManualClock clock;
        TaskGroup group;
        auto task = group.spawn([] {
            return timeout([]() -> QCoro::Task<int> { co_return 7; }, 1h);
        });
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QVERIFY(task.isDone());
        QCOMPARE(task.result(), 7);
    }

    void timeoutThrowsAndCancelsTheInnerWork()
    {
        ManualClock clock;
        int live = 0;
        bool innerFinished = false;
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task = group.spawn([&] {
            return timeout(
                [&]() -> QCoro::Task<> {
                    LiveCounter alive(live);
                    co_await sleep(1h);
                    innerFinished = true;
                },
                30ms);
        });
        clock.advance(29ms);
        QVERIFY(!task.isDone());
        QCOMPARE(live, 1);
        clock.advance(1ms);
        QVERIFY(task.isDone());
        QVERIFY_THROWS_EXCEPTION(Timeout, task.result());
        QCOMPARE(live, 0); // cancelled and unwound before timeout() returned
        QVERIFY(!innerFinished);
    }

    void timeoutMessageNamesTheLimit()
    {
        ManualClock clock;
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task = group.spawn([] { return timeout([] { return sleep(1h); }, 250ms); });
        clock.advance(250ms);
        try {
            task.result();
            QFAIL("no Timeout");
        } catch (const Timeout &e) {
            QCOMPARE(std::string(e.what()), std::string("timed out after 250 ms"));
        }
    }

    void completionAndTimeoutAtTheSameInstantFavourTheEarlierTimer()
    {
        // Work and limit expire at the same virtual instant. The work's timer was set first, so
        // it finishes first and its value wins: the timeout must not report a completed read.
        ManualClock clock;
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto first = group.spawn([] { return timeout([] { return valueAfter(20ms, 7); }, 20ms); });
        clock.advance(20ms);
        QCOMPARE(first.result(), 7);

        // The other way round: the limit's timer was set before the work's last sleep began,
        // so at the shared instant the timeout acts first and the work is cancelled.
        bool workCompleted = false;
        auto second = group.spawn([&] {
            return timeout(
                [&]() -> QCoro::Task<int> {
                    co_await sleep(10ms);
                    co_await sleep(10ms); // ends at 20 ms, set after the 20 ms limit
                    workCompleted = true;
                    co_return 8;
                },
                20ms);
        });
        clock.advance(20ms);
        QVERIFY(second.isDone());
        QVERIFY_THROWS_EXCEPTION(Timeout, second.result());
        QVERIFY(!workCompleted);
    }

    void timeoutPassesTheInnerExceptionOn()
    {
        ManualClock clock;
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task
            = group.spawn([] { return timeout([] { return failAfter(1ms, "no reply"); }, 1s); });
        clock.advance(1ms);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, task.result());
    }

    void cancellingTheCallerOfTimeoutCancelsTheInnerWork()
    {
        ManualClock clock;
        int live = 0;
        TaskGroup group;
        auto task = group.spawn([&] {
            return timeout(
                [&]() -> QCoro::Task<> {
                    LiveCounter alive(live);
                    co_await sleep(1h);
                },
                2h);
        });
        QCOMPARE(live, 1);
        task.cancel();
        clock.advance(0ms);
        QVERIFY(task.isCancelled());
        QCOMPARE(live, 0);
    }

    // ---- whenAll ---------------------------------------------------------------------------

    void whenAllGivesResultsInOrder()
    {
        ManualClock clock;
        TaskGroup group;
        auto task = group.spawn([] {
            return whenAll([] { return valueAfter(30ms, 1); }, [] { return valueAfter(10ms, 2); },
                []() -> QCoro::Task<std::string> {
                    co_await sleep(20ms);
                    co_return std::string("three");
                },
                [] { return sleep(5ms); });
        });
        clock.advance(29ms);
        QVERIFY(!task.isDone());
        clock.advance(1ms); // concurrent: 30 ms in all, not 65
        QVERIFY(task.isDone());
        const auto [a, b, c, d] = task.result();
        QCOMPARE(a, 1);
        QCOMPARE(b, 2);
        QCOMPARE(c, std::string("three"));
        Q_UNUSED(d);
    }

    void whenAllCancelsTheOthersOnTheFirstException()
    {
        ManualClock clock;
        int live = 0;
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task = group.spawn([&] {
            return whenAll(
                [&]() -> QCoro::Task<int> {
                    LiveCounter alive(live);
                    co_await sleep(1h);
                    co_return 1;
                },
                [] { return failAfter(10ms, "axis 2 fault"); },
                [&]() -> QCoro::Task<int> {
                    LiveCounter alive(live);
                    co_await sleep(1h);
                    co_return 3;
                });
        });
        QCOMPARE(live, 2);
        clock.advance(10ms);
        QVERIFY(task.isDone());
        QCOMPARE(live, 0);
        try {
            task.result();
            QFAIL("no exception");
        } catch (const std::runtime_error &e) {
            QCOMPARE(std::string(e.what()), std::string("axis 2 fault"));
        }
    }

    void whenAllOverAVector()
    {
        ManualClock clock;
        TaskGroup group;
        std::vector<std::function<QCoro::Task<int>()>> reads;
        for (int i = 0; i < 5; ++i)
            reads.push_back([i] { return valueAfter(std::chrono::milliseconds(10 - i), i * i); });
        auto task = group.spawn([&] { return whenAll(std::move(reads)); });
        clock.advance(10ms);
        QCOMPARE(task.result(), (std::vector<int>{0, 1, 4, 9, 16}));
    }

    void whenAllOfNothingIsDoneAtOnce()
    {
        TaskGroup group;
        auto task
            = group.spawn([] { return whenAll(std::vector<std::function<QCoro::Task<int>()>>{}); });
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 1000);
        QVERIFY(task.result().empty());
    }

    void cancellingTheCallerOfWhenAllCancelsEveryChild()
    {
        ManualClock clock;
        int live = 0;
        TaskGroup group;
        auto child = [&]() -> QCoro::Task<> {
            LiveCounter alive(live);
            co_await sleep(1h);
        };
        auto task = group.spawn([&] { return whenAll(child, child, child); });
        QCOMPARE(live, 3);
        task.cancel();
        clock.advance(0ms);
        QCOMPARE(live, 0);
        QVERIFY(task.isCancelled());
    }

    // ---- whenAny ---------------------------------------------------------------------------

    void whenAnyGivesTheFirstAndCancelsTheRest()
    {
        ManualClock clock;
        int live = 0;
        TaskGroup group;
        auto task = group.spawn([&] {
            return whenAny(
                [&]() -> QCoro::Task<int> {
                    LiveCounter alive(live);
                    co_await sleep(50ms);
                    co_return 1;
                },
                []() -> QCoro::Task<std::string> {
                    co_await sleep(20ms);
                    co_return std::string("limit switch");
                },
                [&]() -> QCoro::Task<> {
                    LiveCounter alive(live);
                    co_await sleep(1h);
                });
        });
        clock.advance(20ms);
        QVERIFY(task.isDone());
        QCOMPARE(live, 0);
        auto first = task.result();
        QCOMPARE(first.index(), 1u);
        QCOMPARE(std::get<1>(first), std::string("limit switch"));
    }

    void whenAnyRethrowsTheFirstsException()
    {
        ManualClock clock;
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task = group.spawn([] {
            return whenAny(
                [] { return valueAfter(50ms, 1); }, [] { return failAfter(5ms, "stall"); });
        });
        clock.advance(5ms);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, task.result());
    }

    void whenAnyOverAVectorGivesTheIndex()
    {
        ManualClock clock;
        TaskGroup group;
        std::vector<std::function<QCoro::Task<int>()>> sensors;
        for (int ms : {40, 15, 30})
            sensors.push_back([ms] { return valueAfter(std::chrono::milliseconds(ms), ms); });
        auto task = group.spawn([&] { return whenAny(std::move(sensors)); });
        clock.advance(15ms);
        QCOMPARE(task.result(), (std::pair<std::size_t, int>(1, 15)));
    }

    // ---- shield ----------------------------------------------------------------------------

    void aShieldedTaskSurvivesTheCancellationOfItsWaiter()
    {
        ManualClock clock;
        TaskGroup owner;
        bool parked = false;
        auto park = owner.spawn([&]() -> QCoro::Task<> {
            co_await sleep(30ms);
            parked = true;
        });
        TaskGroup group;
        bool waiterCancelled = false;
        auto waiter = group.spawn([&]() -> QCoro::Task<> {
            try {
                co_await shield(park);
            } catch (const Cancelled &) {
                waiterCancelled = true;
                throw;
            }
        });
        clock.advance(10ms);
        waiter.cancel();
        clock.advance(0ms);
        QVERIFY(waiterCancelled);
        QVERIFY(!park.isDone());
        clock.advance(20ms);
        QVERIFY(parked);
    }

    void shieldingAFunctionRunsItInTheBackground()
    {
        ManualClock clock;
        bool stopped = false;
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<> {
            co_await shield([&]() -> QCoro::Task<> {
                co_await sleep(5ms);
                stopped = true;
            });
        });
        task.cancel();
        clock.advance(0ms);
        QVERIFY(task.isCancelled());
        QVERIFY(!stopped);
        clock.advance(5ms);
        QVERIFY(stopped);
    }

    void shieldGivesTheResultWhenNotCancelled()
    {
        ManualClock clock;
        TaskGroup group;
        auto task = group.spawn([]() -> QCoro::Task<int> {
            co_return co_await shield([] { return valueAfter(3ms, 9); });
        });
        clock.advance(3ms);
        QCOMPARE(task.result(), 9);
    }
};

QTEST_GUILESS_MAIN(TestCombinators)
#include "tst_combinators.moc"
