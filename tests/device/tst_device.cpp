// SPDX-License-Identifier: MIT
// The device model without a host: limits policy, message dispatch, property metadata, busy,
// faults and saved-state restore.
#include "testdevices.h"
#include "testsupport.h"

#include <device/awaitables.h>
#include <device/dispatch.h>

#include <QJsonValue>

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace std::chrono_literals;

namespace {

/// A driver's own messages and a declared value: `flash [seconds = 2]` acts, `lamp_hours`
/// reads, and the value `hours` has its getter.
class Lamp : public Device {
    Q_OBJECT
public:
    explicit Lamp(DeviceSettings settings)
        : Device(std::move(settings))
    {
        declareValue({.name = QStringLiteral("hours"),
            .type = ValueType::Int,
            .doc = QStringLiteral("Hours the bulb has burnt.")});
        setValue(QStringLiteral("hours"), 120);
    }
    QList<MessageDefinition> ownMessages() const override
    {
        return {
            {.name = QStringLiteral("flash"),
                .trait = kind(),
                .request = {parameter(QStringLiteral("seconds"), QStringLiteral("double"), 2.0)},
                .doc = QStringLiteral("Flashes."),
                .effect = Effect::Acts},
            {.name = QStringLiteral("lamp_hours"),
                .trait = kind(),
                .response = QStringLiteral("int"),
                .doc = QStringLiteral("The hours.")}};
    }
    QVariant invokeOwn(const QString &message, const QVariantList &args) override
    {
        calls << message + QLatin1Char(' ') + QVariant(args).toStringList().join(' ');
        return message == QLatin1String("lamp_hours") ? values().value("hours") : QVariant();
    }
    QStringList calls;
};

} // namespace

