// SPDX-License-Identifier: MIT
// The trait helpers a driver builds on (core/device): SensorState numbers and publishes
// readings, MeasurementRunner runs yaq's measure/loop protocol around a driver's acquire(), and
// PositionState keeps position and destination and applies the limits policy. Time is a
// ManualClock: every interval is exact and instant.
#include "testsupport.h"

#include <async/event.h>
#include <async/manualclock.h>
#include <async/sleep.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>
#include <device/measurementrunner.h>
#include <device/positionstate.h>
#include <device/sensorstate.h>

#include <QTest>

#include <cmath>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace std::chrono_literals;

namespace {

/// A sensor whose acquisition the test drives: each acquire() waits `integration` of virtual
/// time, then reads `reading` (or throws `failure` when it is set).
class ScriptedSensor
    : public Device
    , public SensorState
    , public MeasurementRunner {
    Q_OBJECT
    Q_INTERFACES(Benchtop::IsSensor Benchtop::HasMeasureTrigger)
public:
    explicit ScriptedSensor(MeasurementRunner::Options options = {})
        : Device({QStringLiteral("meter"), QStringLiteral("scripted-sensor"), {}})
        , SensorState(this)
        , MeasurementRunner(this, this, options)
    {
        setChannels({{QStringLiteral("v"), QStringLiteral("V"), {}}});
    }
    ~ScriptedSensor() override { stopTasksNow(); }

    std::chrono::milliseconds integration{10};
    double reading = 1.5;
    QString failure;
    QList<Async::TimePoint> starts; ///< when each acquire() began

protected:
    QCoro::Task<QVariantMap> acquire() override
    {
        starts << Async::now();
        if (integration.count() > 0)
            co_await Async::sleep(integration);
        if (!failure.isEmpty())
            throw DeviceError(failure);
        co_return QVariantMap{{QStringLiteral("v"), reading}};
    }
};

/// A positioner with limits [0, 10] whose move() the test can make refuse.
class ScriptedStage
    : public Device
    , public PositionState
    , public HasLimits {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition Benchtop::HasLimits)
public:
    explicit ScriptedStage(OutOfLimits policy)
        : Device({QStringLiteral("stage"), QStringLiteral("scripted-stage"), {}})
        , PositionState(this)
        , m_policy(policy)
    {
    }
    QString units() const override { return QStringLiteral("mm"); }
    Limits limits() const override { return {0, 10}; }
    OutOfLimits outOfLimits() const override { return m_policy; }

    bool refuse = false;
    QList<double> moves;

protected:
    void move(double target) override
    {
        if (refuse)
            throw DeviceError(QStringLiteral("stage: the drive is off"));
        moves << target;
        setBusy(true);
    }

private:
    OutOfLimits m_policy;
};

/// A positioner without has-limits.
class FreeStage
    : public Device
    , public PositionState {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition)
public:
    FreeStage()
        : Device({QStringLiteral("free"), QStringLiteral("free-stage"), {}})
        , PositionState(this)
    {
    }
    QString units() const override { return {}; }

protected:
    void move(double) override { }
};

QString errorOf(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const DeviceError &e) {
        return e.message();
    }
    return {};
}

} // namespace

