// SPDX-License-Identifier: MIT
// sim-motor: moves with one busy edge pair each, 10 ms polling while busy, the out_of_limits
// policies, smooth retargeting, stop mid-move, homing on the index switch, saved state, the
// coroutine forms and bad configs. Mostly on a ManualClock (exact, instant); one test on the real
// event loop.
#include "simtestsupport.h"
#include "testsupport.h"

#include <simmotor.h>

#include <async/async.h>
#include <device/awaitables.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>
#include <device/traits.h>

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace std::chrono_literals;
using namespace Benchtop;
using namespace Benchtop::SimTest;
using Benchtop::Async::ManualClock;
using Benchtop::Sim::SimMotor;

namespace {

const QString kKind = QStringLiteral("sim-motor");

/// 0 -> 10 takes 0.2 s (a triangle that just reaches 100/s).
QVariantMap fast(QVariantMap extra = {})
{
    extra.insert(QStringLiteral("speed"), 100.0);
    extra.insert(QStringLiteral("acceleration"), 1000.0);
    return extra;
}

/// 0 -> 10 takes 1.1 s (accelerate 0.1 s, cruise 0.9 s at 10/s, brake 0.1 s).
QVariantMap slow(QVariantMap extra = {})
{
    extra.insert(QStringLiteral("speed"), 10.0);
    extra.insert(QStringLiteral("acceleration"), 100.0);
    return extra;
}

/// Records every position the device publishes.
class PositionLog {
public:
    explicit PositionLog(SimMotor &motor)
    {
        QObject::connect(&motor, &Device::changed, &m_context, [this, &motor] {
            const double x = motor.position();
            if (m_positions.isEmpty() || m_positions.last() != x)
                m_positions << x;
        });
    }
    const QList<double> &positions() const { return m_positions; }
    double max() const { return *std::max_element(m_positions.begin(), m_positions.end()); }
    double min() const { return *std::min_element(m_positions.begin(), m_positions.end()); }
    double largestStep() const
    {
        double step = 0;
        for (qsizetype i = 1; i < m_positions.size(); ++i)
            step = std::max(step, std::abs(m_positions[i] - m_positions[i - 1]));
        return step;
    }

private:
    QObject m_context;
    QList<double> m_positions;
};

} // namespace

