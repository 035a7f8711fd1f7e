// SPDX-License-Identifier: MIT
// FrameClock: every client that asks is served, round-robin within its lane's budget, never
// before the time it asked for; withdrawn and destroyed clients are never called; the clock
// stops when nobody asks.
#include "testsupport.h"

#include <frameclock.h>

#include <QTest>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

using namespace Benchtop;
using namespace Benchtop::Ui;
using namespace std::chrono_literals;

namespace {

class TestClient : public FrameClock::Client {
public:
    using Lane = FrameClock::Lane;
    explicit TestClient(Lane lane = Lane::Plots)
        : m_lane(lane)
    {
    }
    void ask(std::chrono::milliseconds notBefore = 0ms) { requestFrame(m_lane, notBefore); }
    void withdraw() { cancelFrame(); }
    bool pending() const { return isFramePending(); }

    int served = 0;
    std::vector<qint64> ticks; ///< the clock's tick count at each onFrame
    bool askAgain = false;
    std::function<void()> onServed;

protected:
    void onFrame() override
    {
        ++served;
        ticks.push_back(FrameClock::instance()->tickCount());
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
    void init()
    {
        Test::failOnQtWarnings();
        m_plotsBudget = FrameClock::instance()->budget(FrameClock::Lane::Plots);
        m_readoutsBudget = FrameClock::instance()->budget(FrameClock::Lane::Readouts);
    }
    void cleanup()
    {
        FrameClock::instance()->setBudget(FrameClock::Lane::Plots, m_plotsBudget);
        FrameClock::instance()->setBudget(FrameClock::Lane::Readouts, m_readoutsBudget);
    }

    void everyClientIsServedOnceWhateverTheBudget()
    {
        // A budget smaller than any client: one client per tick, and still every one in turn.
        FrameClock::instance()->setBudget(FrameClock::Lane::Plots, 0us);
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 20; ++i)
            clients.push_back(std::make_unique<TestClient>());
        for (auto &client : clients)
            client->ask();
        QCOMPARE(FrameClock::instance()->pendingCount(FrameClock::Lane::Plots), 20);
        QTRY_VERIFY(std::all_of(clients.begin(), clients.end(),
            [](const auto &client) { return client->served == 1; }));
        // In the order they asked, one tick each.
        for (std::size_t i = 1; i < clients.size(); ++i)
            QCOMPARE(clients[i]->ticks.front(), clients[i - 1]->ticks.front() + 1);
        QCOMPARE(FrameClock::instance()->pendingCount(FrameClock::Lane::Plots), 0);
    }

    void askingAgainWhilePendingKeepsOneRequest()
    {
        TestClient client;
        for (int i = 0; i < 1000; ++i)
            client.ask();
        QCOMPARE(FrameClock::instance()->pendingCount(FrameClock::Lane::Plots), 1);
        QTRY_COMPARE(client.served, 1);
        QTest::qWait(100);
        QCOMPARE(client.served, 1);
    }

    void clientsAskingEveryFrameShareTheTicksRoundRobin()
    {
        FrameClock::instance()->setBudget(FrameClock::Lane::Plots, 0us);
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 4; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            clients.back()->askAgain = true;
            clients.back()->ask();
        }
        QTRY_VERIFY(clients.front()->served >= 5);
        for (auto &client : clients)
            client->askAgain = false;
        QTRY_COMPARE(FrameClock::instance()->pendingCount(FrameClock::Lane::Plots), 0);
        // Nobody is served twice before everybody has been served once.
        const auto [fewest, most] = std::minmax_element(clients.begin(), clients.end(),
            [](const auto &a, const auto &b) { return a->served < b->served; });
        QVERIFY2((*most)->served - (*fewest)->served <= 1,
            qPrintable(QStringLiteral("%1 vs %2").arg((*fewest)->served).arg((*most)->served)));
    }

    void aCostlyLaneDoesNotStarveTheOther()
    {
        FrameClock::instance()->setBudget(FrameClock::Lane::Plots, 0us);
        std::vector<std::unique_ptr<TestClient>> plots;
        for (int i = 0; i < 50; ++i) {
            plots.push_back(std::make_unique<TestClient>(FrameClock::Lane::Plots));
            plots.back()->ask();
        }
        TestClient readout(FrameClock::Lane::Readouts);
        readout.ask();
        QTRY_COMPARE(readout.served, 1);
        QVERIFY(FrameClock::instance()->pendingCount(FrameClock::Lane::Plots) > 0);
    }

    void noClientIsServedBeforeItAsked()
    {
        TestClient client;
        const auto asked = std::chrono::steady_clock::now();
        std::chrono::steady_clock::time_point servedAt;
        client.onServed = [&] { servedAt = std::chrono::steady_clock::now(); };
        client.ask(100ms);
        QTRY_COMPARE(client.served, 1);
        QVERIFY(servedAt - asked >= 100ms);
    }

    void withdrawnAndDestroyedClientsAreNeverCalled()
    {
        TestClient withdrawn;
        withdrawn.ask();
        withdrawn.withdraw();
        QVERIFY(!withdrawn.pending());
        auto destroyed = std::make_unique<TestClient>();
        destroyed->ask();
        destroyed.reset();
        // One client destroying another that waits behind it in the same tick.
        auto victim = std::make_unique<TestClient>();
        TestClient killer;
        killer.onServed = [&] { victim.reset(); };
        killer.ask();
        victim->ask();
        TestClient last;
        last.ask();
        QTRY_COMPARE(last.served, 1);
        QCOMPARE(killer.served, 1);
        QVERIFY(!victim);
        QCOMPARE(withdrawn.served, 0);
        QCOMPARE(FrameClock::instance()->pendingCount(FrameClock::Lane::Plots), 0);
    }

    void theClockStopsWhenNobodyAsks()
    {
        TestClient client;
        client.ask();
        QTRY_COMPARE(client.served, 1);
        QTest::qWait(50);
        const qint64 ticks = FrameClock::instance()->tickCount();
        QTest::qWait(200);
        QCOMPARE(FrameClock::instance()->tickCount(), ticks);
    }

private:
    std::chrono::microseconds m_plotsBudget{};
    std::chrono::microseconds m_readoutsBudget{};
};

QTEST_MAIN(TestFrameClock)
#include "tst_frameclock.moc"