class TestTraitSupport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    // --- SensorState ---

    void channelsAreChecked_data()
    {
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<QString>("error");
        QTest::newRow("measurement_id")
            << QStringList{"a", "measurement_id"}
            << "meter: no channel may be called measurement_id (every measurement carries that "
               "key)";
        QTest::newRow("twice") << QStringList{"a", "a"} << "meter: channel \"a\" is named twice";
        QTest::newRow("empty") << QStringList{" "} << "meter: a channel has no name";
        QTest::newRow("fine") << QStringList{"a", "b"} << QString();
    }
    void channelsAreChecked()
    {
        QFETCH(QStringList, names);
        QFETCH(QString, error);
        ScriptedSensor sensor;
        QList<SensorChannel> channels;
        for (const QString &name : names)
            channels << SensorChannel{name, QStringLiteral("V"), {}};
        QCOMPARE(errorOf([&] { sensor.setChannels(channels); }), error);
        if (error.isEmpty())
            QCOMPARE(sensor.channelNames(), names);
    }

    void publishNumbersEachReading()
    {
        ScriptedSensor sensor;
        sensor.setChannels({{"x", "V", {}}, {"spectrum", "counts", {3}}});
        QCOMPARE(sensor.measurementId(), -1);
        QCOMPARE(sensor.publish({{"x", 1.0}, {"spectrum", QVariantList{1, 2, 3}}}), 0);
        QCOMPARE(sensor.publish({{"x", 2.0}, {"spectrum", QVariantList{4, 5, 6}}}), 1);
        QCOMPARE(sensor.measurementId(), 1);
        QCOMPARE(sensor.measured().value("x").toDouble(), 2.0);
        QCOMPARE(sensor.measured().value("measurement_id").toInt(), 1);
        QCOMPARE(sensor.values().value(StateKey::MeasurementId).toInt(), 1);
        QCOMPARE(sensor.channelShapes().value("spectrum"), QList<int>{3});
        QCOMPARE(sensor.channelUnits().value("spectrum").toString(), QStringLiteral("counts"));
    }

    // --- MeasurementRunner ---

    void aMeasurementIsBusyUntilItIsPublished()
    {
        Async::ManualClock clock;
        ScriptedSensor sensor;
        QCOMPARE(sensor.measure(false), 0);
        QVERIFY(sensor.busy());
        QVERIFY(sensor.isMeasuring());
        QCOMPARE(sensor.measurementId(), -1);
        QCOMPARE(sensor.measure(false), 0); // yaq: the measurement in progress
        clock.advance(10ms);
        QVERIFY(!sensor.busy());
        QCOMPARE(sensor.measurementId(), 0);
        QCOMPARE(sensor.measured().value("v").toDouble(), 1.5);
        QCOMPARE(sensor.measure(false), 1);
        clock.advance(10ms);
        QCOMPARE(sensor.measurementId(), 1);
    }

    void anAcquisitionThatNeverSuspendsIsDoneWhenMeasureReturns()
    {
        ScriptedSensor sensor;
        sensor.integration = 0ms;
        QCOMPARE(sensor.measure(false), 0);
        QVERIFY(!sensor.busy());
        QCOMPARE(sensor.measurementId(), 0);
    }

    void aLoopStartsAMeasurementEveryInterval()
    {
        Async::ManualClock clock;
        ScriptedSensor sensor({.loopInterval = 50ms});
        QCOMPARE(sensor.loopInterval(), 50ms);
        const Async::TimePoint start = clock.now();
        sensor.measure(true);
        for (int i = 0; i < 20; ++i)
            clock.advance(10ms); // 200 ms
        QVERIFY(sensor.busy());
        QCOMPARE(sensor.starts.size(), 5); // 0, 50, 100, 150 and 200 ms
        for (int i = 0; i < sensor.starts.size(); ++i)
            QCOMPARE(sensor.starts[i] - start, std::chrono::milliseconds(50 * i));
        sensor.stopLooping();
        for (int i = 0; i < 10; ++i)
            clock.advance(10ms);
        QVERIFY(!sensor.busy());
        QCOMPARE(sensor.measurementId(), 4); // the one in progress at stopLooping ended
    }

    void aLoopWithoutIntervalMeasuresBackToBack()
    {
        Async::ManualClock clock;
        ScriptedSensor sensor;
        sensor.measure(true);
        for (int i = 0; i < 10; ++i)
            clock.advance(10ms);
        QCOMPARE(sensor.measurementId(), 9);
        sensor.stopMeasuring();
    }

    void theLoopIntervalIsNotNegative()
    {
        ScriptedSensor sensor;
        QCOMPARE(errorOf([&] { sensor.setLoopInterval(-1ms); }),
            QStringLiteral("meter: the loop interval cannot be negative (-1 ms)"));
        sensor.setLoopInterval(20ms);
        QCOMPARE(sensor.loopInterval(), 20ms);
    }

    void stoppingKeepsThePreviousResultAndItsId()
    {
        Async::ManualClock clock;
        ScriptedSensor sensor;
        sensor.measure(false);
        clock.advance(10ms);
        QCOMPARE(sensor.measurementId(), 0);
        sensor.reading = 99;
        QCOMPARE(sensor.measure(true), 1);
        clock.advance(5ms);
        sensor.stopMeasuring();
        QVERIFY(!sensor.busy());
        QVERIFY(!sensor.isLooping());
        clock.advance(20ms);
        QCOMPARE(sensor.measurementId(), 0); // nothing published by the stopped measurement
        QCOMPARE(sensor.measured().value("v").toDouble(), 1.5);
        QCOMPARE(sensor.measure(false), 1); // its id goes to the next one
    }

    void aFailedReadingIsReportedAsTheErrorValue()
    {
        Async::ManualClock clock;
        ScriptedSensor sensor({.failure = MeasurementRunner::Failure::ReportError});
        QVERIFY(messagesOf(sensor).contains("get_error"));
        sensor.failure = QStringLiteral("meter: no reply");
        QTest::ignoreMessage(QtWarningMsg, "meter: no reply");
        sensor.measure(true);
        clock.advance(10ms);
        QVERIFY(!sensor.busy());
        QVERIFY(!sensor.isLooping());
        QVERIFY(sensor.status() == DeviceStatus::Ready);
        QCOMPARE(invoke(sensor, "get_error").toString(), QStringLiteral("meter: no reply"));
        sensor.failure.clear();
        sensor.measure(false);
        QCOMPARE(invoke(sensor, "get_error").toString(), QString()); // cleared as it starts
        clock.advance(10ms);
        QCOMPARE(sensor.measurementId(), 0);
    }

    void aFailedReadingIsAFaultByDefault()
    {
        Async::ManualClock clock;
        ScriptedSensor sensor;
        QVERIFY(!messagesOf(sensor).contains("get_error"));
        sensor.failure = QStringLiteral("meter: broken");
        QTest::ignoreMessage(QtWarningMsg, "meter is in fault: measure failed: meter: broken");
        sensor.measure(false);
        clock.advance(10ms);
        QVERIFY(sensor.status() == DeviceStatus::Fault);
        QVERIFY(!sensor.busy());
    }

    // --- PositionState ---

    void positionAndDestinationStartUnknown()
    {
        FreeStage stage;
        QVERIFY(std::isnan(stage.position()));
        QVERIFY(std::isnan(stage.destination()));
    }

    void setPositionAppliesTheLimitsPolicy_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<double>("target");
        QTest::addColumn<QVariant>("moved"); // the target move() got, or none
        QTest::addColumn<QString>("error");
        QTest::newRow("inside") << int(OutOfLimits::Error) << 4.0 << QVariant(4.0) << QString();
        QTest::newRow("closest") << int(OutOfLimits::Closest) << 12.0 << QVariant(10.0)
                                 << QString();
        QTest::newRow("ignore") << int(OutOfLimits::Ignore) << 12.0 << QVariant() << QString();
        QTest::newRow("error") << int(OutOfLimits::Error) << 12.0 << QVariant()
                               << "stage: 12 is outside the limits [0, 10]";
    }
    void setPositionAppliesTheLimitsPolicy()
    {
        QFETCH(int, policy);
        QFETCH(double, target);
        QFETCH(QVariant, moved);
        QFETCH(QString, error);
        ScriptedStage stage(static_cast<OutOfLimits>(policy));
        const QString got = errorOf([&] { stage.setPosition(target); });
        QCOMPARE(got, error);
        if (moved.isValid()) {
            QCOMPARE(stage.moves, QList<double>{moved.toDouble()});
            QCOMPARE(stage.destination(), moved.toDouble());
            QVERIFY(stage.busy());
        } else {
            QVERIFY(stage.moves.isEmpty());
            QVERIFY(std::isnan(stage.destination()));
        }
    }

    void aRefusedMoveLeavesTheDestination()
    {
        ScriptedStage stage(OutOfLimits::Closest);
        stage.setPosition(3);
        stage.refuse = true;
        QCOMPARE(errorOf([&] { stage.setPosition(7); }), QStringLiteral("stage: the drive is off"));
        QCOMPARE(stage.destination(), 3.0);
        QCOMPARE(
            errorOf([&] { stage.setRelative(1.0); }), QStringLiteral("stage: the drive is off"));
        QCOMPARE(stage.destination(), 3.0);
    }

    void aNaNTargetIsRefusedWithoutLimits()
    {
        FreeStage stage;
        QCOMPARE(errorOf([&] { stage.setPosition(std::nan("")); }),
            QStringLiteral("free: the target position is not a number"));
        stage.setPosition(-1e9); // no limits: anything finite goes
        QCOMPARE(stage.destination(), -1e9);
    }

    // A selector lists a wheel's named positions as its slots are, not alphabetically.
    void identifiersAreListedInPositionOrder()
    {
        const QMap<QString, double> slots{
            {"open", 0}, {"ND0.5", 1}, {"red", 4}, {"green", 5}, {"ND2", 3}, {"ND1", 2}};
        QCOMPARE(identifiersInPositionOrder(slots),
            (QStringList{"open", "ND0.5", "ND1", "ND2", "red", "green"}));
        QCOMPARE(identifiersInPositionOrder({{"b", 1}, {"a", 1}, {"c", -2}}),
            (QStringList{"c", "a", "b"}));
        QCOMPARE(identifiersInPositionOrder({}), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestTraitSupport)
#include "tst_traitsupport.moc"