class TestSimMotor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void initialState()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind);
        QCOMPARE(motor->traits(),
            (QStringList{QStringLiteral("is-daemon"), QStringLiteral("has-position"),
                QStringLiteral("has-limits"), QStringLiteral("is-homeable"),
                QStringLiteral("is-stoppable")}));
        QCOMPARE(motor->position(), 0.0);
        QCOMPARE(motor->destination(), 0.0);
        QCOMPARE(motor->units(), QStringLiteral("mm"));
        QCOMPARE(motor->limits(), (Limits{-100, 100}));
        QCOMPARE(motor->values().value(QStringLiteral("hw_limits")),
            QVariant(QVariantList{-110.0, 110.0}));
        QCOMPARE(motor->isHomed(), false);
        QVERIFY(!motor->busy());
        QCOMPARE(motor->persistentKeys(),
            (QStringList{QStringLiteral("position"), QStringLiteral("destination")}));
        QCOMPARE(motor->state(),
            (QVariantMap{{QStringLiteral("position"), 0.0}, {QStringLiteral("destination"), 0.0}}));
    }

    void aMoveEndsAtTheTargetWithOneBusyEdgePair()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, fast());
        clock.advance(250ms); // idle for a while: update_state is in its 100 ms wait
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        const Async::TimePoint start = clock.now();
        invoke(*motor, QStringLiteral("set_position"), {10.0});
        QVERIFY(motor->busy());
        QCOMPARE(motor->destination(), 10.0);
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 2s));
        QCOMPARE(motor->position(), 10.0);
        QCOMPARE(motor->destination(), 10.0);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        // The profile takes 200 ms; the end is seen by the next 10 ms poll (the command woke
        // update_state from its idle wait at once).
        const double ms = elapsedMs(clock, start);
        QVERIFY2(ms >= 200 && ms <= 211, qPrintable(QString::number(ms)));
    }

    void anInstantStageHasArrivedWhenSetPositionReturns()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, {{QStringLiteral("instant"), true}});
        QVERIFY(motor->isInstant());
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        invoke(*motor, QStringLiteral("set_position"), {42.5});
        // No time passed, not even a scheduler pass.
        QVERIFY(!motor->busy());
        QCOMPARE(motor->position(), 42.5);
        QCOMPARE(motor->destination(), 42.5);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        invoke(*motor, QStringLiteral("set_position"), {500.0}); // the limits still apply
        QCOMPARE(motor->position(), 100.0);
        // Homing too takes no motion time (one poll of its switch).
        invoke(*motor, QStringLiteral("home"));
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 100ms));
        QCOMPARE(motor->position(), 100.0);
        QVERIFY(motor->isHomed());
    }

    void thePositionIsPolledEvery10msWhileMoving()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, slow());
        PositionLog log(*motor);
        invoke(*motor, QStringLiteral("set_position"), {10.0});
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 3s));
        // 1.1 s of motion: one new position per 10 ms poll, increasing, never beyond the target.
        const QList<double> &x = log.positions();
        QVERIFY2(x.size() >= 105 && x.size() <= 113, qPrintable(QString::number(x.size())));
        QVERIFY(std::is_sorted(x.begin(), x.end()));
        QCOMPARE(x.last(), 10.0);
        QVERIFY(log.largestStep() <= 10 * 0.010 + 1e-9); // top speed 10/s
    }

    void limitsPolicy_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<double>("target");
        QTest::addColumn<bool>("moves");
        QTest::addColumn<double>("destination");
        QTest::addColumn<bool>("refused");
        QTest::newRow("closest above") << "closest" << 8.0 << true << 5.0 << false;
        QTest::newRow("closest below") << "closest" << -8.0 << true << -5.0 << false;
        QTest::newRow("closest inside") << "closest" << 3.0 << true << 3.0 << false;
        QTest::newRow("ignore outside") << "ignore" << 8.0 << false << 0.0 << false;
        QTest::newRow("ignore inside") << "ignore" << -3.0 << true << -3.0 << false;
        QTest::newRow("error outside") << "error" << 8.0 << false << 0.0 << true;
        QTest::newRow("error inside") << "error" << 5.0 << true << 5.0 << false;
    }

    void limitsPolicy()
    {
        QFETCH(QString, policy);
        QFETCH(double, target);
        QFETCH(bool, moves);
        QFETCH(double, destination);
        QFETCH(bool, refused);
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind,
            fast({{QStringLiteral("limits"), QVariantList{-5.0, 5.0}},
                {QStringLiteral("out_of_limits"), policy}}));
        QCOMPARE(toString(motor->outOfLimits()), policy);
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        const QString error
            = errorOf([&] { invoke(*motor, QStringLiteral("set_position"), {target}); });
        QCOMPARE(!error.isEmpty(), refused);
        if (refused) {
            QVERIFY2(
                error.contains(QStringLiteral("outside the limits [-5, 5]")), qPrintable(error));
            QVERIFY(error.startsWith(QStringLiteral("dut")));
        }
        QCOMPARE(motor->destination(), destination);
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 2s));
        QCOMPARE(motor->position(), destination);
        QCOMPARE(busyEdges(busy), moves ? (QList<bool>{true, false}) : QList<bool>{});
    }

    void theHardwareTravelNarrowsTheLimits()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(
            kKind, fast({{QStringLiteral("hw_limits"), QVariantList{-20.0, 20.0}}}));
        QCOMPARE(motor->limits(), (Limits{-20, 20}));
        QCOMPARE(invoke(*motor, QStringLiteral("get_limits")), QVariant(QVariantList{-20.0, 20.0}));
        QCOMPARE(invoke(*motor, QStringLiteral("in_limits"), {30.0}), QVariant(false));
        QCOMPARE(invoke(*motor, QStringLiteral("in_limits"), {-19.0}), QVariant(true));
        invoke(*motor, QStringLiteral("set_position"), {50.0});
        QCOMPARE(motor->destination(), 20.0);
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 2s));
        QCOMPARE(motor->position(), 20.0);
    }

    void aTargetThatIsNotANumberIsRefused()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind);
        QVERIFY_THROWS_EXCEPTION(
            DeviceError, invoke(*motor, QStringLiteral("set_position"), {NAN}));
        QVERIFY(!motor->busy());
    }

    void aNewTargetDuringAMoveRetargetsItSmoothly()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, slow());
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        PositionLog log(*motor);
        invoke(*motor, QStringLiteral("set_position"), {10.0});
        clock.advance(500ms); // cruising at 10/s, at 4.5
        QVERIFY(std::abs(motor->position() - 4.5) < 1e-9);
        invoke(*motor, QStringLiteral("set_position"), {20.0});
        QCOMPARE(motor->destination(), 20.0);
        clock.advance(100ms);
        // It kept its speed: 1 mm per 100 ms, no stop and restart.
        QVERIFY2(std::abs(motor->position() - 5.5) < 1e-9,
            qPrintable(QString::number(motor->position())));
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 3s));
        QCOMPARE(motor->position(), 20.0);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        QVERIFY(std::is_sorted(log.positions().begin(), log.positions().end()));
    }

    void aRetargetBackwardsBrakesThenReturns()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, fast());
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        PositionLog log(*motor);
        invoke(*motor, QStringLiteral("set_position"), {10.0});
        clock.advance(100ms); // at 5, at full speed (100/s): 5 more to stop
        invoke(*motor, QStringLiteral("set_position"), {2.0});
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 2s));
        QCOMPARE(motor->position(), 2.0);
        QVERIFY2(std::abs(log.max() - 10.0) < 0.06, qPrintable(QString::number(log.max())));
        QVERIFY(log.largestStep() <= 100 * 0.010 + 1e-9);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
    }

    void setRelativeMovesFromTheDestination()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, fast());
        QCOMPARE(invoke(*motor, QStringLiteral("set_relative"), {2.5}), QVariant(2.5));
        QCOMPARE(invoke(*motor, QStringLiteral("set_relative"), {2.5}), QVariant(5.0));
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 2s));
        QCOMPARE(invoke(*motor, QStringLiteral("get_position")), QVariant(5.0));
        QCOMPARE(invoke(*motor, QStringLiteral("get_destination")), QVariant(5.0));
        QCOMPARE(invoke(*motor, QStringLiteral("get_units")), QVariant(QStringLiteral("mm")));
    }

    void stopMidMoveLeavesItIdleWhereItStopped()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, slow());
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        invoke(*motor, QStringLiteral("set_position"), {10.0});
        clock.advance(300ms);
        invoke(*motor, QStringLiteral("stop"));
        QVERIFY(!motor->busy());
        const double stoppedAt = motor->position();
        // 0.5 while accelerating (0.1 s), then 10/s for 0.2 s: 2.5.
        QVERIFY2(std::abs(stoppedAt - 2.5) < 1e-9, qPrintable(QString::number(stoppedAt)));
        QVERIFY(stoppedAt > 0 && stoppedAt < 10);
        QCOMPARE(motor->destination(), stoppedAt);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        clock.advance(2s);
        QCOMPARE(motor->position(), stoppedAt);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        QCOMPARE(motor->state(),
            (QVariantMap{{QStringLiteral("position"), stoppedAt},
                {QStringLiteral("destination"), stoppedAt}}));
    }

    void stopWhenIdleChangesNothing()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind);
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        invoke(*motor, QStringLiteral("stop"));
        QCOMPARE(motor->position(), 0.0);
        QCOMPARE(motor->destination(), 0.0);
        QVERIFY(busy.isEmpty());
    }

    void homingFindsTheSwitchAndReturns_data()
    {
        QTest::addColumn<double>("switchAt");
        QTest::addColumn<double>("from");
        QTest::newRow("switch above") << 3.0 << -5.0;
        QTest::newRow("switch below") << -4.0 << 6.0;
        QTest::newRow("already on it") << 2.0 << 2.0;
    }

    void homingFindsTheSwitchAndReturns()
    {
        QFETCH(double, switchAt);
        QFETCH(double, from);
        ManualClock clock;
        auto motor
            = startDevice<SimMotor>(kKind, fast({{QStringLiteral("home_position"), switchAt}}));
        invoke(*motor, QStringLiteral("set_position"), {from});
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 2s));
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        PositionLog log(*motor);
        invoke(*motor, QStringLiteral("home"));
        QVERIFY(motor->busy());
        QVERIFY(motor->isHoming());
        QVERIFY(!motor->isHomed());
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 5s));
        QVERIFY(motor->isHomed());
        QVERIFY(!motor->isHoming());
        QCOMPARE(motor->position(), from);
        QCOMPARE(motor->destination(), from);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        // It went to the switch, stopping at most one 10 ms poll of travel past it.
        const double overshoot = 100 * 0.010 + 1e-9;
        if (switchAt > from) {
            QVERIFY2(log.max() >= switchAt && log.max() <= switchAt + overshoot,
                qPrintable(QString::number(log.max())));
        } else if (switchAt < from) {
            QVERIFY2(log.min() <= switchAt && log.min() >= switchAt - overshoot,
                qPrintable(QString::number(log.min())));
        } else {
            QVERIFY(log.max() <= switchAt + overshoot);
        }
    }

    void setPositionWhileHomingIsRefused()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, fast({{QStringLiteral("home_position"), 5.0}}));
        invoke(*motor, QStringLiteral("home"));
        const QString error
            = errorOf([&] { invoke(*motor, QStringLiteral("set_position"), {1.0}); });
        QVERIFY2(error.contains(QStringLiteral("homing")), qPrintable(error));
        invoke(*motor, QStringLiteral("home")); // again: nothing new
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 5s));
        QCOMPARE(motor->position(), 0.0);
        QVERIFY(motor->isHomed());
    }

    void stopEndsAHomingRun()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, slow({{QStringLiteral("home_position"), 50.0}}));
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        invoke(*motor, QStringLiteral("home"));
        clock.advance(500ms);
        invoke(*motor, QStringLiteral("stop"));
        QVERIFY(!motor->busy());
        QVERIFY(!motor->isHoming());
        QVERIFY(!motor->isHomed());
        const double stoppedAt = motor->position();
        QVERIFY(stoppedAt > 0 && stoppedAt < 50);
        QCOMPARE(motor->destination(), stoppedAt);
        clock.advance(3s);
        QCOMPARE(motor->position(), stoppedAt);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        // It takes commands again.
        invoke(*motor, QStringLiteral("set_position"), {0.0});
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 10s));
        QCOMPARE(motor->position(), 0.0);
    }

    void homingDuringAMoveTakesOverAndReturnsToItsDestination()
    {
        ManualClock clock;
        auto motor = startDevice<SimMotor>(kKind, fast({{QStringLiteral("home_position"), -1.0}}));
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        PositionLog log(*motor);
        invoke(*motor, QStringLiteral("set_position"), {10.0});
        clock.advance(50ms);
        invoke(*motor, QStringLiteral("home"));
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 5s));
        QVERIFY(motor->isHomed());
        QVERIFY(log.min() <= -1.0);
        QCOMPARE(motor->position(), 10.0);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
    }

    void savedStateIsRestored()
    {
        ManualClock clock;
        {
            auto motor = startDevice<SimMotor>(kKind, fast());
            invoke(*motor, QStringLiteral("set_position"), {4.0});
            QVERIFY(advanceUntil(
                clock, [&] { return !motor->busy(); }, 2s));
            QCOMPARE(motor->state(),
                (QVariantMap{
                    {QStringLiteral("position"), 4.0}, {QStringLiteral("destination"), 4.0}}));
            QCOMPARE(invoke(*motor, QStringLiteral("get_state")), QVariant(motor->state()));
        }
        DevicePtr<SimMotor> motor(new SimMotor(settings(kKind, fast())));
        // Saved mid-move: it restarts where it was, without resuming the move.
        motor->restoreState(
            {{QStringLiteral("position"), 7.5}, {QStringLiteral("destination"), 9.0}});
        motor->start();
        QCOMPARE(motor->position(), 7.5);
        QCOMPARE(motor->destination(), 7.5);
        clock.advance(500ms);
        QCOMPARE(motor->position(), 7.5);
        QVERIFY(!motor->busy());
        // The simulated stage really is at 7.5: a 0.5 move is short (a 45 ms triangle).
        const Async::TimePoint start = clock.now();
        invoke(*motor, QStringLiteral("set_position"), {8.0});
        QVERIFY(advanceUntil(
            clock, [&] { return !motor->busy(); }, 2s));
        QVERIFY2(
            elapsedMs(clock, start) <= 60, qPrintable(QString::number(elapsedMs(clock, start))));
        QCOMPARE(motor->position(), 8.0);
    }

    void aSavedPositionBeyondTheTravelIsClamped()
    {
        ManualClock clock;
        DevicePtr<SimMotor> motor(new SimMotor(settings(kKind)));
        motor->restoreState(
            {{QStringLiteral("position"), 500.0}, {QStringLiteral("destination"), 500.0}});
        QCOMPARE(motor->position(), 110.0);
        QCOMPARE(motor->destination(), 110.0);
    }

    void aSavedValueOfTheWrongTypeKeepsTheDefault()
    {
        ManualClock clock;
        DevicePtr<SimMotor> motor(new SimMotor(settings(kKind)));
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression(QStringLiteral("saved position has the wrong type")));
        motor->restoreState({{QStringLiteral("position"), QStringLiteral("far away")}});
        QCOMPARE(motor->position(), 0.0);
    }

    void theCoroutineFormsOnTheRealEventLoop()
    {
        auto motor = startDevice<SimMotor>(kKind, fast({{QStringLiteral("home_position"), -2.0}}));
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        QCOMPARE(awaitResult(moveTo(*motor, 3.0)), 3.0);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        QCOMPARE(awaitResult(homeAndWait(*motor)), 3.0);
        QVERIFY(motor->isHomed());
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false, true, false}));
    }

    void badConfigsAreRefused_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zero speed") << "speed" << QVariant(0.0) << "config key speed";
        QTest::newRow("negative acceleration")
            << "acceleration" << QVariant(-1.0) << "config key acceleration";
        QTest::newRow("reversed limits")
            << "limits" << QVariant(QVariantList{5.0, -5.0}) << "config key limits";
        QTest::newRow("one limit")
            << "hw_limits" << QVariant(QVariantList{1.0}) << "config key hw_limits";
        // Limits beyond the travel and a switch outside it: tst_simchecks (the lab checker's
        // rules, which the device applies too).
        QTest::newRow("unknown policy")
            << "out_of_limits" << QVariant(QStringLiteral("nearest")) << "closest, ignore, error";
        QTest::newRow("units not a string") << "units" << QVariant(5) << "config key units";
        QTest::newRow("negative seed") << "seed" << QVariant(-1) << "config key seed";
        QTest::newRow("fractional latency")
            << "latency_ms" << QVariant(1.5) << "config key latency_ms";
        QTest::newRow("timeout rate above 1")
            << "timeout_rate" << QVariant(1.5) << "config key timeout_rate";
    }

    void badConfigsAreRefused()
    {
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        QFETCH(QString, expected);
        const QString error = errorOf([&] { SimMotor motor(settings(kKind, {{key, value}})); });
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.startsWith(QStringLiteral("dut: ")), qPrintable(error));
    }

    void aMissingKeyIsRefused()
    {
        QVariantMap config = SimTest::config(kKind);
        config.remove(QStringLiteral("speed"));
        const QString error = errorOf([&] {
            SimMotor motor({QStringLiteral("dut"), kKind, config});
        });
        QCOMPARE(error, QStringLiteral("dut: config key speed is missing"));
    }
};

QTEST_GUILESS_MAIN(TestSimMotor)
#include "tst_simmotor.moc"
