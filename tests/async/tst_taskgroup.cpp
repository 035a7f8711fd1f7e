// SPDX-License-Identifier: MIT
// TaskGroup and TaskHandle: structured concurrency, cancellation, exceptions never lost.
#include "testsupport.h"

#include <async/async.h>

#include <QCoroTask>
#include <QRegularExpression>
#include <QTest>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;
using Benchtop::Test::LiveCounter;

namespace {

QCoro::Task<int> innermost(int &live, Event &event)
{
    LiveCounter alive(live);
    co_await event.wait();
    co_return 1;
}

QCoro::Task<int> middle(int &live, Event &event)
{
    LiveCounter alive(live);
    co_return 10 + co_await innermost(live, event);
}

} // namespace

class TestTaskGroup : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void spawnRunsTheTaskUntilItsFirstSuspension()
    {
        std::vector<int> steps;
        Event go;
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<> {
            steps.push_back(1);
            co_await go.wait();
            steps.push_back(2);
        });
        QCOMPARE(steps, std::vector<int>{1});
        QCOMPARE(group.size(), 1u);
        QVERIFY(!task.isDone());
        go.set();
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QCOMPARE(steps, (std::vector<int>{1, 2}));
        QVERIFY(group.isEmpty());
    }

    void awaitingAHandleGivesTheTaskValue()
    {
        ManualClock clock;
        TaskGroup group;
        auto producer = group.spawn([]() -> QCoro::Task<std::string> {
            co_await sleep(5ms);
            co_return std::string("42 V");
        });
        std::string got;
        group.spawn([&]() -> QCoro::Task<> { got = co_await producer; });
        clock.advance(5ms);
        QCOMPARE(got, std::string("42 V"));
        QCOMPARE(producer.result(), std::string("42 V"));
    }

    void awaitingAHandleRethrowsAndTheErrorIsNotReportedTwice()
    {
        ManualClock clock;
        TaskGroup group;
        int handled = 0;
        group.setErrorHandler([&](std::exception_ptr, const char *) { ++handled; });
        auto failing = group.spawn([]() -> QCoro::Task<int> {
            co_await sleep(1ms);
            throw std::runtime_error("motor stalled");
        });
        std::string caught;
        group.spawn([&]() -> QCoro::Task<> {
            try {
                co_await failing;
            } catch (const std::runtime_error &e) {
                caught = e.what();
            }
        });
        clock.advance(1ms);
        QCOMPARE(caught, std::string("motor stalled"));
        QVERIFY(failing.hasFailed());
        QCOMPARE(handled, 0); // someone awaited it: that is where it went
    }

    void anUnawaitedExceptionReachesTheErrorHandler()
    {
        ManualClock clock;
        TaskGroup group(QStringLiteral("stage-x"));
        std::string what;
        std::string name;
        group.setErrorHandler([&](std::exception_ptr error, const char *taskName) {
            name = taskName;
            try {
                std::rethrow_exception(error);
            } catch (const std::exception &e) {
                what = e.what();
            }
        });
        group.spawn("update_state", []() -> QCoro::Task<> {
            co_await sleep(1ms);
            throw std::runtime_error("encoder read failed");
        });
        clock.advance(1ms);
        QCOMPARE(what, std::string("encoder read failed"));
        QCOMPARE(name, std::string("update_state"));
    }

    void anUnawaitedExceptionIsLoggedByDefault()
    {
        ManualClock clock;
        TaskGroup group(QStringLiteral("meter"));
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(
                QStringLiteral("unhandled exception in task poll of meter: timeout reading")));
        group.spawn("poll", []() -> QCoro::Task<> {
            co_await sleep(1ms);
            throw std::runtime_error("timeout reading");
        });
        clock.advance(1ms);
        QVERIFY(group.isEmpty());
    }

    void cancellationIsNotAnError()
    {
        ManualClock clock;
        TaskGroup group;
        int handled = 0;
        group.setErrorHandler([&](std::exception_ptr, const char *) { ++handled; });
        auto task = group.spawn([]() -> QCoro::Task<> { co_await sleep(1h); });
        task.cancel();
        clock.advance(0ms);
        QVERIFY(task.isCancelled());
        QVERIFY(!task.hasFailed());
        QCOMPARE(handled, 0);
    }

    void cancelResumesTheCallerAfterCleanupHasRun()
    {
        ManualClock clock;
        TaskGroup devices;
        bool cleanedUp = false;
        for (int i = 0; i < 3; ++i) {
            devices.spawn([&]() -> QCoro::Task<> {
                try {
                    co_await sleep(1h);
                } catch (const Cancelled &) {
                }
                co_await sleep(20ms); // e.g. park the motor before giving up
                cleanedUp = true;
            });
        }
        TaskGroup host;
        bool cancelReturned = false;
        host.spawn([&]() -> QCoro::Task<> {
            co_await devices.cancel();
            cancelReturned = true;
        });
        clock.advance(19ms);
        QVERIFY(!cleanedUp);
        QVERIFY(!cancelReturned);
        clock.advance(1ms);
        QVERIFY(cleanedUp);
        QVERIFY(cancelReturned);
        QVERIFY(devices.isEmpty());
    }

    void nestedCoroutinesUnwindThroughRaii()
    {
        int live = 0;
        Event never;
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<int> {
            LiveCounter alive(live);
            co_return co_await middle(live, never);
        });
        QCOMPARE(live, 3);
        task.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QCOMPARE(live, 0);
        QVERIFY(task.isCancelled());
    }

    void destroyingTheGroupUnwindsSuspendedTasksAtOnce()
    {
        int live = 0;
        Event event;
        Lock lock;
        auto held = lock.tryLock();
        Queue<int> queue(1);
        Semaphore semaphore(0);
        TaskHandle<void> other;
        {
            TaskGroup elsewhere;
            other = elsewhere.spawn([]() -> QCoro::Task<> { co_await sleep(1h); });
            auto group = std::make_unique<TaskGroup>();
            group->spawn([&]() -> QCoro::Task<> {
                LiveCounter alive(live);
                co_await sleep(1h);
            });
            group->spawn([&]() -> QCoro::Task<> {
                LiveCounter alive(live);
                co_await yield();
            });
            group->spawn([&]() -> QCoro::Task<> {
                LiveCounter alive(live);
                co_await event.wait();
            });
            group->spawn([&]() -> QCoro::Task<> {
                LiveCounter alive(live);
                auto guard = co_await lock.lock();
            });
            group->spawn([&]() -> QCoro::Task<> {
                LiveCounter alive(live);
                co_await queue.get();
            });
            group->spawn([&]() -> QCoro::Task<> {
                LiveCounter alive(live);
                auto permit = co_await semaphore.acquire();
            });
            group->spawn([&]() -> QCoro::Task<> {
                LiveCounter alive(live);
                co_await other;
            });
            group->spawn([&]() -> QCoro::Task<> {
                LiveCounter alive(live);
                co_await middle(live, event);
            });
            QCOMPARE(live, 10);
            group.reset();
            QCOMPARE(live, 0); // every frame unwound before the destructor returned
        }
        QCOMPARE(lock.waiting(), 0u);
        QCOMPARE(semaphore.waiting(), 0u);
        QVERIFY(other.isDone()); // its own group was destroyed too
    }

    void aTaskOfADestroyedGroupCannotWaitAgain()
    {
        int live = 0;
        int cancellations = 0;
        {
            TaskGroup group;
            group.spawn([&]() -> QCoro::Task<> {
                LiveCounter alive(live);
                for (int i = 0; i < 3; ++i) {
                    try {
                        co_await sleep(1h); // a careless driver that swallows Cancelled
                    } catch (const Cancelled &) {
                        ++cancellations;
                    }
                }
            });
        }
        QCOMPARE(live, 0);
        QCOMPARE(cancellations, 3);
    }

    void cancellingTheWaiterCancelsTheAwaitedTask()
    {
        ManualClock clock;
        TaskGroup group;
        auto slow = group.spawn([]() -> QCoro::Task<int> {
            co_await sleep(1h);
            co_return 1;
        });
        auto waiter = group.spawn([&]() -> QCoro::Task<int> { co_return co_await slow; });
        waiter.cancel();
        clock.advance(0ms);
        QVERIFY(waiter.isCancelled());
        QVERIFY(slow.isCancelled());
    }

    void joinWaitsForEveryTask()
    {
        ManualClock clock;
        TaskGroup group;
        int finished = 0;
        for (int ms : {5, 10, 15}) {
            group.spawn([&finished, ms]() -> QCoro::Task<> {
                co_await sleep(std::chrono::milliseconds(ms));
                ++finished;
            });
        }
        TaskGroup observer;
        int seenAtJoin = -1;
        observer.spawn([&]() -> QCoro::Task<> {
            co_await group.join();
            seenAtJoin = finished;
        });
        clock.advance(10ms);
        QCOMPARE(seenAtJoin, -1);
        clock.advance(5ms);
        QCOMPARE(seenAtJoin, 3);
    }

    void spawnTakesAnyAwaitable()
    {
        ManualClock clock;
        Event event;
        TaskGroup group;
        auto sleeper = group.spawn([] { return sleep(3ms); });
        auto waiter = group.spawn([&] { return event.wait(); });
        clock.advance(3ms);
        QVERIFY(sleeper.isDone());
        QVERIFY(!waiter.isDone());
        event.set();
        clock.advance(0ms);
        QVERIFY(waiter.isDone());
    }

    void aLambdaCoroutinesCapturesLiveAsLongAsItsTask()
    {
        ManualClock clock;
        TaskGroup group;
        std::string seen;
        {
            std::string label = "channel A, a string too long for the small-string buffer";
            group.spawn([label, &seen]() -> QCoro::Task<> {
                co_await sleep(1ms);
                seen = label; // the lambda object, and label with it, lives in the task
            });
        }
        clock.advance(1ms);
        QCOMPARE(seen, std::string("channel A, a string too long for the small-string buffer"));
    }

    void aHandleOutlivesItsGroupAndTask()
    {
        TaskHandle<int> handle;
        {
            TaskGroup group;
            handle = group.spawn([]() -> QCoro::Task<int> { co_return 7; });
        }
        QVERIFY(handle.isDone());
        QCOMPARE(handle.result(), 7);
    }

    void anExceptionThrownBeforeTheFirstAwaitIsKept()
    {
        TaskGroup group;
        group.setErrorHandler([](std::exception_ptr, const char *) {});
        auto task = group.spawn([]() -> QCoro::Task<> {
            throw std::invalid_argument("bad channel");
            co_return;
        });
        QVERIFY(task.hasFailed());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, task.result());
    }
};

QTEST_GUILESS_MAIN(TestTaskGroup)
#include "tst_taskgroup.moc"
