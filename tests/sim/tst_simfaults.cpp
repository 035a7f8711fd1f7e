// SPDX-License-Identifier: MIT
// The fault knobs every simulated instrument shares: SimFaults' parsing and draws (pure), then
// their effect through SimDevice::hardwareCall and on the devices: latency (on virtual time, and
// roughly on the real loop), timeouts (a poll forgiven twice in a row, a command never), a lost
// connection turning the device's state to fault with the reason, stuck busy until stop, and
// noise on readings.
#include "simtestsupport.h"
#include "testsupport.h"

#include <simconfig.h>
#include <simdevice.h>
#include <simfaults.h>
#include <simfilterwheel.h>
#include <simmotor.h>
#include <simsensor.h>
#include <simsignal.h>

#include <async/async.h>
#include <device/awaitables.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace std::chrono_literals;
using namespace Benchtop;
using namespace Benchtop::SimTest;
using Benchtop::Async::ManualClock;
using Benchtop::Sim::SimConfig;
using Benchtop::Sim::SimFaults;

namespace {

/// A bare simulated device whose hardware calls the test makes itself.
class Probe final : public Sim::SimDevice {
public:
    explicit Probe(const QVariantMap &config)
        : SimDevice({QStringLiteral("probe"), QStringLiteral("probe"), config})
    {
    }
    ~Probe() override { stopTasksNow(); }
    QCoro::Task<> call() { return hardwareCall("probe call"); }
    QCoro::Task<bool> poll() { return pollHardware("probe poll"); }
};

void expectFault(const char *pattern)
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QLatin1String(pattern)));
}

} // namespace

