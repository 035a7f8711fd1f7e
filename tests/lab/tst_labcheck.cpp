// SPDX-License-Identifier: MIT
// checkLab beyond the schema rows of tst_labfile: every problem names its device and key (so
// that nobody reads them back out of the text), the lab's own [benchtop] settings, and the
// drivers' own checks (errors and warnings, at their place in the file).
#include "testsupport.h"

#include <device/traits.h>
#include <lab/labcheck.h>
#include <lab/labfile.h>

#include <QTest>

#include <stdexcept>

using namespace Benchtop;

namespace {

const QString kLab = QStringLiteral("lab.toml");

QList<DriverInfo> kinds()
{
    DriverInfo motor{QStringLiteral("motor"), {},
        {QLatin1String(Trait::IsDaemon), QLatin1String(Trait::HasPosition),
            QLatin1String(Trait::IsHomeable)},
        {
            ConfigField{.name = QStringLiteral("serial_port"), .type = ValueType::String},
            ConfigField{.name = QStringLiteral("speed"),
                .type = ValueType::Double,
                .defaultValue = 10.0,
                .minimum = 0,
                .maximum = 100},
            ConfigField{.name = QStringLiteral("limits"),
                .type = ValueType::DoubleList,
                .defaultValue = QVariantList{-100.0, 100.0},
                .range = true},
            ConfigField{.name = QStringLiteral("gains"),
                .type = ValueType::DoubleMap,
                .defaultValue = QVariantMap{}},
        }};
    DriverInfo pedal{QStringLiteral("pedal"), {},
        {QLatin1String(Trait::IsDaemon), QLatin1String(Trait::HasDigitalIo)},
        {ConfigField{.name = QStringLiteral("on_press"),
            .type = ValueType::Bindings,
            .defaultValue = QVariantMap{}}}};
    return {motor, pedal};
}

/// (device, key, severity, message) of each problem.
QStringList described(const QList<LabError> &errors)
{
    QStringList lines;
    for (const LabError &e : errors) {
        lines << QStringLiteral("%1:%2 [%3|%4|%5] %6")
                     .arg(e.line)
                     .arg(e.column)
                     .arg(e.device, e.key, e.isError() ? QStringLiteral("E") : QStringLiteral("W"),
                         e.message);
    }
    return lines;
}

QStringList problemsOf(const QByteArray &text, const LabDrivers &drivers = kinds())
{
    LabParseResult parsed = parseLabText(text, kLab);
    return described(parsed.errors) + described(checkLab(parsed.lab, drivers));
}

} // namespace

class TestLabCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void errorRendersLikeACompiler()
    {
        const auto error = [](QString device, LabError::Severity severity) {
            return LabError{kLab, 3, 9, QStringLiteral("bad"), std::move(device),
                QStringLiteral("speed"), severity};
        };
        QCOMPARE(
            error({}, LabError::Severity::Error).toString(), QStringLiteral("lab.toml:3:9: bad"));
        QCOMPARE(error(QStringLiteral("stage"), LabError::Severity::Error).toString(),
            QStringLiteral("lab.toml:3:9: device \"stage\": bad"));
        QCOMPARE(error(QStringLiteral("stage"), LabError::Severity::Warning).toString(),
            QStringLiteral("lab.toml:3:9: warning: device \"stage\": bad"));
        QCOMPARE(error(QStringLiteral("a\"b"), LabError::Severity::Error).toString(),
            QStringLiteral("lab.toml:3:9: device \"a\\\"b\": bad"));
    }

    // The window, the form and the loader use these fields; the message no longer names the
    // device.
    void eachProblemNamesItsDeviceAndKey_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("problems");
        QTest::newRow("unknown key") << QByteArray("[stage]\ndriver = \"motor\"\nserial_port = "
                                                   "\"a\"\nsped = 1\n")
                                     << QStringList{"4:8 [stage|sped|E] unknown key \"sped\" (did "
                                                    "you mean \"speed\"?)"};
        QTest::newRow("an element: the key")
            << QByteArray("[stage]\ndriver = \"motor\"\nserial_port = \"a\"\nlimits = [0, \"x\"]\n")
            << QStringList{
                   "4:14 [stage|limits|E] key \"limits[1]\" must be a number, not a string"};
        QTest::newRow("an entry: the key")
            << QByteArray(
                   "[stage]\ndriver = \"motor\"\nserial_port = \"a\"\ngains = { red = \"x\" }\n")
            << QStringList{"4:17 [stage|gains|E] key \"gains.red\" must be a number, not a string"};
        QTest::newRow("missing required key")
            << QByteArray("[stage]\ndriver = \"motor\"\n")
            << QStringList{"1:1 [stage|serial_port|E] missing required key \"serial_port\" (a "
                           "string)"};
        QTest::newRow("unknown driver")
            << QByteArray("[stage]\ndriver = \"moter\"\n")
            << QStringList{
                   "2:10 [stage|driver|E] unknown driver \"moter\" (did you mean \"motor\"?)"};
        QTest::newRow("missing driver")
            << QByteArray("[stage]\nspeed = 1\n")
            << QStringList{"1:1 [stage|driver|E] missing key \"driver\" "
                           "(the kind of driver that runs it, such as "
                           "\"sim-motor\")"};
        QTest::newRow("port") << QByteArray("[stage]\ndriver = \"pedal\"\nport = 0\n")
                              << QStringList{"3:8 [stage|port|E] key \"port\" must be a TCP port "
                                             "number from 1 to 65535 (yaq daemons use 36000 to "
                                             "39999), not 0 (leave \"port\" out for a device that "
                                             "is not served)"};
        QTest::newRow("a date: the key") << QByteArray("[p]\ndriver = \"pedal\"\non_press = { a "
                                                       "= 2024-01-01 }\n")
                                         << QStringList{"3:18 [p|on_press|E] key \"on_press.a\" is "
                                                        "a date; dates and times are not "
                                                        "supported"};
        QTest::newRow("a binding") << QByteArray("[p]\ndriver = \"pedal\"\non_press = { a = "
                                                 "\"stage.home\" }\n")
                                   << QStringList{"3:18 [p|on_press|E] key \"on_press.a\": there "
                                                  "is no device \"stage\" in this lab"};
        // No device: a name that breaks the rule names none, and a value is not a device.
        QTest::newRow("bad name") << QByteArray("[\"my stage\"]\ndriver = \"pedal\"\n")
                                  << QStringList{"1:1 [||E] device name \"my stage\" may only "
                                                 "contain letters (A-Z, a-z), digits, \"-\" and "
                                                 "\"_\""};
        QTest::newRow("top-level value")
            << QByteArray("speed = 5\n")
            << QStringList{"1:1 [||E] a lab holds one table per device; \"speed\" is not a table "
                           "(it is an integer)"};
    }

    void eachProblemNamesItsDeviceAndKey()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, problems);
        QCOMPARE(problemsOf(text), problems);
    }

    void labSettingsAreTheirOwnTable()
    {
        LabParseResult parsed = parseLabText("[benchtop]\nbind = \"0.0.0.0\"\nruns_port = 38000\n"
                                             "data_dir = \"/data\"\n\n[p]\ndriver = \"pedal\"\n",
            kLab);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.lab.devices.size(), 1); // [benchtop] is not a device
        QVERIFY(parsed.lab.settings.present);
        QCOMPARE(parsed.lab.settings.line, 1);
        QVERIFY(checkLab(parsed.lab, kinds()).isEmpty());
        QCOMPARE(parsed.lab.settings.values,
            (QVariantMap{
                {"bind", "0.0.0.0"}, {"runs_port", qlonglong(38000)}, {"data_dir", "/data"}}));

        LabParseResult none = parseLabText("[p]\ndriver = \"pedal\"\n", kLab);
        QVERIFY(!none.lab.settings.present);
        QVERIFY(checkLab(none.lab, kinds()).isEmpty());
    }

    void labSettingsAreChecked_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("problems");
        QTest::newRow("misspelt key")
            << QByteArray("[benchtop]\nrun_port = 38000\n")
            << QStringList{"2:12 [|run_port|E] table \"benchtop\": unknown key \"run_port\" (did "
                           "you mean \"runs_port\"?)"};
        QTest::newRow("unknown key")
            << QByteArray("[benchtop]\ncolour = 1\n")
            << QStringList{"2:10 [|colour|E] table \"benchtop\": unknown key \"colour\" (it takes "
                           "\"bind\", \"runs_port\", \"data_dir\")"};
        QTest::newRow("port out of range")
            << QByteArray("[benchtop]\nruns_port = 70000\n")
            << QStringList{"2:13 [|runs_port|E] table \"benchtop\": key \"runs_port\" must be at "
                           "most 65535, not 70000"};
        QTest::newRow("wrong type") << QByteArray("[benchtop]\nbind = 5\n")
                                    << QStringList{"2:8 [|bind|E] table \"benchtop\": key \"bind\" "
                                                   "must be a string, not 5"};
        QTest::newRow("a date") << QByteArray("[benchtop]\ndata_dir = 2024-01-01\n")
                                << QStringList{"2:12 [|data_dir|E] table \"benchtop\": key "
                                               "\"data_dir\" is a date; dates and times are not "
                                               "supported"};
        // A device may not be called benchtop: the table is the lab's.
        QTest::newRow("a device called benchtop")
            << QByteArray("[benchtop]\ndriver = \"pedal\"\n")
            << QStringList{"2:10 [|driver|E] table \"benchtop\": unknown key \"driver\": "
                           "[benchtop] holds the lab's own settings, not a device; call the "
                           "device something else"};
    }

    void labSettingsAreChecked()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, problems);
        QCOMPARE(problemsOf(text), problems);
    }

    // The driver's own check sees the normalized config, and what it says is located like any
    // other problem; a warning is a warning.
    void driverChecksRunOnTheNormalizedConfig()
    {
        QList<DeviceSettings> seen;
        LabDrivers drivers(kinds(), [&](const DeviceSettings &settings) {
            seen << settings;
            QList<ConfigProblem> problems;
            if (settings.config.value("limits").toList().value(1).toDouble() > 50) {
                problems << ConfigProblem::error(
                    "limits[1]", "key \"limits[1]\" is beyond the travel");
            }
            if (settings.config.value("speed").toDouble() > 20)
                problems << ConfigProblem::warning("speed", "key \"speed\" is fast");
            if (settings.name == "whole")
                problems << ConfigProblem::warning({}, "no key");
            return problems;
        });
        LabParseResult parsed = parseLabText("[stage]\ndriver = \"motor\"\nserial_port = \"a\"\n"
                                             "speed = 30\nlimits = [0, 80]\n\n"
                                             "[whole]\ndriver = \"pedal\"\n\n"
                                             "[bad]\ndriver = \"motor\"\nserial_port = 5\n",
            kLab);
        QVERIFY(parsed.ok());
        QCOMPARE(described(checkLab(parsed.lab, drivers)),
            (QStringList{"4:9 [stage|speed|W] key \"speed\" is fast",
                "5:14 [stage|limits|E] key \"limits[1]\" is beyond the travel",
                "7:1 [whole||W] no key",
                "12:15 [bad|serial_port|E] key \"serial_port\" must be a string, not 5"}));
        // Not for a device whose values do not fit its schema; with defaults filled in.
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen[0].name, QString("stage"));
        QCOMPARE(seen[0].config.value("speed"), QVariant(30.0));
        QCOMPARE(seen[0].config.value("gains"), QVariant(QVariantMap{}));
        QCOMPARE(seen[1].config, (QVariantMap{{"on_press", QVariantMap{}}}));
        // A device with a driver's error is still normalized: the loader puts it in fault.
        QCOMPARE(parsed.lab.devices[0].config.value("speed"), QVariant(30.0));
    }

    void aDriverCheckThatThrowsIsAnError()
    {
        const LabDrivers drivers(kinds(), [](const DeviceSettings &) -> QList<ConfigProblem> {
            throw std::runtime_error("oops");
        });
        QCOMPARE(problemsOf("[p]\ndriver = \"pedal\"\n", drivers),
            QStringList{"1:1 [p||E] the driver's check of its settings failed: oops"});
    }

    void aPathIntoAKeyUnknownToTheSchemaStillNamesAKey()
    {
        const LabDrivers drivers(kinds(), [](const DeviceSettings &) {
            return QList<ConfigProblem>{ConfigProblem::error("other.x", "odd")};
        });
        QCOMPARE(
            problemsOf("[p]\ndriver = \"pedal\"\n", drivers), QStringList{"1:1 [p|other|E] odd"});
    }
};

QTEST_GUILESS_MAIN(TestLabCheck)
#include "tst_labcheck.moc"
