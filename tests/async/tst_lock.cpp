// SPDX-License-Identifier: MIT
// Lock and Semaphore: RAII guards, FIFO hand-over, cancelled waiters never take a permit.
#include "testsupport.h"

#include <async/async.h>

#include <QCoroTask>
#include <QTest>

#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;

class TestLock : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void theGuardReleasesTheLock()
    {
        Lock lock;
        QVERIFY(!lock.isLocked());
        {
            auto guard = lock.tryLock();
            QVERIFY(guard.has_value());
            QVERIFY(lock.isLocked());
            QVERIFY(!lock.tryLock().has_value());
        }
        QVERIFY(!lock.isLocked());
    }

    void oneQueryAtATime()
    {
        // Three tasks share an instrument; each holds the lock across an await.
        ManualClock clock;
        Lock lock;
        std::vector<std::string> log;
        TaskGroup group;
        for (char who : {'a', 'b', 'c'}) {
            group.spawn([&, who]() -> QCoro::Task<> {
                auto guard = co_await lock.lock();
                log.push_back(std::string(1, who) + "+");
                co_await sleep(10ms);
                log.push_back(std::string(1, who) + "-");
            });
        }
        clock.advance(30ms);
        QCOMPARE(log, (std::vector<std::string>{"a+", "a-", "b+", "b-", "c+", "c-"}));
        QVERIFY(!lock.isLocked());
    }

    void theLockIsHandedOverFirstComeFirstServed()
    {
        ManualClock clock;
        Lock lock;
        auto held = lock.tryLock();
        std::vector<int> order;
        TaskGroup group;
        for (int id = 0; id < 5; ++id) {
            group.spawn([&, id]() -> QCoro::Task<> {
                auto guard = co_await lock.lock();
                order.push_back(id);
                co_await yield();
            });
        }
        QCOMPARE(lock.waiting(), 5u);
        held.reset();
        // Released with waiters: a newcomer may not barge in.
        QVERIFY(lock.isLocked());
        QVERIFY(!lock.tryLock().has_value());
        clock.advance(0ms);
        QCOMPARE(order, (std::vector<int>{0, 1, 2, 3, 4}));
    }

    void aCancelledWaiterNeverTakesTheLock()
    {
        ManualClock clock;
        Lock lock;
        auto held = lock.tryLock();
        std::vector<int> order;
        TaskGroup group;
        std::vector<TaskHandle<void>> tasks;
        for (int id = 0; id < 3; ++id) {
            tasks.push_back(group.spawn([&, id]() -> QCoro::Task<> {
                auto guard = co_await lock.lock();
                order.push_back(id);
            }));
        }
        tasks[1].cancel(); // while waiting
        clock.advance(0ms);
        QVERIFY(tasks[1].isCancelled());
        QCOMPARE(lock.waiting(), 2u);
        held.reset();
        clock.advance(0ms);
        QCOMPARE(order, (std::vector<int>{0, 2}));
        QVERIFY(!lock.isLocked());
    }

    void aWaiterCancelledAfterTheHandOverPassesTheLockOn()
    {
        ManualClock clock;
        Lock lock;
        auto held = lock.tryLock();
        std::vector<int> order;
        TaskGroup group;
        auto first = group.spawn([&]() -> QCoro::Task<> {
            auto guard = co_await lock.lock();
            order.push_back(1);
        });
        group.spawn([&]() -> QCoro::Task<> {
            auto guard = co_await lock.lock();
            order.push_back(2);
        });
        held.reset(); // handed to the first waiter, which has not run yet...
        first.cancel(); // ...and is cancelled before it does
        clock.advance(0ms);
        QVERIFY(first.isCancelled());
        QCOMPARE(order, std::vector<int>{2});
        QVERIFY(!lock.isLocked());
    }

    void aSemaphoreLimitsConcurrency()
    {
        ManualClock clock;
        Semaphore slots(2);
        int inside = 0;
        int mostInside = 0;
        TaskGroup group;
        for (int i = 0; i < 6; ++i) {
            group.spawn([&]() -> QCoro::Task<> {
                auto permit = co_await slots.acquire();
                mostInside = std::max(mostInside, ++inside);
                co_await sleep(10ms);
                --inside;
            });
        }
        QCOMPARE(slots.available(), 0u);
        QCOMPARE(slots.waiting(), 4u);
        clock.advance(30ms);
        QVERIFY(group.isEmpty());
        QCOMPARE(mostInside, 2);
        QCOMPARE(slots.available(), 2u);
    }

    void aGuardCanReleaseEarly()
    {
        Semaphore semaphore(1);
        auto permit = semaphore.tryAcquire();
        QVERIFY(permit && permit->ownsPermit());
        permit->release();
        QVERIFY(!permit->ownsPermit());
        QCOMPARE(semaphore.available(), 1u);
        permit.reset(); // no second release
        QCOMPARE(semaphore.available(), 1u);
    }

    void destroyingASemaphoreWakesWaitersWithAnError()
    {
        ManualClock clock;
        auto semaphore = std::make_unique<Semaphore>(0);
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task = group.spawn([&]() -> QCoro::Task<> { auto p = co_await semaphore->acquire(); });
        semaphore.reset();
        clock.advance(0ms);
        QVERIFY_THROWS_EXCEPTION(ObjectDestroyed, task.result());
    }
};

QTEST_GUILESS_MAIN(TestLock)
#include "tst_lock.moc"