class TestSimFaults : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    // ---- SimFaults (pure) ----------------------------------------------------------------

    void noFaultsByDefault()
    {
        SimFaults faults = SimFaults::fromConfig(SimConfig(QStringLiteral("dev"), {}));
        QCOMPARE(faults.latency(), 0ms);
        QCOMPARE(faults.timeoutRate(), 0.0);
        QCOMPARE(faults.disconnectAfter().count(), 0.0);
        QVERIFY(!faults.stuckBusy());
        QCOMPARE(faults.noise(), 0.0);
        QVERIFY(faults.seed() != 0); // a random one
        for (int i = 0; i < 1000; ++i)
            QVERIFY(!faults.nextCallTimesOut());
        QCOMPARE(faults.addNoise(1.5), 1.5);
        QVERIFY(!faults.isLost(24h));
    }

    void theKnobsAreReadFromTheConfig()
    {
        const SimFaults faults = SimFaults::fromConfig(SimConfig(QStringLiteral("dev"),
            {{QStringLiteral("latency_ms"), 25}, {QStringLiteral("timeout_rate"), 0.25},
                {QStringLiteral("disconnect_after_s"), 1.5}, {QStringLiteral("stuck_busy"), true},
                {QStringLiteral("noise"), 0.3}, {QStringLiteral("seed"), 42}}));
        QCOMPARE(faults.latency(), 25ms);
        QCOMPARE(faults.timeoutRate(), 0.25);
        QCOMPARE(faults.disconnectAfter().count(), 1.5);
        QVERIFY(faults.stuckBusy());
        QCOMPARE(faults.noise(), 0.3);
        QCOMPARE(faults.seed(), quint64(42));
        QVERIFY(!faults.isLost(1499ms));
        QVERIFY(faults.isLost(1500ms));
    }

    void badKnobsAreRefused_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        QTest::newRow("rate above 1") << "timeout_rate" << QVariant(1.5);
        QTest::newRow("negative rate") << "timeout_rate" << QVariant(-0.1);
        QTest::newRow("negative latency") << "latency_ms" << QVariant(-1);
        QTest::newRow("fractional latency") << "latency_ms" << QVariant(2.5);
        QTest::newRow("negative noise") << "noise" << QVariant(-1.0);
        QTest::newRow("negative seed") << "seed" << QVariant(-3);
        QTest::newRow("stuck not a bool") << "stuck_busy" << QVariant(QStringLiteral("yes"));
        QTest::newRow("negative disconnect") << "disconnect_after_s" << QVariant(-1.0);
        QTest::newRow("latency not a number") << "latency_ms" << QVariant(QStringLiteral("10"));
    }

    void badKnobsAreRefused()
    {
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        const QString error = errorOf([&] {
            SimFaults::fromConfig(SimConfig(QStringLiteral("dev"), {{key, value}}));
        });
        QVERIFY2(error.startsWith(QStringLiteral("dev: config key ") + key), qPrintable(error));
    }

    void theSeedMakesTheDrawsRepeatable()
    {
        auto make = [](int seed) {
            return SimFaults::fromConfig(SimConfig(QStringLiteral("dev"),
                {{QStringLiteral("timeout_rate"), 0.5}, {QStringLiteral("noise"), 1.0},
                    {QStringLiteral("seed"), seed}}));
        };
        SimFaults a = make(42), b = make(42), c = make(43);
        bool differs = false;
        for (int i = 0; i < 100; ++i) {
            const bool ta = a.nextCallTimesOut();
            QCOMPARE(ta, b.nextCallTimesOut());
            const double na = a.addNoise(0);
            QCOMPARE(na, b.addNoise(0));
            differs = differs || ta != c.nextCallTimesOut() || na != c.addNoise(0);
        }
        QVERIFY(differs);
    }

    void drawsFollowTheRateAndTheNoise()
    {
        SimFaults faults = SimFaults::fromConfig(SimConfig(QStringLiteral("dev"),
            {{QStringLiteral("timeout_rate"), 0.3}, {QStringLiteral("noise"), 0.5},
                {QStringLiteral("seed"), 7}}));
        const int n = 20000;
        int timeouts = 0;
        double squares = 0;
        for (int i = 0; i < n; ++i) {
            timeouts += faults.nextCallTimesOut() ? 1 : 0;
            const double x = faults.addNoise(0);
            squares += x * x;
        }
        QVERIFY2(
            std::abs(timeouts / double(n) - 0.3) < 0.02, qPrintable(QString::number(timeouts)));
        QVERIFY(std::abs(std::sqrt(squares / n) - 0.5) < 0.02);
        SimFaults always = SimFaults::fromConfig(
            SimConfig(QStringLiteral("dev"), {{QStringLiteral("timeout_rate"), 1.0}}));
        for (int i = 0; i < 1000; ++i)
            QVERIFY(always.nextCallTimesOut());
    }

    // ---- hardware calls ------------------------------------------------------------------

    void latencyDelaysEveryCall()
    {
        ManualClock clock;
        Probe probe({{QStringLiteral("latency_ms"), 25}});
        Async::TaskGroup group;
        const Async::TimePoint start = clock.now();
        auto call = group.spawn([&] { return probe.call(); });
        clock.advance(24ms);
        QVERIFY(!call.isDone());
        clock.advance(1ms);
        QVERIFY(call.isDone());
        QVERIFY(!call.hasFailed());
        QCOMPARE(elapsedMs(clock, start), 25.0);
    }

    void latencyOnTheRealEventLoop()
    {
        // kickoff, one status query (integration 0: ready at once), read: three calls.
        auto sensor = startDevice<Sim::SimSensor>(QStringLiteral("sim-sensor"),
            {{QStringLiteral("latency_ms"), 40}, {QStringLiteral("integration_ms"), 0}});
        QElapsedTimer timer;
        timer.start();
        const QVariantMap measured = awaitResult(measureOnce(*sensor));
        const qint64 ms = timer.elapsed();
        QCOMPARE(measured.value(QStringLiteral("measurement_id")), QVariant(0));
        QVERIFY2(ms >= 120 && ms < 1000, qPrintable(QString::number(ms)));
    }

    void aTimeoutRateOfOneMakesEveryCallThrow()
    {
        Probe probe({{QStringLiteral("timeout_rate"), 1.0}});
        try {
            awaitResult(probe.call());
            QFAIL("no timeout");
        } catch (const Async::Timeout &e) {
            QCOMPARE(
                QString::fromLocal8Bit(e.what()), QStringLiteral("probe: probe call timed out"));
        }
        // A poll is forgiven twice in a row, not three times.
        QCOMPARE(awaitResult(probe.poll()), false);
        QCOMPARE(awaitResult(probe.poll()), false);
        QVERIFY_THROWS_EXCEPTION(Async::Timeout, awaitResult(probe.poll()));
    }

    void missedPollsAreCountedInARow()
    {
        const QVariantMap config{
            {QStringLiteral("timeout_rate"), 0.5}, {QStringLiteral("seed"), 1234}};
        SimFaults twin = SimFaults::fromConfig(SimConfig(QStringLiteral("probe"), config));
        Probe probe(config);
        int inARow = 0;
        int forgiven = 0;
        for (int i = 0; i < 500; ++i) {
            const bool timesOut = twin.nextCallTimesOut(); // the probe draws the same
            if (timesOut && ++inARow >= 3) {
                QVERIFY_THROWS_EXCEPTION(Async::Timeout, awaitResult(probe.poll()));
                QVERIFY(forgiven > 0);
                return;
            }
            if (!timesOut)
                inARow = 0;
            forgiven += timesOut ? 1 : 0;
            QCOMPARE(awaitResult(probe.poll()), !timesOut);
        }
        QFAIL("three timeouts in a row never came");
    }

    void aCommandThatTimesOutIsAFault()
    {
        ManualClock clock;
        auto sensor = startDevice<Sim::SimSensor>(
            QStringLiteral("sim-sensor"), {{QStringLiteral("timeout_rate"), 1.0}});
        QSignalSpy faults(sensor.get(), &Device::faultRaised);
        expectFault("dut is in fault: measure failed: dut: acquisition start timed out");
        sensor->measure(false);
        QCOMPARE(toString(sensor->status()), QStringLiteral("fault"));
        QCOMPARE(sensor->faultReason(),
            QStringLiteral("measure failed: dut: acquisition start timed out"));
        QVERIFY(!sensor->busy());
        QCOMPARE(faults.size(), 1);
        const QString error = errorOf([&] { invoke(*sensor, QStringLiteral("measure")); });
        QVERIFY2(error.contains(QStringLiteral("in fault")), qPrintable(error));
    }

    void anIdleMotorFaultsAtItsThirdMissedPoll()
    {
        // update_state polls every 100 ms when idle: misses at 0 and 100 ms are forgiven, the
        // one at 200 ms is a fault.
        ManualClock clock;
        const Async::TimePoint start = clock.now();
        auto motor = startDevice<Sim::SimMotor>(
            QStringLiteral("sim-motor"), {{QStringLiteral("timeout_rate"), 1.0}});
        expectFault("dut is in fault: update_state failed: dut: position query timed out");
        clock.advance(199ms);
        QCOMPARE(toString(motor->status()), QStringLiteral("ready"));
        clock.advance(1ms);
        QCOMPARE(toString(motor->status()), QStringLiteral("fault"));
        QCOMPARE(elapsedMs(clock, start), 200.0);
    }

    void aLostConnectionIsAFaultWithItsReason()
    {
        ManualClock clock;
        const Async::TimePoint start = clock.now();
        auto motor = startDevice<Sim::SimMotor>(QStringLiteral("sim-motor"),
            {{QStringLiteral("disconnect_after_s"), 0.5}, {QStringLiteral("speed"), 1.0}});
        QSignalSpy faults(motor.get(), &Device::faultRaised);
        invoke(*motor, QStringLiteral("set_position"), {10.0}); // a long move
        expectFault("dut is in fault: update_state failed: dut: connection lost");
        clock.advance(499ms);
        QCOMPARE(toString(motor->status()), QStringLiteral("ready"));
        QVERIFY(motor->busy());
        QVERIFY(advanceUntil(
            clock, [&] { return motor->status() == DeviceStatus::Fault; }, 1s));
        QCOMPARE(elapsedMs(clock, start), 500.0); // the first poll after the connection went
        QCOMPARE(motor->faultReason(), QStringLiteral("update_state failed: dut: connection lost"));
        QCOMPARE(faults.size(), 1);
        QCOMPARE(faults.first().first().toString(), motor->faultReason());
        QVERIFY(!motor->busy());
        QCOMPARE(toString(motor->snapshot().status), QStringLiteral("fault"));
        QCOMPARE(errorOf([&] { invoke(*motor, QStringLiteral("set_position"), {1.0}); }),
            QStringLiteral(
                "dut is in fault (update_state failed: dut: connection lost); restart it"));
        // Its tasks are cancelled: nothing moves any more.
        const double position = motor->position();
        clock.advance(2s);
        QCOMPARE(motor->position(), position);
    }

    void aLinkThatReconnectsIsDownForAWhileWithoutAFault()
    {
        ManualClock clock;
        const Async::TimePoint start = clock.now();
        auto motor = startDevice<Sim::SimMotor>(QStringLiteral("sim-motor"),
            {{QStringLiteral("disconnect_after_s"), 0.5},
                {QStringLiteral("reconnect_after_s"), 1.0}, {QStringLiteral("speed"), 1.0}});
        QSignalSpy faults(motor.get(), &Device::faultRaised);
        invoke(*motor, QStringLiteral("set_position"), {10.0}); // a long move
        QVERIFY(advanceUntil(
            clock, [&] { return motor->link() == LinkState::Disconnected; }, 1s));
        QCOMPARE(elapsedMs(clock, start), 500.0); // the first poll after the connection went
        QCOMPARE(toString(motor->status()), QStringLiteral("ready"));
        QCOMPARE(motor->values().value(QStringLiteral("link_error")).toString(),
            QStringLiteral("connection lost"));
        QVERIFY(motor->busy()); // the controller goes on; nobody can ask it
        QCOMPARE(errorOf([&] { invoke(*motor, QStringLiteral("set_position"), {1.0}); }),
            QStringLiteral("dut is disconnected (connection lost)"));
        QVERIFY(advanceUntil(
            clock, [&] { return motor->link() == LinkState::Connected; }, 2s));
        const double back = elapsedMs(clock, start);
        QVERIFY2(back >= 1500 && back <= 1510, qPrintable(QString::number(back)));
        QCOMPARE(motor->values().value(QStringLiteral("link_error")).toString(), QString());
        QVERIFY(faults.isEmpty());
        // Calls work again, and the connection stays (it is lost once).
        invoke(*motor, QStringLiteral("set_position"), {1.0});
        clock.advance(30s);
        QCOMPARE(toString(motor->link()), toString(LinkState::Connected));
        QCOMPARE(toString(motor->status()), QStringLiteral("ready"));
        QCOMPARE(motor->position(), 1.0);
    }

    void aSensorThatReconnectsEndsTheMeasurementItCutWithAnError()
    {
        ManualClock clock;
        auto sensor = startDevice<Sim::SimSensor>(QStringLiteral("sim-sensor"),
            {{QStringLiteral("disconnect_after_s"), 0.3},
                {QStringLiteral("reconnect_after_s"), 0.5},
                {QStringLiteral("integration_ms"), 50}});
        QTest::ignoreMessage(QtWarningMsg, "dut: connection lost");
        sensor->measure(true);
        QVERIFY(advanceUntil(
            clock, [&] { return !sensor->busy(); }, 1s));
        QCOMPARE(toString(sensor->status()), QStringLiteral("ready"));
        QCOMPARE(toString(sensor->link()), toString(LinkState::Disconnected));
        QVERIFY(advanceUntil(
            clock, [&] { return sensor->link() == LinkState::Connected; }, 1s));
        const int id = sensor->measure(false);
        QVERIFY(advanceUntil(
            clock, [&] { return !sensor->busy(); }, 1s));
        QCOMPARE(sensor->measurementId(), id);
    }

    void aDriverErrorIsAFaultWithItsReason()
    {
        ManualClock clock;
        const Async::TimePoint start = clock.now();
        auto motor = startDevice<Sim::SimMotor>(
            QStringLiteral("sim-motor"), {{QStringLiteral("fail_after_s"), 0.5}});
        expectFault("dut is in fault: update_state failed: dut: position query: simulated "
                    "driver error");
        clock.advance(499ms);
        QCOMPARE(toString(motor->status()), QStringLiteral("ready"));
        QVERIFY(advanceUntil(
            clock, [&] { return motor->status() == DeviceStatus::Fault; }, 1s));
        QCOMPARE(elapsedMs(clock, start), 500.0);
        QCOMPARE(motor->faultReason(),
            QStringLiteral("update_state failed: dut: position query: simulated driver error"));
    }

    void anInstrumentThatStopsAnsweringTimesOutAndFaults()
    {
        // From 0.5 s every call blocks the device's I/O thread for good. Each poll is given up
        // after 1 s; two missed polls are forgiven, the third is the fault.
        ManualClock clock;
        const Async::TimePoint start = clock.now();
        auto motor = startDevice<Sim::SimMotor>(
            QStringLiteral("sim-motor"), {{QStringLiteral("hang_after_s"), 0.5}});
        expectFault("dut is in fault: update_state failed: dut: position query timed out: no "
                    "answer in 1 s");
        clock.advance(2s);
        QCOMPARE(toString(motor->status()), QStringLiteral("ready"));
        QVERIFY(advanceUntil(
            clock, [&] { return motor->status() == DeviceStatus::Fault; }, 10s));
        // 0.5 s, then three polls of 1 s each with 100 ms between them.
        QCOMPARE(elapsedMs(clock, start), 3700.0);
        QCOMPARE(motor->faultReason(),
            QStringLiteral("update_state failed: dut: position query timed out: no answer in 1 s"));
    }

    void aLostConnectionEndsAMeasurementLoop()
    {
        ManualClock clock;
        auto sensor = startDevice<Sim::SimSensor>(QStringLiteral("sim-sensor"),
            {{QStringLiteral("disconnect_after_s"), 0.3}, {QStringLiteral("integration_ms"), 50}});
        expectFault("dut is in fault: .*connection lost");
        sensor->measure(true);
        QVERIFY(advanceUntil(
            clock, [&] { return sensor->status() == DeviceStatus::Fault; }, 1s));
        QVERIFY(!sensor->busy());
        QVERIFY(sensor->faultReason().endsWith(QStringLiteral("dut: connection lost")));
        QVERIFY(sensor->measurementId() >= 4);
    }

    void stuckBusyMotorStaysBusyUntilStop()
    {
        ManualClock clock;
        auto motor = startDevice<Sim::SimMotor>(QStringLiteral("sim-motor"),
            {{QStringLiteral("stuck_busy"), true}, {QStringLiteral("speed"), 100.0},
                {QStringLiteral("acceleration"), 1000.0}});
        QSignalSpy busy(motor.get(), &Device::busyChanged);
        invoke(*motor, QStringLiteral("set_position"), {10.0});
        clock.advance(3s);
        QCOMPARE(motor->position(), 10.0); // it arrived, but never says so
        QVERIFY(motor->busy());
        invoke(*motor, QStringLiteral("stop"));
        QVERIFY(!motor->busy());
        QCOMPARE(motor->destination(), 10.0);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
    }

    void stuckBusySensorAndWheelStayBusyUntilStop()
    {
        ManualClock clock;
        auto sensor = startDevice<Sim::SimSensor>(QStringLiteral("sim-sensor"),
            {{QStringLiteral("stuck_busy"), true}, {QStringLiteral("integration_ms"), 10}});
        auto wheel = startDevice<Sim::SimFilterWheel>(QStringLiteral("sim-filter-wheel"),
            {{QStringLiteral("stuck_busy"), true}, {QStringLiteral("seconds_per_slot"), 0.1}});
        sensor->measure(false);
        wheel->setIdentifier(QStringLiteral("ND1"));
        clock.advance(3s);
        QVERIFY(sensor->busy());
        QCOMPARE(sensor->measurementId(), -1);
        QVERIFY(wheel->busy());
        QCOMPARE(wheel->position(), 2.0);
        QCOMPARE(wheel->identifier(), QString());
        sensor->stop();
        wheel->stop();
        QVERIFY(!sensor->busy());
        QVERIFY(!wheel->busy());
        QCOMPARE(wheel->identifier(), QStringLiteral("ND1"));
    }

    void noiseChangesReadings()
    {
        ManualClock clock;
        const QVariantMap flat{{QStringLiteral("rate_hz"), 100.0},
            {QStringLiteral("amplitude"), 0.0}, {QStringLiteral("offset"), 2.0},
            {QStringLiteral("seed"), 5}};
        auto clean = startDevice<Sim::SimSignal>(
            QStringLiteral("sim-signal"), flat, QStringLiteral("clean"));
        QVariantMap noisyConfig = flat;
        noisyConfig.insert(QStringLiteral("noise"), 0.2);
        auto noisy = startDevice<Sim::SimSignal>(
            QStringLiteral("sim-signal"), noisyConfig, QStringLiteral("noisy"));
        QList<double> cleanValues, noisyValues;
        for (int i = 0; i < 500; ++i) {
            clock.advance(10ms);
            cleanValues << clean->measured().value(QStringLiteral("signal")).toDouble();
            noisyValues << noisy->measured().value(QStringLiteral("signal")).toDouble();
        }
        QVERIFY(
            std::all_of(cleanValues.begin(), cleanValues.end(), [](double v) { return v == 2.0; }));
        double sum = 0, squares = 0;
        for (double v : noisyValues) {
            sum += v - 2.0;
            squares += (v - 2.0) * (v - 2.0);
        }
        QVERIFY2(std::abs(sum / 500) < 0.05, qPrintable(QString::number(sum / 500)));
        QVERIFY2(std::abs(std::sqrt(squares / 500) - 0.2) < 0.03,
            qPrintable(QString::number(std::sqrt(squares / 500))));

        // The sensor: readings stay within its model without noise, and leave it with noise.
        auto sensor = startDevice<Sim::SimSensor>(QStringLiteral("sim-sensor"),
            {{QStringLiteral("integration_ms"), 0}, {QStringLiteral("noise"), 1.0},
                {QStringLiteral("seed"), 3}});
        int outside = 0;
        for (int i = 0; i < 20; ++i) {
            sensor->measure(false);
            const double v = sensor->measured().value(QStringLiteral("signal")).toDouble();
            outside += std::abs(v - 1.0) > 0.05 ? 1 : 0;
        }
        QVERIFY(outside >= 15);
    }
};

QTEST_GUILESS_MAIN(TestSimFaults)
#include "tst_simfaults.moc"
