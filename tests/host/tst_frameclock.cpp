// SPDX-License-Identifier: MIT
// FrameClock, stepped on manual time: every client that asks is served, round-robin within its
// lane's budget, never before the time it asked for; lanes share one tick, in order; the
// deliveries lane serves at once while quiet; withdrawn and destroyed clients are never called;
// the clock stops when nobody asks.
#include "framestepper.h"
#include "testsupport.h"

#include <host/frameclock.h>

#include <QTest>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace std::chrono_literals;

namespace {

using Lane = FrameClock::Lane;

class TestClient : public FrameClock::Client {
public:
    explicit TestClient(FrameClock *clock, Lane lane = Lane::Plots)
        : FrameClock::Client(clock)
        , m_lane(lane)
    {
    }
    void ask(Async::Clock::duration notBefore = 0ms) { requestFrame(m_lane, notBefore); }
    void askAfterLast(Async::Clock::duration interval) { requestFrameAfterLast(m_lane, interval); }
    void done() { frameDone(); }
    void withdraw() { cancelFrame(); }
    bool pending() const { return isFramePending(); }

    int served = 0;
    std::vector<qint64> ticks; ///< the clock's tick count at each onFrame
    std::vector<Async::TimePoint> times; ///< and the clock's time
    bool askAgain = false;
    std::function<void()> onServed;

protected:
    void onFrame() override
    {
        ++served;
        ticks.push_back(frameClock()->tickCount());
        times.push_back(Async::now());
        if (onServed)
            onServed();
        if (askAgain)
            ask();
    }

private:
    Lane m_lane;
};

} // namespace

