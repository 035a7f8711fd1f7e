// SPDX-License-Identifier: MIT
// runBlocking, SerialExecutor and awaiting QFutures: never blocking the loop, ordering,
// exceptions, and cancellation while a blocking call runs.
#include "testsupport.h"

#include <async/async.h>

#include <QCoroTask>
#include <QFile>
#include <QPromise>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;
using Benchtop::Test::EventLoopChecker;

namespace {

struct DeviceFault : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Counts destructions, to see a discarded result being freed.
struct Reading {
    explicit Reading(std::atomic<int> *destroyed = nullptr, double value = 0)
        : destroyed(destroyed)
        , value(value)
    {
    }
    Reading(const Reading &other) = default;
    ~Reading()
    {
        if (destroyed)
            ++*destroyed;
    }
    std::atomic<int> *destroyed;
    double value;
};

/// This process's threads now.
int threadCount()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("Threads:"))
            return line.mid(8).trimmed().toInt();
    }
    return -1;
}

} // namespace

class TestBlocking : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void aBlockingCallDoesNotBlockTheEventLoop()
    {
        EventLoopChecker checker;
        const double value = Benchtop::Test::waitFor([]() -> QCoro::Task<double> {
            co_return co_await runBlocking([] {
                std::this_thread::sleep_for(200ms); // a vendor call that blocks
                return 4.2;
            });
        }());
        QCOMPARE(value, 4.2);
        QVERIFY2(checker.ticks() >= 5, qPrintable(QString::number(checker.ticks())));
    }

    void theCallRunsOnAnotherThreadAndResumesOnOurs()
    {
        const QThread *loopThread = QThread::currentThread();
        const QThread *callThread = nullptr;
        const QThread *resumedOn = nullptr;
        Benchtop::Test::waitFor([&]() -> QCoro::Task<> {
            co_await runBlocking([&] { callThread = QThread::currentThread(); });
            resumedOn = QThread::currentThread();
        }());
        QVERIFY(callThread && callThread != loopThread);
        QCOMPARE(resumedOn, loopThread);
    }

    void theOriginalExceptionTypeComesBack()
    {
        std::string caught;
        Benchtop::Test::waitFor([&]() -> QCoro::Task<> {
            try {
                co_await runBlocking([]() -> int { throw DeviceFault("checksum mismatch"); });
            } catch (const DeviceFault &e) {
                caught = e.what();
            }
        }());
        QCOMPARE(caught, std::string("checksum mismatch"));
    }

    void aSerialExecutorRunsCallsOneAtATimeInOrder()
    {
        SerialExecutor executor(QStringLiteral("stage"));
        std::mutex mutex;
        std::vector<int> order;
        std::atomic<int> inside = 0;
        std::atomic<int> mostInside = 0;
        TaskGroup group;
        for (int i = 0; i < 8; ++i) {
            group.spawn([&, i]() -> QCoro::Task<> {
                co_await runBlocking(executor, [&, i] {
                    mostInside = std::max(mostInside.load(), ++inside);
                    std::this_thread::sleep_for(2ms);
                    {
                        std::lock_guard lock(mutex);
                        order.push_back(i);
                    }
                    --inside;
                });
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 5000);
        QCOMPARE(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
        QCOMPARE(mostInside.load(), 1);
    }

    void cancelledWhileTheCallRunsTheResultIsDiscardedLater()
    {
        SerialExecutor executor;
        QSemaphore release;
        std::atomic<int> destroyed = 0;
        std::atomic<bool> finished = false;
        bool resumedNormally = false;
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<> {
            const Reading reading = co_await runBlocking(executor, [&] {
                release.acquire(); // stuck in the vendor library until released
                Reading result(&destroyed, 1.5);
                finished = true;
                return result;
            });
            resumedNormally = true;
        });
        task.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QVERIFY(task.isCancelled());
        QVERIFY(!finished); // cancelled while the call was still running

        // A later call on the same executor waits for the stuck one: calls never overlap.
        bool secondRan = false;
        auto second = group.spawn([&]() -> QCoro::Task<> {
            co_await runBlocking(executor, [&] { secondRan = finished.load(); });
        });
        release.release();
        QTRY_VERIFY_WITH_TIMEOUT(second.isDone(), 5000);
        QVERIFY(secondRan);
        QVERIFY(!resumedNormally);
        QTRY_VERIFY_WITH_TIMEOUT(destroyed.load() > 0, 2000); // the result was freed
    }

    void destroyingAnExecutorWhileACallRunsDoesNotBlock()
    {
        auto executor = std::make_unique<SerialExecutor>(QStringLiteral("camera"));
        auto stuck = std::make_shared<QSemaphore>();
        auto done = std::make_shared<std::atomic<bool>>(false);
        auto skippedRan = std::make_shared<std::atomic<bool>>(false);
        auto started = std::make_shared<std::atomic<bool>>(false);
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        group.spawn([&]() -> QCoro::Task<> {
            co_await runBlocking(*executor, [stuck, done, started] {
                *started = true;
                stuck->acquire();
                *done = true;
            });
        });
        auto queued = group.spawn([&]() -> QCoro::Task<> {
            co_await runBlocking(*executor, [skippedRan] { *skippedRan = true; });
        });
        QTRY_VERIFY_WITH_TIMEOUT(started->load(), 5000);
        const TimePoint before = Clock::now();
        executor.reset();
        QVERIFY(Clock::now() - before < 1s); // did not wait for the stuck call
        stuck->release();
        QTRY_VERIFY_WITH_TIMEOUT(done->load(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(queued.isDone(), 5000);
        QVERIFY(!skippedRan->load()); // queued behind it, its device gone: never ran
        QVERIFY_THROWS_EXCEPTION(Cancelled, queued.result());
        group.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 5000);
    }

    void stuckExecutorsShareOneReaper()
    {
        // Five instruments stop answering: their executors go with a call still stuck. Each
        // stuck call keeps its thread, but no executor adds a thread of its own to wait for it;
        // once the calls return, their pools and threads go too.
        const int before = threadCount();
        auto stuck = std::make_shared<QSemaphore>();
        auto started = std::make_shared<std::atomic<int>>(0);
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        for (int i = 0; i < 5; ++i) {
            auto executor = std::make_unique<SerialExecutor>(QStringLiteral("camera"));
            group.spawn([&executor, stuck, started]() -> QCoro::Task<> {
                co_await runBlocking(*executor, [stuck, started] {
                    ++*started;
                    stuck->acquire();
                });
            });
            QTRY_VERIFY_WITH_TIMEOUT(started->load() == i + 1, 5000);
            QTest::ignoreMessage(
                QtInfoMsg, "executor camera destroyed while a blocking call runs; it will finish on its own");
            executor.reset();
        }
        group.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 5000);
        // The five stuck threads, and at most the one reaper (it may exist already).
        QVERIFY2(threadCount() <= before + 6, qPrintable(QStringLiteral("%1 threads, %2 before")
                                                             .arg(threadCount())
                                                             .arg(before)));
        stuck->release(5);
        QTRY_VERIFY_WITH_TIMEOUT(threadCount() <= before + 1, 10000);
    }

    void theSharedPoolRunsCallsConcurrently()
    {
        // Six 50 ms calls on a pool of at least six threads take about 50 ms, not 300.
        std::atomic<int> inside = 0;
        std::atomic<int> mostInside = 0;
        std::vector<std::function<QCoro::Task<int>()>> calls;
        for (int i = 0; i < 6; ++i) {
            calls.push_back([&, i] {
                return runBlocking([&, i] {
                    mostInside = std::max(mostInside.load(), ++inside);
                    std::this_thread::sleep_for(50ms);
                    --inside;
                    return i;
                });
            });
        }
        TaskGroup group;
        auto all = group.spawn([&] { return whenAll(std::move(calls)); });
        QTRY_VERIFY_WITH_TIMEOUT(all.isDone(), 5000);
        QCOMPARE(all.result(), (std::vector<int>{0, 1, 2, 3, 4, 5}));
        QVERIFY(mostInside.load() > 1);
    }

    void awaitingAFutureFromAPromise()
    {
        QPromise<int> promise;
        QFuture<int> future = promise.future();
        promise.start();
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<int> { co_return co_await wait(future); });
        QVERIFY(!task.isDone());
        std::thread producer([&] {
            promise.addResult(17);
            promise.finish();
        });
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        producer.join();
        QCOMPARE(task.result(), 17);
    }

    // QPromise::setException also marks the future canceled: the exception must win.
    void aPromisesExceptionReachesTheAwaiter()
    {
        QPromise<int> promise;
        QFuture<int> future = promise.future();
        promise.start();
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task = group.spawn([&]() -> QCoro::Task<int> { co_return co_await wait(future); });
        std::thread producer([&] {
            promise.setException(std::make_exception_ptr(std::range_error("out of range")));
            promise.finish();
        });
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        producer.join();
        QVERIFY(!task.isCancelled());
        try {
            (void)task.result();
            QFAIL("no exception");
        } catch (const std::range_error &e) {
            QCOMPARE(e.what(), "out of range");
        }
    }

    void aFutureCancelledByItsProducerThrowsCancelled()
    {
        QPromise<int> promise;
        QFuture<int> future = promise.future();
        promise.start();
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<int> { co_return co_await wait(future); });
        promise.future().cancel();
        promise.finish();
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QVERIFY(task.isCancelled());
    }

    void cancellingAWaitOnAFutureLeavesTheFutureAlone()
    {
        QPromise<int> promise;
        QFuture<int> future = promise.future();
        promise.start();
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<int> { co_return co_await wait(future); });
        task.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QVERIFY(task.isCancelled());
        QVERIFY(!future.isCanceled());
        promise.addResult(3);
        promise.finish();
        QCOMPARE(future.result(), 3);
    }
};

QTEST_GUILESS_MAIN(TestBlocking)
#include "tst_blocking.moc"
