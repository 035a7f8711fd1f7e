// SPDX-License-Identifier: MIT
// checkNewDevice: a device about to be added is checked as the lab file holding it would be, and
// each problem is tied to the key the form should mark.
#include "testsupport.h"

#include "dialogs/newdevicecheck.h"

#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

ConfigField field(const QString &name, ValueType type, const QVariant &defaultValue)
{
    ConfigField f;
    f.name = name;
    f.type = type;
    f.defaultValue = defaultValue;
    return f;
}

QList<DriverInfo> drivers()
{
    DriverInfo motor;
    motor.kind = "test-motor";
    motor.traits = {"is-daemon", "has-position", "is-homeable", "is-stoppable"};
    ConfigField speed = field("speed", ValueType::Double, 10.0);
    speed.minimum = 0.0;
    speed.maximum = 100.0;
    speed.units = "mm/s";
    ConfigField limits = field("limits", ValueType::DoubleList, QVariantList{-50.0, 50.0});
    limits.minimum = -100.0;
    limits.maximum = 100.0;
    ConfigField mode = field("mode", ValueType::String, "a");
    mode.options = QStringList{"a", "b"};
    const ConfigField port = field("serial_port", ValueType::String, QVariant());
    motor.config = {speed, limits, mode, port};

    DriverInfo panel;
    panel.kind = "test-panel";
    panel.traits = {"is-daemon", "has-digital-io"};
    panel.config = {field("on_press", ValueType::Bindings, QVariantMap{})};
    return {motor, panel};
}

QList<LabDevice> lab()
{
    LabDevice stage;
    stage.name = "stage";
    stage.kind = "test-motor";
    return {stage};
}

QString problemsText(const NewDeviceCheck &check)
{
    QStringList lines;
    for (const SettingProblem &p : check.problems)
        lines << p.key + ": " + p.message;
    return lines.join('\n');
}

} // namespace

class TestNewDeviceCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void freeNameSkipsTakenOnes()
    {
        QCOMPARE(freeDeviceName("sim-motor", {}), "sim-motor-1");
        LabDevice one;
        one.name = "sim-motor-1";
        LabDevice three;
        three.name = "sim-motor-3";
        QCOMPARE(freeDeviceName("sim-motor", {one, three}), "sim-motor-2");
    }

    void nameProblems_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem");

        QTest::newRow("empty") << ""
                               << "The device needs a name.";
        QTest::newRow("space") << "my stage"
                               << "The name \"my stage\" may only contain letters (A-Z, a-z), "
                                  "digits, \"-\" and \"_\".";
        QTest::newRow("dot") << "a.b"
                             << "The name \"a.b\" may only contain letters (A-Z, a-z), digits, "
                                "\"-\" and \"_\".";
        // The lab file refuses such a name: the form's own copy of the rule took it.
        QTest::newRow("too long") << QString(65, 'x')
                                  << "The name \"" + QString(40, 'x')
                + "…\" (65 characters) is too long: at most 64 characters.";
        QTest::newRow("reserved") << "benchtop"
                                  << "The name \"benchtop\" is reserved for the lab's own "
                                     "settings.";
        QTest::newRow("final newline") << "stage\n"
                                       << "The name \"stage\\n\" may only contain letters (A-Z, "
                                          "a-z), digits, \"-\" and \"_\".";
        QTest::newRow("taken") << "stage"
                               << "There is already a device called \"stage\" in "
                                  "this lab.";
        QTest::newRow("fine") << "Stage_2-x"
                              << "";
    }

    void nameProblems()
    {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        QCOMPARE(deviceNameProblem(name, lab()), problem);
    }

    void cleanDeviceGetsTheNormalizedConfig()
    {
        const NewDeviceCheck check = checkNewDevice("stage-2", "test-motor",
            {{"serial_port", "\"COM3\""}, {"speed", "25"}}, lab(), drivers());
        QVERIFY2(check.ok(), qPrintable(problemsText(check) + check.nameProblem));
        const QVariantMap expected{{"speed", 25.0}, {"limits", QVariantList{-50.0, 50.0}},
            {"mode", "a"}, {"serial_port", "COM3"}};
        QCOMPARE(check.config, expected);
        // An integer written for a double key comes back as a double, as for a lab file.
        QCOMPARE(check.config.value("speed").typeId(), QMetaType::Double);
    }

    void problemsNameTheirKey_data()
    {
        QTest::addColumn<QList<TomlEntry>>("entries");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");

        const TomlEntry port{"serial_port", "\"COM3\""};
        QTest::newRow("above maximum") << QList<TomlEntry>{{"speed", "200"}, port} << "speed"
                                       << "key \"speed\" must be at most 100 mm/s, not 200";
        QTest::newRow("element out of range")
            << QList<TomlEntry>{{"limits", "[0, 200]"}, port} << "limits"
            << "key \"limits[1]\" must be at most 100, not 200";
        QTest::newRow("wrong type") << QList<TomlEntry>{{"speed", "\"fast\""}, port} << "speed"
                                    << "key \"speed\" must be a number, not a string";
        QTest::newRow("not an option") << QList<TomlEntry>{{"mode", "\"c\""}, port} << "mode"
                                       << "key \"mode\" must be one of \"a\", \"b\", not \"c\"";
        QTest::newRow("missing required") << QList<TomlEntry>{} << "serial_port"
                                          << "missing required key \"serial_port\" (a string)";
        QTest::newRow("date") << QList<TomlEntry>{{"limits", "2024-05-01"}, port} << "limits"
                              << "key \"limits\" is a date; dates and times are not supported";
        QTest::newRow("unclosed array") << QList<TomlEntry>{{"limits", "[0, 10"}, port} << "limits"
                                        << "key \"limits\" is not a TOML value: ";
        QTest::newRow("bare word") << QList<TomlEntry>{{"serial_port", "COM3"}} << "serial_port"
                                   << "key \"serial_port\" is not a TOML value: ";
        QTest::newRow("two lines") << QList<TomlEntry>{{"limits", "[0,\n10]"}, port} << "limits"
                                   << "key \"limits\" must be written on one line";
        QTest::newRow("a second key on the line")
            << QList<TomlEntry>{{"speed", "1, mode = \"b\""}, port} << "speed"
            << "key \"speed\" is not a TOML value: ";
    }

    void problemsNameTheirKey()
    {
        QFETCH(QList<TomlEntry>, entries);
        QFETCH(QString, key);
        QFETCH(QString, message);
        const NewDeviceCheck check
            = checkNewDevice("stage-2", "test-motor", entries, lab(), drivers());
        QVERIFY(!check.ok());
        QVERIFY(check.nameProblem.isEmpty());
        QCOMPARE(check.problems.size(), 1);
        QCOMPARE(check.problems.first().key, key);
        QVERIFY2(check.problems.first().message.startsWith(message),
            qPrintable(check.problems.first().message));
        QVERIFY(check.config.isEmpty());
    }

    // An unreadable value does not hide the other problems, nor add "missing" for itself.
    void everyProblemAtOnceInTableOrder()
    {
        const NewDeviceCheck check = checkNewDevice("my stage", "test-motor",
            {{"speed", "200"}, {"limits", "[0,"}, {"mode", "\"c\""}, {"serial_port", "COM3"}},
            lab(), drivers());
        QVERIFY(!check.nameProblem.isEmpty());
        QStringList keys;
        for (const SettingProblem &p : check.problems)
            keys << p.key;
        QCOMPARE(keys, (QStringList{"speed", "limits", "mode", "serial_port"}));
    }

    void bindings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");

        QTest::newRow("existing device") << "{ foot = \"stage.home\" }"
                                         << "";
        QTest::newRow("no such device")
            << "{ foot = \"camera.measure\" }"
            << "key \"on_press.foot\": there is no device \"camera\" in this lab";
        QTest::newRow("message the device does not take")
            << "{ foot = \"stage.measure\" }"
            << "key \"on_press.foot\": device \"stage\" (\"test-motor\") cannot be triggered "
               "with \"measure\"; it takes \"home\", \"stop\"";
        QTest::newRow("not device.message")
            << "{ foot = \"stage\" }"
            << "key \"on_press.foot\" must be \"device.message\", not "
               "\"stage\"";
    }

    void bindings()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const NewDeviceCheck check
            = checkNewDevice("pedal", "test-panel", {{"on_press", text}}, lab(), drivers());
        if (message.isEmpty()) {
            QVERIFY2(check.ok(), qPrintable(problemsText(check)));
            QCOMPARE(check.config.value("on_press"), QVariant(QVariantMap{{"foot", "stage.home"}}));
        } else {
            QCOMPARE(check.problems.size(), 1);
            QCOMPARE(check.problems.first().key, "on_press");
            QCOMPARE(check.problems.first().message, message);
        }
    }

    // The lab's other devices are only there to be named: their own problems are not ours.
    void otherDevicesProblemsAreNotReported()
    {
        QList<LabDevice> existing = lab();
        LabDevice unknown;
        unknown.name = "old";
        unknown.kind = "gone-plugin";
        LabDevice noKind;
        noKind.name = "weird name";
        existing << unknown << noKind << existing.first(); // "stage" twice, too
        const NewDeviceCheck check = checkNewDevice("pedal", "test-panel",
            {{"on_press", "{ foot = \"stage.home\" }"}}, existing, drivers());
        QVERIFY2(check.ok(), qPrintable(problemsText(check)));
    }

    // The driver's own rules (DriverFactory::checkConfig) come with the lab's check: errors tied
    // to their setting, warnings apart (they do not stop the device).
    void theDriversOwnCheckIsPartOfIt()
    {
        const LabDrivers withChecks(drivers(), [](const DeviceSettings &settings) {
            QList<ConfigProblem> problems;
            if (settings.config.value("speed").toDouble() > 50)
                problems << ConfigProblem::warning("speed", "key \"speed\" is fast");
            if (settings.config.value("limits").toList().value(0).toDouble() > 0)
                problems << ConfigProblem::error("limits[0]", "key \"limits\" must hold 0");
            return problems;
        });
        const TomlEntry port{"serial_port", "\"COM3\""};
        NewDeviceCheck check
            = checkNewDevice("stage-2", "test-motor", {port, {"speed", "60"}}, lab(), withChecks);
        QVERIFY2(check.ok(), qPrintable(problemsText(check)));
        const QList<SettingProblem> fast{{"speed", "key \"speed\" is fast"}};
        QCOMPARE(check.warnings, fast);
        QCOMPARE(check.config.value("speed"), QVariant(60.0));

        check = checkNewDevice(
            "stage-2", "test-motor", {port, {"limits", "[10, 20]"}}, lab(), withChecks);
        QVERIFY(!check.ok());
        const QList<SettingProblem> limits{{"limits", "key \"limits\" must hold 0"}};
        QCOMPARE(check.problems, limits);
        QVERIFY(check.warnings.isEmpty());
    }

    void unknownKindIsAProblemOfTheDevice()
    {
        const NewDeviceCheck check = checkNewDevice("x", "nothing", {}, lab(), drivers());
        QCOMPARE(check.problems.size(), 1);
        QCOMPARE(check.problems.first().key, QString());
        QVERIFY2(check.problems.first().message.startsWith("unknown driver \"nothing\""),
            qPrintable(check.problems.first().message));
    }
};

QTEST_GUILESS_MAIN(TestNewDeviceCheck)
#include "tst_newdevicecheck.moc"
