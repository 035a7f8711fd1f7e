// SPDX-License-Identifier: MIT
// Lab files: parsing, positions, every kind of error (rendered exactly), schema checks and the
// normalized config.
#include "testsupport.h"

#include <device/traits.h>
#include <lab/labcheck.h>
#include <lab/labfile.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Benchtop;

namespace {

const QString kLab = QStringLiteral("lab.toml");

QList<DriverInfo> drivers()
{
    const auto trait = [](const char *name) { return QLatin1String(name); };
    DriverInfo motor{QStringLiteral("sim-motor"), QStringLiteral("A simulated stage"),
        {trait(Trait::IsDaemon), trait(Trait::HasPosition), trait(Trait::HasLimits),
            trait(Trait::IsHomeable), trait(Trait::IsStoppable)},
        {
            ConfigField{.name = QStringLiteral("serial_port"), .type = ValueType::String},
            ConfigField{.name = QStringLiteral("speed"),
                .type = ValueType::Double,
                .defaultValue = 10.0,
                .minimum = 0,
                .maximum = 100,
                .units = QStringLiteral("mm/s")},
            ConfigField{.name = QStringLiteral("steps"),
                .type = ValueType::Int,
                .defaultValue = 200,
                .minimum = 1,
                .maximum = 10000},
            // Integers in a default, as JSON metadata may give them: normalized to doubles.
            ConfigField{.name = QStringLiteral("limits"),
                .type = ValueType::DoubleList,
                .defaultValue = QVariantList{qlonglong(-100), qlonglong(100)},
                .range = true},
            ConfigField{.name = QStringLiteral("out_of_limits"),
                .type = ValueType::String,
                .defaultValue = QStringLiteral("closest"),
                .options
                = {QStringLiteral("closest"), QStringLiteral("ignore"), QStringLiteral("error")}},
            ConfigField{
                .name = QStringLiteral("reversed"), .type = ValueType::Bool, .defaultValue = false},
        }};
    DriverInfo sensor{QStringLiteral("sim-sensor"), QStringLiteral("A simulated sensor"),
        {trait(Trait::IsDaemon), trait(Trait::IsSensor), trait(Trait::HasMeasureTrigger)},
        {
            ConfigField{.name = QStringLiteral("channels"),
                .type = ValueType::StringList,
                .defaultValue = QStringList{QStringLiteral("x")}},
            ConfigField{.name = QStringLiteral("integration_time"),
                .type = ValueType::Double,
                .defaultValue = 0.1,
                .minimum = 0,
                .units = QStringLiteral("s")},
        }};
    DriverInfo wheel{QStringLiteral("sim-filter-wheel"), QStringLiteral("A filter wheel"),
        {trait(Trait::IsDaemon), trait(Trait::IsDiscrete)},
        {
            ConfigField{.name = QStringLiteral("slots"),
                .type = ValueType::DoubleMap,
                .defaultValue = QVariantMap{},
                .minimum = 0},
            ConfigField{.name = QStringLiteral("labels"),
                .type = ValueType::StringMap,
                .defaultValue = QVariantMap{}},
            ConfigField{.name = QStringLiteral("extra"),
                .type = ValueType::Map,
                .defaultValue = QVariantMap{}},
        }};
    DriverInfo digital{QStringLiteral("sim-digital"), QStringLiteral("Digital lines"),
        {trait(Trait::IsDaemon), trait(Trait::HasDigitalIo)},
        {
            ConfigField{.name = QStringLiteral("inputs"),
                .type = ValueType::StringList,
                .defaultValue = QStringList{QStringLiteral("foot")}},
            ConfigField{.name = QStringLiteral("bindings"),
                .type = ValueType::Bindings,
                .defaultValue = QVariantMap{}},
        }};
    DriverInfo bare{
        QStringLiteral("sim-bare"), QStringLiteral("No settings"), {trait(Trait::IsDaemon)}, {}};
    // An instrument on the network, whose TCP port was once called `port` (as SCPI's was).
    DriverInfo meter{QStringLiteral("tcp-meter"), QStringLiteral("A networked meter"),
        {trait(Trait::IsDaemon), trait(Trait::IsSensor)},
        {
            ConfigField{.name = QStringLiteral("host"), .type = ValueType::String},
            ConfigField{.name = QStringLiteral("tcp_port"),
                .type = ValueType::Int,
                .defaultValue = qlonglong(5025),
                .minimum = 1,
                .maximum = 65535},
        }};
    return {motor, sensor, wheel, digital, bare, meter};
}

QStringList rendered(const QList<LabError> &errors)
{
    QStringList lines;
    for (const LabError &error : errors)
        lines << error.toString();
    return lines;
}

/// Parse, then check: every error of a file, as `benchtop --check` prints them.
QStringList allErrors(const QByteArray &text)
{
    LabParseResult parsed = parseLabText(text, kLab);
    return rendered(parsed.errors) + rendered(checkLab(parsed.lab, drivers()));
}

} // namespace

class TestLabFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void errorRendersLikeACompiler()
    {
        const auto error = [](QString file, int line, int column, QString message) {
            return LabError{std::move(file), line, column, std::move(message), {}, {},
                LabError::Severity::Error};
        };
        QCOMPARE(error(kLab, 3, 9, QStringLiteral("bad")).toString(),
            QStringLiteral("lab.toml:3:9: bad"));
        QCOMPARE(
            error(kLab, 3, 0, QStringLiteral("bad")).toString(), QStringLiteral("lab.toml:3: bad"));
        QCOMPARE(
            error(kLab, 0, 0, QStringLiteral("bad")).toString(), QStringLiteral("lab.toml: bad"));
        QCOMPARE(error(QStringLiteral("%1 lab.toml"), 2, 1, QStringLiteral("%2")).toString(),
            QStringLiteral("%1 lab.toml:2:1: %2"));
    }

    void parsesDevicesInFileOrderWithPositions()
    {
        const QByteArray text = R"(# a lab
alpha = { driver = "sim-sensor", channels = ["x", "y"] }

[zeta]
driver = "sim-motor"
serial_port = "COM3"
speed = 2.5
steps = 400
reversed = true
limits = [-1, 1.5]
extra = { a = { b = "c" } }

[mid-1_B]
driver = "sim-bare"
)";
        const LabParseResult result = parseLabText(text, kLab);
        QVERIFY2(result.ok(), qPrintable(rendered(result.errors).join(QLatin1Char('\n'))));
        QCOMPARE(result.lab.path, kLab);
        QCOMPARE(result.lab.devices.size(), 3);

        // An inline table is a device too, placed at its key.
        const LabDevice &alpha = result.lab.devices[0];
        QCOMPARE(alpha.name, QStringLiteral("alpha"));
        QCOMPARE(alpha.kind, QStringLiteral("sim-sensor"));
        QCOMPARE(qMakePair(alpha.line, alpha.column), qMakePair(2, 1));
        QCOMPARE(alpha.keyPositions.value(QStringLiteral("driver")), qMakePair(2, 20));
        QCOMPARE(alpha.config.value(QStringLiteral("channels")),
            QVariant(QVariantList{QStringLiteral("x"), QStringLiteral("y")}));

        const LabDevice &zeta = result.lab.devices[1];
        QCOMPARE(zeta.name, QStringLiteral("zeta"));
        QCOMPARE(zeta.kind, QStringLiteral("sim-motor"));
        QCOMPARE(zeta.line, 4);
        QCOMPARE(zeta.column, 1);
        QCOMPARE(
            zeta.config.value(QStringLiteral("serial_port")), QVariant(QStringLiteral("COM3")));
        QCOMPARE(zeta.config.value(QStringLiteral("speed")).typeId(), QMetaType::Double);
        QCOMPARE(zeta.config.value(QStringLiteral("speed")).toDouble(), 2.5);
        QCOMPARE(zeta.config.value(QStringLiteral("steps")).typeId(), QMetaType::LongLong);
        QCOMPARE(zeta.config.value(QStringLiteral("steps")).toLongLong(), 400);
        QCOMPARE(zeta.config.value(QStringLiteral("reversed")), QVariant(true));
        const QVariantList limits = zeta.config.value(QStringLiteral("limits")).toList();
        QCOMPARE(limits.size(), 2);
        QCOMPARE(limits[0].typeId(), QMetaType::LongLong);
        QCOMPARE(limits[1].typeId(), QMetaType::Double);
        QCOMPARE(zeta.config.value(QStringLiteral("extra")),
            QVariant(QVariantMap{
                {QStringLiteral("a"), QVariantMap{{QStringLiteral("b"), QStringLiteral("c")}}}}));
        QVERIFY(!zeta.config.contains(QStringLiteral("driver")));
        QCOMPARE(zeta.keyPositions.value(QStringLiteral("driver")), qMakePair(5, 10));
        QCOMPARE(zeta.keyPositions.value(QStringLiteral("speed")), qMakePair(7, 9));
        QCOMPARE(zeta.keyPositions.value(QStringLiteral("limits")), qMakePair(10, 10));
        QCOMPARE(zeta.keyPositions.value(QStringLiteral("limits[1]")), qMakePair(10, 15));
        QCOMPARE(zeta.keyPositions.value(QStringLiteral("extra.a.b")), qMakePair(11, 21));

        QCOMPARE(result.lab.devices[2].name, QStringLiteral("mid-1_B"));
        QCOMPARE(result.lab.devices[2].line, 13);

        QCOMPARE(result.lab.device(QStringLiteral("alpha")), &result.lab.devices[0]);
        QCOMPARE(result.lab.device(QStringLiteral("nobody")), nullptr);
    }

    void portIsWhereTheDeviceIsServed()
    {
        const QByteArray text = R"(pedal = { driver = "sim-bare", port = 39999 }

[dmm]
driver = "tcp-meter"
host = "10.0.0.5"
port = 36000
tcp_port = 5025

[stage]
driver = "sim-motor"
serial_port = "COM3"
)";
        LabParseResult parsed = parseLabText(text, kLab);
        QVERIFY2(parsed.ok(), qPrintable(rendered(parsed.errors).join(QLatin1Char('\n'))));
        QCOMPARE(parsed.lab.devices.size(), 3);
        const LabDevice &pedal = parsed.lab.devices[0];
        QCOMPARE(pedal.port, 39999);
        QCOMPARE(pedal.keyPositions.value(QStringLiteral("port")), qMakePair(1, 39));
        QVERIFY(pedal.config.isEmpty());
        const LabDevice &dmm = parsed.lab.devices[1];
        QCOMPARE(dmm.port, 36000);
        QCOMPARE(dmm.keyPositions.value(QStringLiteral("port")), qMakePair(6, 8));
        // Not a setting of the driver: the driver never sees it.
        QVERIFY(!dmm.config.contains(QStringLiteral("port")));
        QCOMPARE(dmm.config.value(QStringLiteral("tcp_port")), QVariant(qlonglong(5025)));
        const LabDevice &stage = parsed.lab.devices[2];
        QCOMPARE(stage.port, 0);
        QVERIFY(!stage.keyPositions.contains(QStringLiteral("port")));

        // With `tcp_port` given too, `port` is not mistaken for the instrument's.
        const QList<LabError> errors = checkLab(parsed.lab, drivers());
        QVERIFY2(errors.isEmpty(), qPrintable(rendered(errors).join(QLatin1Char('\n'))));
        QCOMPARE(parsed.lab.devices[1].port, 36000);
        QCOMPARE(parsed.lab.devices[1].config,
            (QVariantMap{{QStringLiteral("host"), QStringLiteral("10.0.0.5")},
                {QStringLiteral("tcp_port"), qlonglong(5025)}}));
        QVERIFY(!parsed.lab.devices[0].config.contains(QStringLiteral("port")));
    }

    void emptyLabIsValid()
    {
        const LabParseResult result = parseLabText("# nothing yet\n", kLab);
        QVERIFY(result.ok());
        QVERIFY(result.lab.devices.isEmpty());
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("expected");

        // Syntax: toml++'s own message, at its position; nothing else is reported.
        QTest::newRow("syntax") << QByteArray("[stage]\ndriver = \"sim-motor\"\nspeed = \n")
                                << QStringList{QStringLiteral(
                                       "lab.toml:3:9: Error while parsing key-value pair: "
                                       "expected value, saw '\\n'")};
        QTest::newRow("device name ending in a newline")
            << QByteArray("[\"cam\\n\"]\ndriver = \"sim-sensor\"\n")
            << QStringList{QStringLiteral("lab.toml:1:1: device name \"cam\\n\" may only contain "
                                          "letters (A-Z, a-z), digits, \"-\" and \"_\"")};
        QTest::newRow("same table twice")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\n\n[stage]\n")
            << QStringList{QStringLiteral("lab.toml:5:1: Error while parsing table header: "
                                          "cannot redefine existing table 'stage'")};
        QTest::newRow("same key twice")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\ndriver = \"sim-sensor\"\n")
            << QStringList{QStringLiteral("lab.toml:3:10: Error while parsing key-value pair: "
                                          "cannot redefine existing string 'driver'")};

        // The lab's structure.
        QTest::newRow("top-level value")
            << QByteArray("speed = 5\n\n[camera]\ndriver = \"sim-sensor\"\n")
            << QStringList{QStringLiteral("lab.toml:1:1: a lab holds one table per device; "
                                          "\"speed\" is not a table (it is an integer)")};
        QTest::newRow("bad device name")
            << QByteArray("[\"my stage\"]\ndriver = \"sim-bare\"\n")
            << QStringList{QStringLiteral("lab.toml:1:1: device name \"my stage\" may only "
                                          "contain letters (A-Z, a-z), digits, \"-\" and \"_\"")};
        QTest::newRow("missing driver")
            << QByteArray("[camera]\nchannels = [\"x\"]\n")
            << QStringList{QStringLiteral(
                   "lab.toml:1:1: device \"camera\": missing key \"driver\" (the kind of driver "
                   "that runs it, such as \"sim-motor\")")};
        QTest::newRow("driver not a string")
            << QByteArray("[camera]\ndriver = 5\n")
            << QStringList{QStringLiteral("lab.toml:2:10: device \"camera\": key \"driver\" must "
                                          "be the name of a driver kind (a non-empty string), not "
                                          "an integer")};
        QTest::newRow("driver empty")
            << QByteArray("[camera]\ndriver = \"\"\n")
            << QStringList{QStringLiteral("lab.toml:2:10: device \"camera\": key \"driver\" must "
                                          "be the name of a driver kind (a non-empty string), not "
                                          "an empty string")};
        QTest::newRow("dates")
            << QByteArray("[wheel]\ndriver = \"sim-filter-wheel\"\n"
                          "extra = { when = 1979-05-27, at = [07:32:00] }\n")
            << QStringList{QStringLiteral("lab.toml:3:18: device \"wheel\": key \"extra.when\" is "
                                          "a date; dates and times are not supported"),
                   QStringLiteral("lab.toml:3:36: device \"wheel\": key \"extra.at[0]\" is a "
                                  "time; dates and times are not supported")};

        // Drivers and keys.
        QTest::newRow("unknown driver, close")
            << QByteArray("[stage]\ndriver = \"sim-moter\"\n")
            << QStringList{QStringLiteral("lab.toml:2:10: device \"stage\": unknown driver "
                                          "\"sim-moter\" (did you mean \"sim-motor\"?)")};
        QTest::newRow("unknown driver, far")
            << QByteArray("[stage]\ndriver = \"thorlabs\"\n")
            << QStringList{QStringLiteral(
                   "lab.toml:2:10: device \"stage\": unknown driver \"thorlabs\" (known drivers: "
                   "\"sim-motor\", \"sim-sensor\", \"sim-filter-wheel\", \"sim-digital\", "
                   "\"sim-bare\", \"tcp-meter\")")};
        QTest::newRow("unknown key, close")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nsped = 5\n")
            << QStringList{QStringLiteral("lab.toml:4:8: device \"stage\": unknown key \"sped\" "
                                          "(did you mean \"speed\"?)")};
        QTest::newRow("unknown key, far")
            << QByteArray(
                   "[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\ncolour = \"red\"\n")
            << QStringList{QStringLiteral(
                   "lab.toml:4:10: device \"stage\": unknown key \"colour\" (driver \"sim-motor\" "
                   "takes \"serial_port\", \"speed\", \"steps\", \"limits\", \"out_of_limits\", "
                   "\"reversed\")")};
        QTest::newRow("unknown key, no settings")
            << QByteArray("[thing]\ndriver = \"sim-bare\"\nspeed = 1\n")
            << QStringList{QStringLiteral("lab.toml:3:9: device \"thing\": unknown key \"speed\" "
                                          "(driver \"sim-bare\" takes no settings)")};
        QTest::newRow("missing required key")
            << QByteArray("\n[stage]\ndriver = \"sim-motor\"\n")
            << QStringList{QStringLiteral("lab.toml:2:1: device \"stage\": missing required key "
                                          "\"serial_port\" (a string)")};

        // `port`: where benchtopd serves the device, not a setting of its driver.
        const QString portRange = QStringLiteral(
            "key \"port\" must be a TCP port number from 1 to 65535 (yaq daemons use 36000 to "
            "39999), not ");
        QTest::newRow("port not an integer")
            << QByteArray("[stage]\ndriver = \"sim-bare\"\nport = \"36000\"\n")
            << QStringList{QStringLiteral("lab.toml:3:8: device \"stage\": ") + portRange
                   + QStringLiteral("a string")};
        QTest::newRow("port a float")
            << QByteArray("[stage]\ndriver = \"sim-bare\"\nport = 36000.0\n")
            << QStringList{QStringLiteral("lab.toml:3:8: device \"stage\": ") + portRange
                   + QStringLiteral("a float")};
        QTest::newRow("port zero")
            << QByteArray("[stage]\ndriver = \"sim-bare\"\nport = 0\n")
            << QStringList{QStringLiteral("lab.toml:3:8: device \"stage\": ") + portRange
                   + QStringLiteral("0 (leave \"port\" out for a device that is not served)")};
        QTest::newRow("port negative")
            << QByteArray("stage = { driver = \"sim-bare\", port = -1 }\n")
            << QStringList{QStringLiteral("lab.toml:1:39: device \"stage\": ") + portRange
                   + QStringLiteral("-1")};
        QTest::newRow("port above 65535")
            << QByteArray("[stage]\ndriver = \"sim-bare\"\nport = 70000\n")
            << QStringList{QStringLiteral("lab.toml:3:8: device \"stage\": ") + portRange
                   + QStringLiteral("70000")};
        QTest::newRow("port taken")
            << QByteArray("[a]\ndriver = \"sim-bare\"\nport = 36001\n\n"
                          "[b]\ndriver = \"sim-bare\"\nport = 36002\n\n"
                          "[c]\ndriver = \"sim-bare\"\nport = 36001\n\n"
                          "[d]\ndriver = \"sim-bare\"\nport = 36001\n")
            << QStringList{QStringLiteral("lab.toml:11:8: device \"c\": key \"port\": 36001 is "
                                          "already the port of device \"a\" (line 3); each "
                                          "device is served on a port of its own"),
                   QStringLiteral("lab.toml:15:8: device \"d\": key \"port\": 36001 is already "
                                  "the port of device \"a\" (line 3); each device is served on "
                                  "a port of its own")};
        // A lab from before `tcp_port`: its `port` meant the instrument's.
        QTest::newRow("port for the instrument's tcp_port")
            << QByteArray("[dmm]\ndriver = \"tcp-meter\"\nhost = \"10.0.0.5\"\nport = 5025\n")
            << QStringList{QStringLiteral(
                   "lab.toml:4:8: device \"dmm\": key \"port\" is the port benchtopd serves "
                   "this device on (yaq), no longer the instrument's: write the instrument's TCP "
                   "port as tcp_port = 5025, and keep \"port\" only if the device is to be "
                   "served on it")};

        // Types.
        QTest::newRow("string for a number")
            << QByteArray(
                   "[stage]\ndriver = \"sim-motor\"\nspeed = \"fast\"\nserial_port = \"a\"\n")
            << QStringList{QStringLiteral(
                   "lab.toml:3:9: device \"stage\": key \"speed\" must be a number, not a string")};
        QTest::newRow("float for an integer")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nsteps = 2.0\n")
            << QStringList{QStringLiteral("lab.toml:4:9: device \"stage\": key \"steps\" must be "
                                          "an integer, not 2.0")};
        QTest::newRow("integer for a boolean")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nreversed = 1\n")
            << QStringList{QStringLiteral("lab.toml:4:12: device \"stage\": key \"reversed\" "
                                          "must be a boolean (true or false), not 1")};
        QTest::newRow("table for a string")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = { name = \"a\" }\n")
            << QStringList{QStringLiteral("lab.toml:3:15: device \"stage\": key \"serial_port\" "
                                          "must be a string, not a table")};
        QTest::newRow("number for an array")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nlimits = 5\n")
            << QStringList{QStringLiteral("lab.toml:4:10: device \"stage\": key \"limits\" must be "
                                          "an array of numbers, not 5")};
        QTest::newRow("array element")
            << QByteArray(
                   "[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nlimits = [0, \"ten\"]\n")
            << QStringList{QStringLiteral("lab.toml:4:14: device \"stage\": key \"limits[1]\" "
                                          "must be a number, not a string")};
        QTest::newRow("string list element")
            << QByteArray("[camera]\ndriver = \"sim-sensor\"\nchannels = [\"x\", true]\n")
            << QStringList{QStringLiteral("lab.toml:3:18: device \"camera\": key \"channels[1]\" "
                                          "must be a string, not true")};
        QTest::newRow("map entry")
            << QByteArray("[wheel]\ndriver = \"sim-filter-wheel\"\n"
                          "slots = { red = 0, blue = \"far\" }\n")
            << QStringList{QStringLiteral("lab.toml:3:27: device \"wheel\": key \"slots.blue\" "
                                          "must be a number, not a string")};
        QTest::newRow("map entry below minimum")
            << QByteArray("[wheel]\ndriver = \"sim-filter-wheel\"\n\n[wheel.slots]\nred = -1\n")
            << QStringList{QStringLiteral("lab.toml:5:7: device \"wheel\": key \"slots.red\" must "
                                          "be at least 0, not -1")};
        QTest::newRow("string map entry")
            << QByteArray("[wheel]\ndriver = \"sim-filter-wheel\"\nlabels = { red = 1 }\n")
            << QStringList{QStringLiteral("lab.toml:3:18: device \"wheel\": key \"labels.red\" "
                                          "must be a string, not 1")};
        QTest::newRow("array for a map")
            << QByteArray("[wheel]\ndriver = \"sim-filter-wheel\"\nextra = []\n")
            << QStringList{QStringLiteral(
                   "lab.toml:3:9: device \"wheel\": key \"extra\" must be a table, not an array")};

        // Long text in a message is cut short; whole numbers are written in full.
        QTest::newRow("long value cut short")
            << (QByteArray(
                    "[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nout_of_limits = \"")
                   + QByteArray(100, 'x') + "\"\n")
            << QStringList{
                   QStringLiteral("lab.toml:4:17: device \"stage\": key \"out_of_limits\" "
                                  "must be one of \"closest\", \"ignore\", \"error\", not \"")
                   + QString(40, QLatin1Char('x')) + QStringLiteral("…\" (100 characters)")};
        QTest::newRow("device name too long")
            << (QByteArray("[") + QByteArray(65, 'a')
                   + "]\ndriver = \"sim-motor\"\nserial_port = \"a\"\n")
            << QStringList{QStringLiteral("lab.toml:1:1: device name \"")
                   + QString(40, QLatin1Char('a'))
                   + QStringLiteral("…\" (65 characters) is too long: at most 64 characters")};
        QTest::newRow("whole number in full")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nsteps = 1e6\n")
            << QStringList{QStringLiteral("lab.toml:4:9: device \"stage\": key \"steps\" must be "
                                          "an integer, not 1000000.0")};

        // Ranges.
        QTest::newRow("reversed range")
            << QByteArray(
                   "[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nlimits = [10, -10]\n")
            << QStringList{QStringLiteral("lab.toml:4:10: device \"stage\": key \"limits\" is "
                                          "[10, -10]: the lower end is above the upper")};
        QTest::newRow("range of three")
            << QByteArray(
                   "[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nlimits = [1, 2, 3]\n")
            << QStringList{QStringLiteral("lab.toml:4:10: device \"stage\": key \"limits\" must "
                                          "be [lower, upper], not 3 numbers")};
        QTest::newRow("empty range without an empty default")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nlimits = []\n")
            << QStringList{QStringLiteral("lab.toml:4:10: device \"stage\": key \"limits\" must "
                                          "be [lower, upper], not 0 numbers")};
        QTest::newRow("range with nan")
            << QByteArray(
                   "[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nlimits = [nan, 1]\n")
            << QStringList{QStringLiteral("lab.toml:4:10: device \"stage\": key \"limits\" is "
                                          "[nan, 1]: the lower end is above the upper")};

        // Limits and options.
        QTest::newRow("below minimum")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nspeed = -0.5\n")
            << QStringList{QStringLiteral("lab.toml:4:9: device \"stage\": key \"speed\" must be "
                                          "at least 0 mm/s, not -0.5")};
        QTest::newRow("above maximum")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nsteps = 20000\n")
            << QStringList{QStringLiteral("lab.toml:4:9: device \"stage\": key \"steps\" must be "
                                          "at most 10000, not 20000")};
        QTest::newRow("nan with limits")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nspeed = nan\n")
            << QStringList{QStringLiteral("lab.toml:4:9: device \"stage\": key \"speed\" must be "
                                          "at least 0 mm/s, not nan")};
        QTest::newRow("not an option")
            << QByteArray("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\n"
                          "out_of_limits = \"nearest\"\n")
            << QStringList{QStringLiteral(
                   "lab.toml:4:17: device \"stage\": key \"out_of_limits\" must be one of "
                   "\"closest\", \"ignore\", \"error\", not \"nearest\"")};

        // Bindings.
        const QByteArray devices = "[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\n\n"
                                   "[camera]\ndriver = \"sim-sensor\"\n\n"
                                   "[wheel]\ndriver = \"sim-filter-wheel\"\n\n"
                                   "[pedal]\ndriver = \"sim-digital\"\n";
        // Line 13 is the first line after `devices`.
        QTest::newRow("binding not device.message")
            << devices + "bindings = { foot = \"camera\" }\n"
            << QStringList{QStringLiteral("lab.toml:13:21: device \"pedal\": key "
                                          "\"bindings.foot\" must be \"device.message\", not "
                                          "\"camera\"")};
        QTest::newRow("binding not a string")
            << devices + "bindings = { foot = 3 }\n"
            << QStringList{QStringLiteral("lab.toml:13:21: device \"pedal\": key "
                                          "\"bindings.foot\" must be \"device.message\", not 3")};
        QTest::newRow("bindings not a table")
            << devices + "bindings = \"camera.measure\"\n"
            << QStringList{QStringLiteral(
                   "lab.toml:13:12: device \"pedal\": key \"bindings\" must be a table of "
                   "bindings (input line = \"device.message\"), not a string")};
        QTest::newRow("binding to a missing device")
            << devices + "bindings = { foot = \"camra.measure\" }\n"
            << QStringList{QStringLiteral("lab.toml:13:21: device \"pedal\": key "
                                          "\"bindings.foot\": there is no device \"camra\" in "
                                          "this lab (did you mean \"camera\"?)")};
        QTest::newRow("binding to a message the device lacks")
            << devices + "bindings = { foot = \"camera.home\" }\n"
            << QStringList{QStringLiteral(
                   "lab.toml:13:21: device \"pedal\": key \"bindings.foot\": device \"camera\" "
                   "(\"sim-sensor\") cannot be triggered with \"home\"; it takes \"measure\", "
                   "\"stop_looping\"")};
        QTest::newRow("binding to a device without triggers")
            << devices + "bindings = { foot = \"wheel.home\" }\n"
            << QStringList{QStringLiteral("lab.toml:13:21: device \"pedal\": key "
                                          "\"bindings.foot\": device \"wheel\" "
                                          "(\"sim-filter-wheel\") has nothing a binding can "
                                          "trigger")};

        // Every error is reported, in the file's order, across devices and stages.
        QTest::newRow("many errors")
            << QByteArray("[stage]\n"
                          "driver = \"sim-motor\"\n"
                          "speed = 500\n"
                          "steps = \"many\"\n"
                          "acceleration = 3\n"
                          "\n"
                          "[\"bad name\"]\n"
                          "\n"
                          "[camera]\n"
                          "driver = \"sim-sensr\"\n"
                          "when = 2024-01-01\n")
            << QStringList{
                   // parseLabText's, in file order ...
                   QStringLiteral("lab.toml:7:1: device name \"bad name\" may only contain "
                                  "letters (A-Z, a-z), digits, \"-\" and \"_\""),
                   QStringLiteral("lab.toml:7:1: device \"bad name\": missing key \"driver\" (the "
                                  "kind of driver that runs it, such as \"sim-motor\")"),
                   QStringLiteral("lab.toml:11:8: device \"camera\": key \"when\" is a date; "
                                  "dates and times are not supported"),
                   // ... then checkLab's, in file order.
                   QStringLiteral(
                       "lab.toml:1:1: device \"stage\": missing required key \"serial_port\" "
                       "(a string)"),
                   QStringLiteral("lab.toml:3:9: device \"stage\": key \"speed\" must be at most "
                                  "100 mm/s, not 500"),
                   QStringLiteral("lab.toml:4:9: device \"stage\": key \"steps\" must be an "
                                  "integer, not a string"),
                   QStringLiteral(
                       "lab.toml:5:16: device \"stage\": unknown key \"acceleration\" "
                       "(driver \"sim-motor\" takes \"serial_port\", \"speed\", \"steps\", "
                       "\"limits\", \"out_of_limits\", \"reversed\")"),
                   QStringLiteral("lab.toml:10:10: device \"camera\": unknown driver "
                                  "\"sim-sensr\" (did you mean \"sim-sensor\"?)"),
               };
    }

    void errors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, expected);
        const QStringList actual = allErrors(text);
        if (actual != expected) {
            qDebug().noquote() << "actual:\n" + actual.join(QLatin1Char('\n'));
            qDebug().noquote() << "expected:\n" + expected.join(QLatin1Char('\n'));
        }
        QCOMPARE(actual, expected);
    }

    void checkNormalizesConfig()
    {
        const QByteArray text = R"(
[stage]
driver = "sim-motor"
serial_port = "COM3"
speed = 25
limits = [-5, 7.5]

[camera]
driver = "sim-sensor"
channels = ["x", "y"]

[wheel]
driver = "sim-filter-wheel"
slots = { red = 0, blue = 60.5 }
labels = { red = "650 nm" }

[pedal]
driver = "sim-digital"
bindings = { foot = "camera.measure", knee = "stage.home" }
)";
        LabParseResult parsed = parseLabText(text, kLab);
        QVERIFY(parsed.ok());
        const QList<LabError> errors = checkLab(parsed.lab, drivers());
        QVERIFY2(errors.isEmpty(), qPrintable(rendered(errors).join(QLatin1Char('\n'))));

        const QVariantMap stage = parsed.lab.device(QStringLiteral("stage"))->config;
        QCOMPARE(stage.keys(),
            (QStringList{QStringLiteral("limits"), QStringLiteral("out_of_limits"),
                QStringLiteral("reversed"), QStringLiteral("serial_port"), QStringLiteral("speed"),
                QStringLiteral("steps")}));
        QCOMPARE(stage.value(QStringLiteral("speed")).typeId(), QMetaType::Double); // was 25
        QCOMPARE(stage.value(QStringLiteral("speed")).toDouble(), 25.0);
        QCOMPARE(stage.value(QStringLiteral("steps")).typeId(), QMetaType::LongLong);
        QCOMPARE(stage.value(QStringLiteral("steps")).toLongLong(), 200);
        QCOMPARE(stage.value(QStringLiteral("reversed")), QVariant(false));
        QCOMPARE(stage.value(QStringLiteral("out_of_limits")), QVariant(QStringLiteral("closest")));
        const QVariantList limits = stage.value(QStringLiteral("limits")).toList();
        QCOMPARE(limits.size(), 2);
        for (const QVariant &limit : limits)
            QCOMPARE(limit.typeId(), QMetaType::Double);
        QCOMPARE(limits, (QVariantList{-5.0, 7.5}));

        const QVariantMap camera = parsed.lab.device(QStringLiteral("camera"))->config;
        QCOMPARE(camera.value(QStringLiteral("channels")).typeId(), QMetaType::QStringList);
        QCOMPARE(camera.value(QStringLiteral("channels")).toStringList(),
            (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
        QCOMPARE(camera.value(QStringLiteral("integration_time")), QVariant(0.1));

        const QVariantMap wheel = parsed.lab.device(QStringLiteral("wheel"))->config;
        const QVariantMap slots = wheel.value(QStringLiteral("slots")).toMap();
        QCOMPARE(slots.value(QStringLiteral("red")).typeId(), QMetaType::Double);
        QCOMPARE(slots.value(QStringLiteral("blue")).toDouble(), 60.5);
        QCOMPARE(wheel.value(QStringLiteral("labels")).toMap().value(QStringLiteral("red")),
            QVariant(QStringLiteral("650 nm")));
        QCOMPARE(wheel.value(QStringLiteral("extra")), QVariant(QVariantMap{}));

        const QVariantMap pedal = parsed.lab.device(QStringLiteral("pedal"))->config;
        QCOMPARE(pedal.value(QStringLiteral("bindings")),
            QVariant(QVariantMap{{QStringLiteral("foot"), QStringLiteral("camera.measure")},
                {QStringLiteral("knee"), QStringLiteral("stage.home")}}));
        QCOMPARE(pedal.value(QStringLiteral("inputs")).toStringList(),
            QStringList{QStringLiteral("foot")});
    }

    void deviceWithErrorsKeepsItsConfig()
    {
        LabParseResult parsed
            = parseLabText("[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\nspeed = 500\n\n"
                           "[camera]\ndriver = \"sim-sensor\"\n",
                kLab);
        QVERIFY(parsed.ok());
        QCOMPARE(checkLab(parsed.lab, drivers()).size(), 1);
        QCOMPARE(parsed.lab.devices[0].config,
            (QVariantMap{{QStringLiteral("serial_port"), QStringLiteral("a")},
                {QStringLiteral("speed"), qlonglong(500)}}));
        // The other device was still normalized.
        QVERIFY(parsed.lab.devices[1].config.contains(QStringLiteral("integration_time")));
    }

    void unknownDriverListsTheKnownKinds()
    {
        LabParseResult parsed = parseLabText(
            "[a]\ndriver = \"sim-bare\"\n\n[b]\ndriver = \"sim-barely-there\"\n", kLab);
        QVERIFY(parsed.ok());
        QCOMPARE(rendered(checkLab(parsed.lab, LabDrivers(QList<DriverInfo>{drivers().at(4)}))),
            QStringList{QStringLiteral("lab.toml:5:10: device \"b\": unknown driver "
                                       "\"sim-barely-there\" (known drivers: \"sim-bare\")")});
        QCOMPARE(rendered(checkLab(parsed.lab, LabDrivers())),
            (QStringList{QStringLiteral("lab.toml:2:10: device \"a\": unknown driver \"sim-bare\""),
                QStringLiteral("lab.toml:5:10: device \"b\": unknown driver "
                               "\"sim-barely-there\"")}));
    }

    void messagesStayOnOneLine()
    {
        LabParseResult parsed = parseLabText(
            "[stage]\ndriver = \"sim-motor\"\nserial_port = \"a\"\n\"x\\ny\" = 1\n", kLab);
        QVERIFY(parsed.ok());
        QCOMPARE(rendered(checkLab(parsed.lab, drivers())),
            QStringList{QStringLiteral("lab.toml:4:10: device \"stage\": unknown key \"x\\ny\" "
                                       "(driver \"sim-motor\" takes \"serial_port\", \"speed\", "
                                       "\"steps\", \"limits\", \"out_of_limits\", \"reversed\")")});
    }

    void readsAFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("lab.toml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[stage]\ndriver = \"sim-motor\"\nspeed = \"fast\"\n");
        file.close();
        LabParseResult parsed = parseLabFile(path);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.lab.path, path);
        QCOMPARE(rendered(checkLab(parsed.lab, drivers())),
            (QStringList{path
                    + QStringLiteral(":1:1: device \"stage\": missing required key "
                                     "\"serial_port\" (a string)"),
                path
                    + QStringLiteral(":3:9: device \"stage\": key \"speed\" must be a number, "
                                     "not a string")}));
    }

    void readsAResource()
    {
        LabParseResult parsed = parseLabFile(QStringLiteral(":/labs/two-devices.toml"));
        QVERIFY2(parsed.ok(), qPrintable(rendered(parsed.errors).join(QLatin1Char('\n'))));
        QCOMPARE(parsed.lab.devices.size(), 2);
        QCOMPARE(parsed.lab.devices[0].name, QStringLiteral("stage"));
        QCOMPARE(parsed.lab.devices[1].name, QStringLiteral("camera"));
        QVERIFY(checkLab(parsed.lab, drivers()).isEmpty());
        QCOMPARE(parsed.lab.devices[0].config.value(QStringLiteral("speed")), QVariant(25.0));
    }

    void unreadableFileIsOneErrorNamingIt()
    {
        const QString path = QStringLiteral("/nonexistent/benchtop/lab.toml");
        const LabParseResult parsed = parseLabFile(path);
        QCOMPARE(rendered(parsed.errors),
            QStringList{
                path + QStringLiteral(": cannot read the lab file: No such file or directory")});
        QVERIFY(parsed.lab.devices.isEmpty());
    }

    void syntaxErrorsStayOnOneLine()
    {
        // Found by fuzz_labfile: toml++ quotes the character it saw as it is, here a newline.
        const LabParseResult parsed = parseLabText("[stage]\ndriver =i\nspeed = 1\n", kLab);
        QCOMPARE(parsed.errors.size(), 1);
        QCOMPARE(parsed.errors[0].line, 2);
        QVERIFY2(!parsed.errors[0].message.contains(QLatin1Char('\n')),
            qPrintable(parsed.errors[0].message));
        QVERIFY2(parsed.errors[0].message.contains(QLatin1String("\\n")),
            qPrintable(parsed.errors[0].message));
    }

    void invalidUtf8IsASyntaxError()
    {
        const LabParseResult parsed = parseLabText("[stage]\ndriver = \"sim-\xff\"\n", kLab);
        QCOMPARE(parsed.errors.size(), 1);
        QCOMPARE(parsed.errors[0].line, 2);
        QVERIFY(parsed.errors[0].column > 0);
    }
};

QTEST_GUILESS_MAIN(TestLabFile)
#include "tst_labfile.moc"
