// SPDX-License-Identifier: MIT
// Event: set, clear, isSet, wait; many waiters; cancellation; destruction.
#include "testsupport.h"

#include <async/async.h>
#include <async/callbackscope.h>

#include <QCoroTask>
#include <QTest>

#include <memory>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;

class TestEvent : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void setWakesEveryWaiterInOrder()
    {
        ManualClock clock;
        Event event;
        std::vector<int> woke;
        TaskGroup group;
        for (int id = 0; id < 4; ++id) {
            group.spawn([&, id]() -> QCoro::Task<> {
                co_await event.wait();
                woke.push_back(id);
            });
        }
        clock.advance(1s);
        QVERIFY(woke.empty());
        QVERIFY(!event.isSet());
        event.set();
        QVERIFY(event.isSet());
        clock.advance(0ms);
        QCOMPARE(woke, (std::vector<int>{0, 1, 2, 3}));
    }

    void waitOnASetEventReturnsAtOnceUntilCleared()
    {
        ManualClock clock;
        Event event;
        event.set();
        int passes = 0;
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<> {
            co_await event.wait();
            ++passes;
            co_await event.wait();
            ++passes;
        });
        QCOMPARE(passes, 2); // never suspended
        QVERIFY(task.isDone());

        event.clear();
        QVERIFY(!event.isSet());
        auto second = group.spawn([&]() -> QCoro::Task<> { co_await event.wait(); });
        clock.advance(1s);
        QVERIFY(!second.isDone());
        event.set();
        clock.advance(0ms);
        QVERIFY(second.isDone());
    }

    void clearAfterSetStillWakesThoseAlreadyWaiting()
    {
        ManualClock clock;
        Event event;
        bool woke = false;
        TaskGroup group;
        group.spawn([&]() -> QCoro::Task<> {
            co_await event.wait();
            woke = true;
        });
        event.set();
        event.clear(); // the seed's acknowledge pattern: the waiter was already released
        clock.advance(0ms);
        QVERIFY(woke);
    }

    void aCancelledWaiterLeavesTheOthersWaiting()
    {
        ManualClock clock;
        Event event;
        std::vector<int> woke;
        bool cancelled = false;
        TaskGroup group;
        auto first = group.spawn([&]() -> QCoro::Task<> {
            try {
                co_await event.wait();
                woke.push_back(1);
            } catch (const Cancelled &) {
                cancelled = true;
            }
        });
        group.spawn([&]() -> QCoro::Task<> {
            co_await event.wait();
            woke.push_back(2);
        });
        first.cancel();
        clock.advance(0ms);
        QVERIFY(cancelled);
        event.set();
        clock.advance(0ms);
        QCOMPARE(woke, std::vector<int>{2});
    }

    void cancellingAfterSetButBeforeResumingStillCancels()
    {
        ManualClock clock;
        Event event;
        bool passed = false;
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<> {
            co_await event.wait();
            passed = true;
        });
        event.set(); // the waiter is queued to resume...
        task.cancel(); // ...and cancelled before it ran
        clock.advance(0ms);
        QVERIFY(!passed);
        QVERIFY(task.isCancelled());
    }

    void destroyingTheEventWakesWaitersWithAnError()
    {
        ManualClock clock;
        auto event = std::make_unique<Event>();
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task = group.spawn([&]() -> QCoro::Task<> { co_await event->wait(); });
        event.reset();
        clock.advance(0ms);
        QVERIFY(task.hasFailed());
        QVERIFY_THROWS_EXCEPTION(ObjectDestroyed, task.result());
    }

    // A Qt callback that sets an event inside a CallbackScope (a socket's readyRead answering a
    // call): the waiter runs as the outermost scope ends, with no turn of the event loop.
    void aCallbackScopeResumesWhatItWokeAsItEnds()
    {
        Event event;
        bool resumed = false;
        TaskGroup group;
        group.spawn([&]() -> QCoro::Task<> {
            co_await event.wait();
            resumed = true;
        });
        QCoreApplication::processEvents(); // the task starts and waits
        QVERIFY(!resumed);
        {
            CallbackScope outer;
            {
                CallbackScope inner;
                event.set();
            }
            QVERIFY(!resumed); // not inside the callback
        }
        QVERIFY(resumed); // at once, without processEvents()

        // Without a scope, a woken task waits for the loop's next turn (a posted event).
        Event second;
        bool resumedToo = false;
        group.spawn([&]() -> QCoro::Task<> {
            co_await second.wait();
            resumedToo = true;
        });
        QCoreApplication::processEvents();
        second.set();
        QVERIFY(!resumedToo);
        QTRY_VERIFY(resumedToo);
        Benchtop::Test::waitFor(group.join());
    }

    void manyWaiters()
    {
        ManualClock clock;
        Event event;
        int woke = 0;
        TaskGroup group;
        for (int i = 0; i < 10000; ++i) {
            group.spawn([&]() -> QCoro::Task<> {
                co_await event.wait();
                ++woke;
            });
        }
        event.set();
        clock.advance(0ms);
        QCOMPARE(woke, 10000);
        QVERIFY(group.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEvent)
#include "tst_event.moc"
