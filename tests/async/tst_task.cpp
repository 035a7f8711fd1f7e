// SPDX-License-Identifier: MIT
// Async::Task: the toolkit's own lazy coroutine, spawned with one frame or awaited in place.
#include "testsupport.h"

#include <async/async.h>

#include <QCoroTask>
#include <QTest>

#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;
using Benchtop::Test::LiveCounter;

namespace {

Task<int> waitThenReturn(Event &event, int value, std::vector<int> *steps = nullptr)
{
    if (steps)
        steps->push_back(1);
    co_await event.wait();
    if (steps)
        steps->push_back(2);
    co_return value;
}

Task<int> sleepyInner(int &live, std::chrono::milliseconds delay)
{
    LiveCounter alive(live);
    co_await sleep(delay);
    co_return 7;
}

Task<int> outer(int &live, std::chrono::milliseconds delay)
{
    LiveCounter alive(live);
    const int inner = co_await sleepyInner(live, delay);
    co_return inner * 10;
}

Task<> failAfter(std::chrono::milliseconds delay, std::string what)
{
    co_await sleep(delay);
    throw std::runtime_error(what);
}

Task<> setFlag(bool &flag)
{
    flag = true;
    co_return;
}

} // namespace

class TestTask : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void aTaskIsLazyAndAnUnstartedTaskRunsNothing()
    {
        bool ran = false;
        {
            Task<> task = setFlag(ran);
            QVERIFY(task.isValid());
            QVERIFY(!ran);
        } // destroyed unstarted: its frame is freed, its body never runs
        QVERIFY(!ran);
    }

    void spawnRunsItUntilItsFirstSuspensionAndGivesItsValue()
    {
        std::vector<int> steps;
        Event go;
        TaskGroup group;
        Task<int> task = waitThenReturn(go, 42, &steps);
        QVERIFY(steps.empty());
        auto handle = group.spawn("waiter", std::move(task));
        QVERIFY(!task.isValid()); // NOLINT(bugprone-use-after-move): spawning consumed it
        QCOMPARE(steps, std::vector<int>{1});
        QCOMPARE(group.size(), 1u);
        QCOMPARE(handle.name(), "waiter");
        go.set();
        QTRY_VERIFY_WITH_TIMEOUT(handle.isDone(), 2000);
        QCOMPARE(steps, (std::vector<int>{1, 2}));
        QCOMPARE(handle.result(), 42);
        QVERIFY(group.isEmpty());
    }

    void awaitedInAQCoroTaskOrATaskItGivesItsValue()
    {
        ManualClock clock;
        int live = 0;
        TaskGroup group;
        int fromQCoro = 0;
        group.spawn([&]() -> QCoro::Task<> { fromQCoro = co_await outer(live, 5ms); });
        auto native = group.spawn(outer(live, 5ms));
        QCOMPARE(live, 4);
        clock.advance(5ms);
        QCOMPARE(fromQCoro, 70);
        QCOMPARE(native.result(), 70);
        QCOMPARE(live, 0);
    }

    void spawningAFunctionThatReturnsATaskWorksToo()
    {
        Event go;
        TaskGroup group;
        auto handle = group.spawn([&go] { return waitThenReturn(go, 5); });
        go.set();
        QTRY_VERIFY_WITH_TIMEOUT(handle.isDone(), 2000);
        QCOMPARE(handle.result(), 5);
    }

    void anExceptionReachesTheAwaiter()
    {
        ManualClock clock;
        TaskGroup group;
        std::string caught;
        group.spawn([&]() -> QCoro::Task<> {
            try {
                co_await failAfter(1ms, "overrange");
            } catch (const std::runtime_error &e) {
                caught = e.what();
            }
        });
        clock.advance(1ms);
        QCOMPARE(caught, std::string("overrange"));
    }

    void anUnawaitedExceptionReachesTheErrorHandlerWithTheTaskName()
    {
        ManualClock clock;
        TaskGroup group;
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
        auto handle = group.spawn("update_state", failAfter(1ms, "encoder read failed"));
        clock.advance(1ms);
        QCOMPARE(what, std::string("encoder read failed"));
        QCOMPARE(name, std::string("update_state"));
        QVERIFY(handle.hasFailed());
    }

    void cancellingASpawnedTaskUnwindsItsNestedTasks()
    {
        int live = 0;
        TaskGroup group;
        auto handle = group.spawn(outer(live, 1h));
        QCOMPARE(live, 2);
        handle.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(handle.isDone(), 2000);
        QVERIFY(handle.isCancelled());
        QCOMPARE(live, 0);
    }

    void anAwaitedTaskIsPartOfTheAwaitingTask()
    {
        // Cancelling the QCoro task that awaits a Task cancels the Task's sleep: same context.
        int live = 0;
        TaskGroup group;
        bool cancelled = false;
        auto handle = group.spawn([&]() -> QCoro::Task<> {
            try {
                co_await outer(live, 1h);
            } catch (const Cancelled &) {
                cancelled = true;
                throw;
            }
        });
        QCOMPARE(live, 2);
        handle.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(handle.isDone(), 2000);
        QVERIFY(cancelled);
        QCOMPARE(live, 0);
    }

    void destroyingTheGroupUnwindsSpawnedTasksAtOnce()
    {
        int live = 0;
        auto group = std::make_unique<TaskGroup>();
        group->spawn(outer(live, 1h));
        group->spawn(outer(live, 1h));
        QCOMPARE(live, 4);
        group.reset();
        QCOMPARE(live, 0);
    }

    void anotherTaskAwaitsTheHandle()
    {
        ManualClock clock;
        int live = 0;
        TaskGroup group;
        auto producer = group.spawn(outer(live, 3ms));
        int got = 0;
        group.spawn([&]() -> QCoro::Task<> { got = co_await producer; });
        clock.advance(3ms);
        QCOMPARE(got, 70);
    }

    void whenAllTakesFunctionsReturningTasks()
    {
        ManualClock clock;
        int live = 0;
        TaskGroup group;
        std::tuple<int, int> results;
        group.spawn([&]() -> QCoro::Task<> {
            results = co_await whenAll(
                [&] { return outer(live, 2ms); }, [&] { return sleepyInner(live, 1ms); });
        });
        clock.advance(2ms);
        QCOMPARE(std::get<0>(results), 70);
        QCOMPARE(std::get<1>(results), 7);
        QCOMPARE(live, 0);
    }
};

QTEST_GUILESS_MAIN(TestTask)
#include "tst_task.moc"