class TestFrameClock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void everyClientIsServedOnceWhateverTheBudget()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        // A budget smaller than any client: one client per tick, and still every one in turn.
        clock.setBudget(Lane::Plots, 0us);
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 20; ++i)
            clients.push_back(std::make_unique<TestClient>(&clock));
        for (auto &client : clients)
            client->ask();
        QCOMPARE(clock.pendingCount(Lane::Plots), 20);
        steps.ticks(20);
        // In the order they asked, one tick each.
        for (std::size_t i = 0; i < clients.size(); ++i)
            QCOMPARE(clients[i]->ticks, std::vector<qint64>{qint64(i) + 1});
        QCOMPARE(clock.pendingCount(Lane::Plots), 0);
        QCOMPARE(clock.overruns(Lane::Plots), 19u);
    }

    void askingAgainWhilePendingKeepsOneRequest()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        TestClient client(&clock);
        for (int i = 0; i < 1000; ++i)
            client.ask();
        QCOMPARE(clock.pendingCount(Lane::Plots), 1);
        steps.tick();
        QCOMPARE(client.served, 1);
        steps.ticks(10);
        QCOMPARE(client.served, 1);
    }

    void askingSoonerMovesTheRequestAndLaterDoesNot()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        TestClient client(&clock);
        client.ask(1s);
        client.ask(0ms); // sooner: asked again
        QCOMPARE(clock.pendingCount(Lane::Plots), 1);
        steps.tick();
        QCOMPARE(client.served, 1);
        client.ask(0ms);
        client.ask(1s); // later: changes nothing
        steps.tick();
        QCOMPARE(client.served, 2);
    }

    void clientsAskingEveryFrameShareTheTicksRoundRobin()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        clock.setBudget(Lane::Plots, 0us);
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 4; ++i) {
            clients.push_back(std::make_unique<TestClient>(&clock));
            clients.back()->askAgain = true;
            clients.back()->ask();
        }
        steps.ticks(21);
        for (auto &client : clients)
            client->askAgain = false;
        QVERIFY(steps.until([&] { return clock.pendingCount(Lane::Plots) == 0; }));
        // Nobody is served twice before everybody has been served once.
        const auto [fewest, most] = std::minmax_element(clients.begin(), clients.end(),
            [](const auto &a, const auto &b) { return a->served < b->served; });
        QVERIFY((*fewest)->served >= 5);
        QVERIFY2((*most)->served - (*fewest)->served <= 1,
            qPrintable(QStringLiteral("%1 vs %2").arg((*fewest)->served).arg((*most)->served)));
    }

    void aCostlyLaneDoesNotStarveTheOthers()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        clock.setBudget(Lane::Plots, 0us);
        std::vector<std::unique_ptr<TestClient>> plots;
        for (int i = 0; i < 50; ++i) {
            plots.push_back(std::make_unique<TestClient>(&clock, Lane::Plots));
            plots.back()->ask();
        }
        TestClient readout(&clock, Lane::Readouts);
        readout.ask();
        steps.tick();
        QCOMPARE(readout.served, 1);
        QCOMPARE(clock.pendingCount(Lane::Plots), 49);
    }

    void noClientIsServedBeforeItAsked()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        TestClient client(&clock);
        const Async::TimePoint asked = Async::now();
        client.ask(100ms);
        QVERIFY(steps.until([&] { return client.served == 1; }));
        QVERIFY(client.times.front() - asked >= 100ms);
        QVERIFY(client.times.front() - asked < 100ms + FrameClock::kTickInterval);
    }

    void afterLastCountsFromTheLastFrameDone()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        TestClient client(&clock);
        client.askAfterLast(50ms); // never done: at once
        steps.tick();
        QCOMPARE(client.served, 1);
        client.done();
        const Async::TimePoint done = Async::now();
        steps.ticks(2);
        client.askAfterLast(50ms); // from `done`, not from now
        QVERIFY(steps.until([&] { return client.served == 2; }));
        QVERIFY(client.times.back() - done >= 50ms);
        QVERIFY(client.times.back() - done < 50ms + FrameClock::kTickInterval);
    }

    void lanesShareOneTickInOrder()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        TestClient delivery(&clock, Lane::Deliveries);
        TestClient readout(&clock, Lane::Readouts);
        TestClient plot(&clock, Lane::Plots);
        delivery.ask(); // quiet: at once, and the lane is busy for an interval
        QCOMPARE(delivery.served, 1);
        // What a delivery changes is drawn in the same tick.
        delivery.onServed = [&] {
            readout.ask();
            plot.ask();
        };
        delivery.ask();
        QCOMPARE(delivery.served, 1);
        steps.tick();
        QCOMPARE(delivery.ticks.back(), 1);
        QCOMPARE(readout.ticks, std::vector<qint64>{1});
        QCOMPARE(plot.ticks, std::vector<qint64>{1});
    }

    void aQuietDeliveriesLaneServesAtOnceAndThenPaces()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        TestClient a(&clock, Lane::Deliveries);
        TestClient b(&clock, Lane::Deliveries);
        a.ask();
        QCOMPARE(a.served, 1); // before ask() returned
        QVERIFY(!a.pending());
        QCOMPARE(clock.tickCount(), 0);
        QVERIFY(clock.isTicking());
        // Within the interval: waits for the tick.
        a.ask();
        b.ask();
        QCOMPARE(a.served, 1);
        QCOMPARE(clock.pendingCount(Lane::Deliveries), 2);
        steps.tick();
        QCOMPARE(a.served, 2);
        QCOMPARE(b.served, 1);
        // A tick that finds nobody waiting makes the lane quiet, and the clock stops.
        steps.tick();
        QVERIFY(!clock.isTicking());
        b.ask();
        QCOMPARE(b.served, 2);
        QCOMPARE(clock.tickCount(), 2);
    }

    void aDeliveriesTickWithinItsBudgetServesTheOldestFirst()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        clock.setBudget(Lane::Deliveries, 0us);
        TestClient first(&clock, Lane::Deliveries);
        first.ask(); // at once
        std::vector<std::unique_ptr<TestClient>> waiting;
        for (int i = 0; i < 3; ++i) {
            waiting.push_back(std::make_unique<TestClient>(&clock, Lane::Deliveries));
            waiting.back()->ask();
        }
        steps.ticks(3);
        for (std::size_t i = 0; i < waiting.size(); ++i)
            QCOMPARE(waiting[i]->ticks, std::vector<qint64>{qint64(i) + 1});
        QCOMPARE(clock.overruns(Lane::Deliveries), 2u);
    }

    void withdrawnAndDestroyedClientsAreNeverCalled()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        TestClient withdrawn(&clock);
        withdrawn.ask();
        withdrawn.withdraw();
        QVERIFY(!withdrawn.pending());
        auto destroyed = std::make_unique<TestClient>(&clock);
        destroyed->ask();
        destroyed.reset();
        // One client destroying another that waits behind it in the same tick.
        auto victim = std::make_unique<TestClient>(&clock);
        TestClient killer(&clock);
        killer.onServed = [&] { victim.reset(); };
        killer.ask();
        victim->ask();
        TestClient last(&clock);
        last.ask();
        steps.tick();
        QCOMPARE(last.served, 1);
        QCOMPARE(killer.served, 1);
        QVERIFY(!victim);
        QCOMPARE(withdrawn.served, 0);
        QCOMPARE(clock.pendingCount(Lane::Plots), 0);
    }

    void aClientThatOutlivesItsClockIsLeftAlone()
    {
        auto clock = std::make_unique<FrameClock>();
        TestClient client(clock.get());
        client.ask();
        clock.reset();
        QVERIFY(!client.pending());
        client.ask(); // nothing to ask any more
        QVERIFY(!client.pending());
    }

    void theClockStopsWhenNobodyAsks()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        TestClient client(&clock);
        client.ask();
        steps.tick();
        QCOMPARE(client.served, 1);
        QVERIFY(!clock.isTicking());
        const qint64 ticks = clock.tickCount();
        steps.ticks(10);
        QCOMPARE(clock.tickCount(), ticks);
    }

    void theApplicationHasOneShared()
    {
        FrameClock *shared = FrameClock::instance();
        QVERIFY(shared);
        QCOMPARE(FrameClock::instance(), shared);
        QCOMPARE(shared->parent(), QCoreApplication::instance());
        QCOMPARE(shared->budget(Lane::Deliveries), 1000us);
        QCOMPARE(shared->budget(Lane::Readouts), 500us);
        QCOMPARE(shared->budget(Lane::Plots), 1500us);
    }
};

QTEST_GUILESS_MAIN(TestFrameClock)
#include "tst_frameclock.moc"