class TestDevice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void applyLimits_data()
    {
        QTest::addColumn<double>("target");
        QTest::addColumn<QString>("policy");
        QTest::addColumn<QVariant>("expected"); // double, invalid (ignored) or QString (error)
        QTest::newRow("inside") << 5.0 << "error" << QVariant(5.0);
        QTest::newRow("on the limit") << 10.0 << "error" << QVariant(10.0);
        QTest::newRow("closest above") << 12.0 << "closest" << QVariant(10.0);
        QTest::newRow("closest below") << -3.0 << "closest" << QVariant(0.0);
        QTest::newRow("ignore") << 12.0 << "ignore" << QVariant();
        QTest::newRow("error") << 12.0 << "error"
                               << QVariant(
                                      QStringLiteral("stage: 12 is outside the limits [0, 10]"));
        QTest::newRow("nan") << std::nan("") << "closest"
                             << QVariant(
                                    QStringLiteral("stage: the target position is not a number"));
    }
    void applyLimits()
    {
        QFETCH(double, target);
        QFETCH(QString, policy);
        QFETCH(QVariant, expected);
        const Limits limits{0.0, 10.0};
        const OutOfLimits p = outOfLimitsFromString(policy).value();
        if (expected.typeId() == QMetaType::QString) {
            try {
                (void)Benchtop::applyLimits(target, limits, p, QStringLiteral("stage"));
                QFAIL("no error");
            } catch (const DeviceError &e) {
                QCOMPARE(e.message(), expected.toString());
            }
            return;
        }
        const std::optional<double> to
            = Benchtop::applyLimits(target, limits, p, QStringLiteral("stage"));
        QCOMPARE(to.has_value(), expected.isValid());
        if (to)
            QCOMPARE(*to, expected.toDouble());
    }

    void limitsIntersect()
    {
        const Limits configured{-5, 20};
        const Limits hardware{0, 100};
        QVERIFY(configured.intersected(hardware) == (Limits{0, 20}));
        QVERIFY(!outOfLimitsFromString(QStringLiteral("nearest")));
    }

    void traitsFoundByQobjectCast()
    {
        TestStage stage({QStringLiteral("stage"), QStringLiteral("test-stage"), {}});
        QCOMPARE(stage.traits(),
            (QStringList{"is-daemon", "has-position", "has-limits", "is-stoppable"}));
        Device plain({QStringLiteral("plain"), QStringLiteral("plain"), {}});
        QCOMPARE(plain.traits(), QStringList{"is-daemon"});
    }

    void dispatchCallsTraits()
    {
        TestStage stage({QStringLiteral("stage"), QStringLiteral("test-stage"),
            {{"limits", QVariantList{0.0, 10.0}}, {"out_of_limits", "closest"}}});
        QSignalSpy busy(&stage, &Device::busyChanged);
        QCOMPARE(invoke(stage, "set_position", {4.0}), QVariant());
        QCOMPARE(busy.count(), 1);
        QCOMPARE(invoke(stage, "get_destination").toDouble(), 4.0);
        QCOMPARE(invoke(stage, "busy").toBool(), true);
        stage.arrive();
        QCOMPARE(invoke(stage, "get_position").toDouble(), 4.0);
        QCOMPARE(invoke(stage, "set_relative", {3.0}).toDouble(), 7.0);
        QCOMPARE(invoke(stage, "set_relative", {30.0}).toDouble(), 10.0); // closest
        QCOMPARE(invoke(stage, "get_limits"), QVariant(QVariantList{0.0, 10.0}));
        QCOMPARE(invoke(stage, "in_limits", {11.0}).toBool(), false);
        QCOMPARE(invoke(stage, "get_units").toString(), QStringLiteral("mm"));
        invoke(stage, "stop");
        QCOMPARE(stage.busy(), false);
        QCOMPARE(stage.destination(), 4.0);
        QCOMPARE(
            invoke(stage, "id").toMap().value("kind").toString(), QStringLiteral("test-stage"));
        QVERIFY(messagesOf(stage).contains("set_position"));
        QVERIFY(!messagesOf(stage).contains("measure"));
    }

    void dispatchErrors_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QVariantList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown") << "fly" << QVariantList{}
                                 << "stage (test-stage) has no message fly";
        QTest::newRow("other trait")
            << "measure" << QVariantList{} << "stage (test-stage) has no message measure";
        QTest::newRow("too few") << "set_position" << QVariantList{}
                                 << "stage: set_position takes 1 (position), got 0";
        QTest::newRow("string for number")
            << "set_position" << QVariantList{"5"}
            << "stage: set_position: argument position must be double, not QString";
    }
    void dispatchErrors()
    {
        QFETCH(QString, message);
        QFETCH(QVariantList, args);
        QFETCH(QString, error);
        TestStage stage({QStringLiteral("stage"), QStringLiteral("test-stage"), {}});
        try {
            invoke(stage, message, args);
            QFAIL("no error");
        } catch (const DeviceError &e) {
            QCOMPARE(e.message(), error);
        }
        QCOMPARE(stage.busy(), false);
    }

    void ownMessagesAreCheckedAsDeclared_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QVariantList>("args");
        QTest::addColumn<QString>("call"); // what the driver got, or the error
        QTest::newRow("default filled in") << "flash" << QVariantList{} << "flash 2";
        QTest::newRow("given") << "flash" << QVariantList{0.5} << "flash 0.5";
        QTest::newRow("integer for a double") << "flash" << QVariantList{3} << "flash 3";
        QTest::newRow("string for a double")
            << "flash" << QVariantList{"3"}
            << "lamp: flash: argument seconds must be double, not QString";
        QTest::newRow("too many") << "flash" << QVariantList{1, 2}
                                  << "lamp: flash takes 1 (seconds), got 2";
        QTest::newRow("reads") << "lamp_hours" << QVariantList{} << "lamp_hours ";
        QTest::newRow("unknown") << "dim" << QVariantList{} << "lamp (lamp) has no message dim";
    }
    void ownMessagesAreCheckedAsDeclared()
    {
        QFETCH(QString, message);
        QFETCH(QVariantList, args);
        QFETCH(QString, call);
        Lamp lamp({QStringLiteral("lamp"), QStringLiteral("lamp"), {}});
        try {
            invoke(lamp, message, args);
            QCOMPARE(lamp.calls, QStringList{call});
        } catch (const DeviceError &e) {
            QCOMPARE(e.message(), call);
            QVERIFY(lamp.calls.isEmpty());
        }
    }

    void declaredValuesHaveGettersAndAreProperties()
    {
        Lamp lamp({QStringLiteral("lamp"), QStringLiteral("lamp"), {}});
        QCOMPARE(messagesOf(lamp),
            (QStringList{
                "busy", "flash", "get_config", "get_hours", "get_state", "id", "lamp_hours"}));
        QCOMPARE(invoke(lamp, "get_hours").toInt(), 120);
        const std::optional<MessageDefinition> getter = messageDefinition(lamp, "get_hours");
        QVERIFY(getter);
        QCOMPARE(getter->response, QJsonValue(QStringLiteral("int")));
        QCOMPARE(getter->doc, QStringLiteral("Hours the bulb has burnt."));
        QCOMPARE(getter->trait, QStringLiteral("lamp"));
        const QList<PropertyInfo> properties = lamp.properties();
        QCOMPARE(properties.size(), 1);
        QCOMPARE(properties[0].getter, QStringLiteral("get_hours"));
        QCOMPARE(properties[0].stateKey, QStringLiteral("hours"));
    }

    // Readiness is checked once, by dispatch: acting messages wait for a ready device, reading
    // and stopping ones are answered whatever its state.
    void readinessIsCheckedForActingMessagesOnly()
    {
        Lamp lamp({QStringLiteral("lamp"), QStringLiteral("lamp"), {}});
        QTest::ignoreMessage(QtWarningMsg, "lamp is in fault: burnt out");
        lamp.fail(QStringLiteral("burnt out"));
        try {
            invoke(lamp, "flash");
            QFAIL("a device in fault took an acting call");
        } catch (const DeviceError &e) {
            QCOMPARE(e.message(), QStringLiteral("lamp is in fault (burnt out); restart it"));
        }
        QVERIFY(lamp.calls.isEmpty());
        QCOMPARE(invoke(lamp, "lamp_hours").toInt(), 120);
        QCOMPARE(invoke(lamp, "get_hours").toInt(), 120);

        TestStage stage({QStringLiteral("stage"), QStringLiteral("test-stage"), {}});
        invoke(stage, "set_position", {1.0});
        QVERIFY(stage.busy());
        QTest::ignoreMessage(QtWarningMsg, "stage is in fault: jammed");
        stage.fail(QStringLiteral("jammed"));
        invoke(stage, "stop"); // stopping is always allowed
        QVERIFY_THROWS_EXCEPTION(DeviceError, invoke(stage, "set_position", {2.0}));
        QCOMPARE(invoke(stage, "get_destination").toDouble(), stage.position());
    }

    void propertiesDescribeTraits()
    {
        TestStage stage({QStringLiteral("stage"), QStringLiteral("test-stage"),
            {{"limits", QVariantList{-1.0, 1.0}}}});
        const QList<PropertyInfo> props = stage.properties();
        QCOMPARE(props.size(), 2);
        QCOMPARE(props[0].name, QStringLiteral("destination"));
        QCOMPARE(props[0].setter, QStringLiteral("set_position"));
        QCOMPARE(props[0].units, QStringLiteral("mm"));
        QVERIFY(props[0].limits == (Limits{-1.0, 1.0}));
        QVERIFY(props[0].controlKind == ControlKind::Hinted);
        QCOMPARE(props[1].name, QStringLiteral("position"));
        QVERIFY(props[1].setter.isEmpty());

        TestSensor sensor({QStringLiteral("meter"), QStringLiteral("test-sensor"), {}});
        const QList<PropertyInfo> sensed = sensor.properties();
        QCOMPARE(sensed[0].name, QStringLiteral("value"));
        QCOMPARE(sensed[0].stateKey, QStringLiteral("measured/value"));
        QCOMPARE(sensed[0].units, QStringLiteral("V"));
        QCOMPARE(
            valueAt({{"measured", QVariantMap{{"value", 2.5}}}}, sensed[0].stateKey).toDouble(),
            2.5);
    }

    void exceptionInTaskBecomesFault()
    {
        ThrowingDevice device(
            {QStringLiteral("flaky"), QStringLiteral("throwing"), {{"fail_after_ms", 1}}});
        QSignalSpy faults(&device, &Device::faultRaised);
        QTest::ignoreMessage(
            QtWarningMsg, "flaky is in fault: update_state failed: simulated hardware error");
        device.start();
        QVERIFY(faults.wait(2000));
        QCOMPARE(toString(device.status()), toString(DeviceStatus::Fault));
        QCOMPARE(
            device.faultReason(), QStringLiteral("update_state failed: simulated hardware error"));
        try {
            invoke(device, "busy"); // reading is still allowed
            device.ensureReady();
            QFAIL("a device in fault took a call");
        } catch (const DeviceError &e) {
            QVERIFY(e.message().startsWith("flaky is in fault (update_state failed"));
        }
        device.stopTasksNow();
    }

    void untilIdleFollowsBusy()
    {
        TestStage stage({QStringLiteral("stage"), QStringLiteral("test-stage"), {}});
        QTimer::singleShot(20ms, &stage, [&stage] { stage.arrive(); });
        const double reached = QCoro::waitFor(moveTo(stage, 3.0));
        QCOMPARE(reached, 3.0);
        QCOMPARE(stage.busy(), false);
    }

    void untilIdleThrowsOnFault()
    {
        TestStage stage({QStringLiteral("stage"), QStringLiteral("test-stage"), {}});
        QTest::ignoreMessage(QtWarningMsg, "stage is in fault: lost");
        QTimer::singleShot(20ms, &stage, [&stage] { stage.fail(QStringLiteral("lost")); });
        bool threw = false;
        QCoro::waitFor([&]() -> QCoro::Task<> {
            try {
                co_await moveTo(stage, 3.0);
            } catch (const DeviceError &) {
                threw = true;
            }
        }());
        QVERIFY(threw);
    }

    void measureOnceGivesThatMeasurement()
    {
        TestSensor sensor({QStringLiteral("meter"), QStringLiteral("test-sensor"), {}});
        const QVariantMap first = QCoro::waitFor(measureOnce(sensor));
        const QVariantMap second = QCoro::waitFor(measureOnce(sensor));
        QCOMPARE(first.value("measurement_id").toInt(), 0);
        QCOMPARE(second.value("measurement_id").toInt(), 1);
        QCOMPARE(second.value("value").toDouble(), 10.0);
    }

    void restoreStateChecksTypes()
    {
        TestStage stage({QStringLiteral("stage"), QStringLiteral("test-stage"), {}});
        stage.restoreState({{"position", 4.5}, {"destination", 4.5}, {"unrelated", 1}});
        QCOMPARE(stage.position(), 4.5);
        QCOMPARE(stage.state(), (QVariantMap{{"position", 4.5}, {"destination", 4.5}}));
        QTest::ignoreMessage(
            QtWarningMsg, "stage: saved position has the wrong type; keeping the default");
        stage.restoreState({{"position", QVariantList{1, 2}}});
        QCOMPARE(stage.position(), 4.5);
    }

    void snapshotSequenceIncreases()
    {
        TestStage stage({QStringLiteral("stage"), QStringLiteral("test-stage"), {}});
        const quint64 before = stage.snapshot().sequence;
        QSignalSpy changed(&stage, &Device::changed);
        stage.setPosition(1.0);
        QVERIFY(stage.snapshot().sequence > before);
        QVERIFY(stage.snapshot().busy);
        QCOMPARE(stage.snapshot().values.value("destination").toDouble(), 1.0);
        QVERIFY(changed.count() >= 2);
        stage.setPosition(1.0); // same destination, already busy: nothing changes
        QCOMPARE(changed.count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestDevice)
#include "tst_device.moc"
