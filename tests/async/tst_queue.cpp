// SPDX-License-Identifier: MIT
// Queue<T>: bounded, FIFO waiters, tryPut/tryGet, cancellation never loses or steals items.
#include "testsupport.h"

#include <async/async.h>

#include <QCoroTask>
#include <QTest>

#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;

class TestQueue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void producerAndConsumer()
    {
        ManualClock clock;
        Queue<int> queue(2);
        std::vector<int> consumed;
        TaskGroup group;
        group.spawn([&]() -> QCoro::Task<> {
            for (int i = 0; i < 10; ++i)
                co_await queue.put(i);
        });
        QCOMPARE(queue.size(), 2u); // the producer is suspended on a full queue
        QVERIFY(queue.isFull());
        group.spawn([&]() -> QCoro::Task<> {
            for (int i = 0; i < 10; ++i) {
                consumed.push_back(co_await queue.get());
                co_await sleep(1ms);
            }
        });
        clock.advance(20ms);
        QCOMPARE(consumed, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        QVERIFY(group.isEmpty());
        QVERIFY(queue.isEmpty());
    }

    void tryPutAndTryGet()
    {
        Queue<std::string> queue(1);
        QVERIFY(queue.tryPut(std::string("a")));
        std::string b = "b";
        QVERIFY(!queue.tryPut(std::move(b)));
        QCOMPARE(b, std::string("b")); // untouched when refused
        QCOMPARE(queue.tryGet(), std::optional<std::string>("a"));
        QCOMPARE(queue.tryGet(), std::optional<std::string>());
    }

    void gettersAreServedFirstComeFirstServed()
    {
        ManualClock clock;
        Queue<int> queue;
        std::vector<std::pair<int, int>> got; // (getter, item)
        TaskGroup group;
        for (int id = 0; id < 3; ++id)
            group.spawn([&, id]() -> QCoro::Task<> { got.emplace_back(id, co_await queue.get()); });
        for (int item = 10; item < 13; ++item)
            QVERIFY(queue.tryPut(int(item)));
        clock.advance(0ms);
        QCOMPARE(got, (std::vector<std::pair<int, int>>{{0, 10}, {1, 11}, {2, 12}}));
    }

    void puttersAreServedFirstComeFirstServed()
    {
        ManualClock clock;
        Queue<int> queue(1);
        QVERIFY(queue.tryPut(0));
        TaskGroup group;
        for (int item = 1; item <= 3; ++item)
            group.spawn([&, item]() -> QCoro::Task<> { co_await queue.put(int(item)); });
        QVERIFY(!queue.tryPut(99)); // waiting putters come first
        std::vector<int> got;
        group.spawn([&]() -> QCoro::Task<> {
            for (int i = 0; i < 4; ++i)
                got.push_back(co_await queue.get());
        });
        clock.advance(0ms);
        QCOMPARE(got, (std::vector<int>{0, 1, 2, 3}));
    }

    void aCancelledGetterNeverTakesAnItem()
    {
        ManualClock clock;
        Queue<int> queue;
        std::vector<int> got;
        TaskGroup group;
        auto first = group.spawn([&]() -> QCoro::Task<> { got.push_back(co_await queue.get()); });
        auto second = group.spawn([&]() -> QCoro::Task<> { got.push_back(-co_await queue.get()); });
        first.cancel(); // while waiting
        clock.advance(0ms);
        QVERIFY(queue.tryPut(5));
        clock.advance(0ms);
        QCOMPARE(got, std::vector<int>{-5});
        QVERIFY(first.isCancelled());
    }

    void aGetterCancelledAfterTheHandOverGivesTheItemBack()
    {
        ManualClock clock;
        Queue<int> queue;
        std::vector<int> got;
        TaskGroup group;
        auto first = group.spawn([&]() -> QCoro::Task<> { got.push_back(co_await queue.get()); });
        QVERIFY(queue.tryPut(1)); // handed straight to the first getter...
        QVERIFY(queue.tryPut(2));
        first.cancel(); // ...which is cancelled before it runs
        clock.advance(0ms);
        QVERIFY(first.isCancelled());
        QCOMPARE(queue.size(), 2u); // nothing lost, order kept
        QCOMPARE(queue.tryGet(), std::optional<int>(1));
        QCOMPARE(queue.tryGet(), std::optional<int>(2));
        QVERIFY(got.empty());
    }

    void aGivenBackItemGoesToTheNextGetter()
    {
        ManualClock clock;
        Queue<int> queue;
        std::vector<int> got;
        TaskGroup group;
        auto first = group.spawn([&]() -> QCoro::Task<> { got.push_back(co_await queue.get()); });
        group.spawn([&]() -> QCoro::Task<> { got.push_back(co_await queue.get()); });
        QVERIFY(queue.tryPut(7));
        first.cancel();
        clock.advance(0ms);
        QCOMPARE(got, std::vector<int>{7});
    }

    void aCancelledPutterNeverEnqueues()
    {
        ManualClock clock;
        Queue<int> queue(1);
        QVERIFY(queue.tryPut(1));
        TaskGroup group;
        auto putter = group.spawn([&]() -> QCoro::Task<> { co_await queue.put(2); });
        putter.cancel();
        clock.advance(0ms);
        QVERIFY(putter.isCancelled());
        QCOMPARE(queue.tryGet(), std::optional<int>(1));
        QCOMPARE(queue.tryGet(), std::optional<int>());
    }

    void aPutThatWasAcceptedStandsAndTheCancelComesNext()
    {
        ManualClock clock;
        Queue<int> queue(1);
        QVERIFY(queue.tryPut(1));
        bool reachedNextAwait = false;
        bool cancelledAtNextAwait = false;
        TaskGroup group;
        auto putter = group.spawn([&]() -> QCoro::Task<> {
            co_await queue.put(2);
            reachedNextAwait = true;
            try {
                co_await yield();
            } catch (const Cancelled &) {
                cancelledAtNextAwait = true;
            }
        });
        QCOMPARE(queue.tryGet(), std::optional<int>(1)); // room: the putter's item goes in...
        putter.cancel(); // ...before the putter runs again
        clock.advance(0ms);
        QVERIFY(reachedNextAwait);
        QVERIFY(cancelledAtNextAwait);
        QCOMPARE(queue.tryGet(), std::optional<int>(2));
    }

    void moveOnlyItems()
    {
        ManualClock clock;
        Queue<std::unique_ptr<int>> queue(1);
        int got = 0;
        TaskGroup group;
        group.spawn([&]() -> QCoro::Task<> {
            co_await queue.put(std::make_unique<int>(3));
            co_await queue.put(std::make_unique<int>(4));
        });
        group.spawn([&]() -> QCoro::Task<> {
            got += *co_await queue.get();
            got += *co_await queue.get();
        });
        clock.advance(0ms);
        QCOMPARE(got, 7);
    }

    void destroyingTheQueueWakesWaitersWithAnError()
    {
        ManualClock clock;
        auto queue = std::make_unique<Queue<int>>(1);
        QVERIFY(queue->tryPut(1));
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto putter = group.spawn([&]() -> QCoro::Task<> { co_await queue->put(2); });
        Queue<int> empty;
        auto getter = group.spawn([&]() -> QCoro::Task<> { co_await empty.get(); });
        queue.reset();
        clock.advance(0ms);
        QVERIFY_THROWS_EXCEPTION(ObjectDestroyed, putter.result());
        QVERIFY(!getter.isDone());
    }
};

QTEST_GUILESS_MAIN(TestQueue)
#include "tst_queue.moc"
