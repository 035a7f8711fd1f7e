// SPDX-License-Identifier: MIT
// The scheduler's fairness promises: every ready task runs before any task runs twice, and a
// task that never stops (yielding, or sleeping until deadlines already past) cannot starve
// the toolkit's timers or Qt's own events: posted events, QTimers, socket notifiers.
#include "testsupport.h"

#include <async/async.h>

#include <QCoreApplication>
#include <QCoroTask>
#include <QSocketNotifier>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;

namespace {

enum class Spin { Yield, PastDeadline };

/// A task that never waits for anything real until `stop`: it yields, or sleeps until a
/// deadline that has already passed (which goes through the timer heap and the timerfd).
QCoro::Task<> spinUntil(const bool &stop, long &spins, Spin how)
{
    while (!stop) {
        ++spins;
        if (how == Spin::Yield)
            co_await yield();
        else
            co_await sleepUntil(now() - 1ms);
    }
}

/// Delivered through the Qt event queue, like any posted event.
class Receiver : public QObject {
public:
    int received = 0;
    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::User) {
            ++received;
            return true;
        }
        return QObject::event(event);
    }
};

} // namespace

class TestFairness : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void everyReadyTaskRunsBeforeAnyTaskRunsTwice()
    {
        // d is made ready while a runs in the first pass: it runs in the second pass, ahead of
        // a's second turn, and nobody runs a third time before everyone has run twice.
        std::vector<std::string> order;
        Event wakeD;
        TaskGroup group;
        for (char name : {'a', 'b', 'c'}) {
            group.spawn([&order, &wakeD, name]() -> QCoro::Task<> {
                for (int i = 0; i < 3; ++i) {
                    order.push_back(std::string(1, name) + std::to_string(i));
                    if (name == 'a' && i == 0)
                        wakeD.set();
                    co_await yield();
                }
            });
        }
        group.spawn([&]() -> QCoro::Task<> {
            co_await wakeD.wait();
            order.push_back("d");
        });
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 2000);
        const std::vector<std::string> expected{
            "a0", "b0", "c0", "d", "a1", "b1", "c1", "a2", "b2", "c2"};
        QCOMPARE(order, expected);
    }

    void timersDueTogetherRunInDeadlineOrderThenRoundRobin()
    {
        // Three deadlines already past when the timerfd fires: one dispatch expires them in
        // deadline order, and each woken task's next turn comes after all three have run.
        std::vector<int> order;
        TaskGroup group;
        const TimePoint base = now();
        for (int id : {3, 1, 2}) {
            group.spawn([&order, id, base]() -> QCoro::Task<> {
                co_await sleepUntil(base - std::chrono::milliseconds(4 - id));
                order.push_back(id);
                co_await yield();
                order.push_back(10 + id);
            });
        }
        QVERIFY(order.empty());
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 2000);
        QCOMPARE(order, (std::vector<int>{1, 2, 3, 11, 12, 13}));
    }

    void aTaskThatNeverWaitsCannotStarveTimersOrQtEvents_data()
    {
        QTest::addColumn<bool>("pastDeadlines");
        QTest::newRow("yield forever") << false;
        QTest::newRow("sleep until past deadlines forever") << true;
    }

    void aTaskThatNeverWaitsCannotStarveTimersOrQtEvents()
    {
        QFETCH(bool, pastDeadlines);
        const Spin how = pastDeadlines ? Spin::PastDeadline : Spin::Yield;
        bool stop = false;
        long spins = 0;
        TaskGroup group;
        group.spawn([&] { return spinUntil(stop, spins, how); });

        // the toolkit's own timer
        int sleeps = 0;
        group.spawn([&]() -> QCoro::Task<> {
            while (!stop) {
                co_await sleep(1ms);
                ++sleeps;
            }
        });
        // a QTimer
        Benchtop::Test::EventLoopChecker ticker(1ms);
        // a posted event
        Receiver receiver;
        QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User));
        // a socket notifier
        int fds[2] = {-1, -1};
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        QSocketNotifier notifier(fds[0], QSocketNotifier::Read);
        int readable = 0;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            char byte = 0;
            if (::read(fds[0], &byte, 1) == 1)
                ++readable;
        });
        QCOMPARE(::write(fds[1], "x", 1), ssize_t(1));

        QTRY_VERIFY_WITH_TIMEOUT(receiver.received == 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(readable == 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(ticker.ticks() >= 5, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(sleeps >= 5, 5000);
        QVERIFY(spins > 0);
        stop = true;
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 2000);
        ::close(fds[0]);
        ::close(fds[1]);
    }

    void timersFallingDueWhileSleepersRunAreNotLost()
    {
        // Many sleepers with deadlines spread over a few milliseconds, re-sleeping at once:
        // those that fall due while the others run are picked up in the same timer dispatch or
        // the next one; every sleeper completes every round.
        constexpr int kSleepers = 200;
        constexpr int kRounds = 20;
        std::vector<int> rounds(kSleepers, 0);
        TaskGroup group;
        for (int i = 0; i < kSleepers; ++i) {
            group.spawn([&rounds, i]() -> QCoro::Task<> {
                TimePoint deadline = now() + std::chrono::microseconds(10 * i);
                for (int r = 0; r < kRounds; ++r) {
                    deadline += 1ms;
                    co_await sleepUntil(deadline);
                    if (now() < deadline)
                        co_return; // woke early: the count below stays short
                    ++rounds[std::size_t(i)];
                }
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(group.isEmpty(), 10000);
        QCOMPARE(std::count(rounds.begin(), rounds.end(), kRounds), std::ptrdiff_t(kSleepers));
    }
};

QTEST_GUILESS_MAIN(TestFairness)
#include "tst_fairness.moc"
