// SPDX-License-Identifier: MIT
// Bad lab files through `benchtop --check`, as a user meets them: the corpus in
// tests/data/labs-bad (each refused with an error naming the file and the line, and the device
// where there is one; a file for each rule a driver checks of its own), odd but valid files in
// tests/data/labs-odd (accepted), files a driver warns about in tests/data/labs-warning
// (accepted, the warning said), and the cases
// too big or too system-dependent to commit (a 5 MB string, 5,000 devices, a directory, an
// unreadable file), written here. None may crash or hang.
#include "appprocess.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Benchtop::Test;

namespace {

const QString kBad = QStringLiteral(BENCHTOP_TEST_DATA "/labs-bad/");
const QString kOdd = QStringLiteral(BENCHTOP_TEST_DATA "/labs-odd/");
const QString kWarning = QStringLiteral(BENCHTOP_TEST_DATA "/labs-warning/");

/// Where (":LINE:COLUMN: ") and what (part of the message) each file of labs-bad is refused for.
struct Expected {
    const char *file;
    const char *where;
    const char *what;
};

const Expected kRefusals[] = {
    {"above-maximum.toml",
        ":3:14: ", "device \"stage\": key \"latency_ms\" must be at most 60000 ms, not 100000"},
    {"array-element-wrong-type.toml",
        ":3:14: ", "device \"stage\": key \"limits[1]\" must be a number, not a string"},
    {"below-minimum.toml",
        ":3:9: ", "device \"stage\": key \"speed\" must be at least 0.001 units/s, not 0"},
    {"benchtop-table-is-not-a-device.toml", ":3:10: ",
        "table \"benchtop\": unknown key \"driver\": [benchtop] holds the lab's own settings, not "
        "a device; call the device something else"},
    {"benchtop-table-key-unknown.toml",
        ":3:12: ", "table \"benchtop\": unknown key \"run_port\" (did you mean \"runs_port\"?)"},
    {"benchtop-table-port-out-of-range.toml",
        ":3:13: ", "table \"benchtop\": key \"runs_port\" must be at most 65535, not 70000"},
    {"binary-garbage.toml", ":1:1: ", "invalid utf-8 sequence (a TOML file must be UTF-8 text)"},
    {"binding-not-device-message.toml",
        ":3:21: ", "device \"pedal\": key \"on_press.foot\" must be \"device.message\""},
    {"binding-to-a-missing-device.toml", ":3:21: ",
        "device \"pedal\": key \"on_press.foot\": there is no device \"camera\" in this lab"},
    {"bool-for-a-string.toml",
        ":3:17: ", "device \"stage\": key \"out_of_limits\" must be a string, not true"},
    {"date-value.toml", ":3:9: ", "device \"stage\": key \"speed\" is a date"},
    {"device-name-non-ascii.toml",
        ":1:1: ", "device name \"étage\" may only contain letters (A-Z, a-z), digits"},
    {"device-name-with-space.toml", ":1:1: ", "device name \"my stage\" may only contain letters"},
    {"driver-empty.toml",
        ":2:10: ", "device \"stage\": key \"driver\" must be the name of a driver kind"},
    {"driver-missing.toml", ":1:1: ", "device \"stage\": missing key \"driver\""},
    {"driver-not-a-string.toml", ":2:10: ",
        "device \"stage\": key \"driver\" must be the name of a driver kind (a non-empty string), "
        "not an integer"},
    {"driver-unknown.toml",
        ":2:10: ", "device \"stage\": unknown driver \"sim-moter\" (did you mean \"sim-motor\"?)"},
    {"float-for-an-integer.toml",
        ":3:14: ", "device \"stage\": key \"latency_ms\" must be an integer, not 2.5"},
    {"infinity.toml", ":3:16: ",
        "device \"stage\": key \"acceleration\" must be at most 1000000 units/s², not inf"},
    {"invalid-utf8.toml", ":3:9: ", "invalid utf-8 sequence (a TOML file must be UTF-8 text)"},
    {"key-defined-twice.toml", ":4:9: ", "cannot redefine existing floating-point 'speed'"},
    {"key-unknown.toml",
        ":3:8: ", "device \"stage\": unknown key \"sped\" (did you mean \"speed\"?)"},
    {"limits-nan.toml", ":3:13: ",
        "device \"stage\": key \"hw_limits\" is [nan, 10]: the lower end is above the upper"},
    {"limits-reversed.toml", ":3:10: ",
        "device \"stage\": key \"limits\" is [10, -10]: the lower end is above the upper"},
    {"limits-three-numbers.toml",
        ":3:10: ", "device \"stage\": key \"limits\" must be [lower, upper], not 3 numbers"},
    {"modbus-line-both-ways.toml", ":6:20: ",
        "device \"boiler\": outputs.door: \"door\" is an input too: a line needs one name"},
    {"modbus-reconnect-max-below-min.toml", ":6:20: ",
        "device \"boiler\": key \"reconnect_max_ms\" must not be less than reconnect_min_ms"},
    {"modbus-register-key-unknown.toml", ":5:12: ",
        "device \"boiler\": channels.temperature: unknown key \"adress\" (did you mean "
        "\"address\"?)"},
    {"modbus-setpoint-on-an-input-register.toml", ":5:12: ", "device \"boiler\": setpoint: "},
    {"nan.toml",
        ":3:9: ", "device \"stage\": key \"speed\" must be at least 0.001 units/s, not nan"},
    {"negative-infinity.toml",
        ":3:9: ", "device \"stage\": key \"speed\" must be at least 0.001 units/s, not -inf"},
    {"nested-arrays-too-deep.toml", ":3:266: ", "exceeded maximum nested value depth of 256"},
    {"not-an-option.toml", ":3:17: ",
        "device \"stage\": key \"out_of_limits\" must be one of \"closest\", \"ignore\", "
        "\"error\", not \"sideways\""},
    {"nul-byte.toml", ":2:15: ", "unescaped control characters"},
    {"port-not-a-number.toml", ":3:8: ",
        "device \"stage\": key \"port\" must be a TCP port number from 1 to 65535 (yaq daemons use "
        "36000 to 39999), not a string"},
    {"port-of-an-instrument.toml", ":5:8: ",
        "device \"dmm\": key \"port\" is the port benchtopd serves this device on (yaq), no longer "
        "the instrument's: write the instrument's TCP port as tcp_port = 5025"},
    {"port-taken.toml", ":7:8: ",
        "device \"camera\": key \"port\": 36001 is already the port of device \"stage\" (line 3)"},
    {"scpi-host-missing.toml",
        ":2:1: ", "device \"dmm\": key \"host\" is needed for transport \"tcp\""},
    {"scpi-loop-interval-negative.toml",
        ":6:20: ", "device \"dmm\": key \"loop_interval_ms\" must be at least 0 ms, not -5"},
    {"scpi-nothing-to-do.toml",
        ":2:1: ", "device \"dmm\": key \"channels\" is empty and there is no setpoint"},
    {"scpi-serial-port-missing.toml",
        ":2:1: ", "device \"dmm\": key \"serial_port\" is needed for transport \"serial\""},
    {"scpi-setpoint-query-alone.toml", ":2:1: ",
        "device \"supply\": key \"setpoint_command\" is needed with setpoint_query (e.g. \"VOLT "
        "{value}\")"},
    {"scpi-setpoint-template-without-value.toml",
        ":5:20: ", "device \"supply\": key \"setpoint_command\" "},
    {"scpi-terminator-unknown-escape.toml",
        ":6:19: ", "device \"dmm\": key \"read_terminator\" has an unknown escape \\q"},
    {"scpi-units-for-no-channel.toml",
        ":6:20: ", "device \"dmm\": key \"units.voltag\" names no channel (channels: voltage)"},
    {"sim-digital-binding-a-missing-line.toml", ":7:22: ",
        "device \"pedal\": key \"on_press\" binds \"pedal\", which is not an input (inputs: "
        "foot, button)"},
    {"sim-digital-binding-an-output.toml", ":7:20: ",
        "device \"pedal\": key \"on_press\" binds \"red\", which is not an input (inputs: foot, "
        "button)"},
    {"sim-digital-line-both-ways.toml",
        ":4:19: ", "device \"pedal\": key \"outputs\" names \"foot\", which is also an input"},
    {"sim-filter-wheel-blank-slot.toml",
        ":4:18: ", "device \"wheel\": key \"slots\" has an empty name"},
    {"sim-motor-home-outside-the-travel.toml", ":4:17: ",
        "device \"stage\": key \"home_position\" (500) is outside hw_limits [-110, 110]"},
    {"sim-motor-limits-beyond-the-travel.toml", ":4:10: ",
        "device \"stage\": key \"limits\" [200, 300] does not overlap hw_limits [-110, 110]"},
    {"sim-sensor-channel-measurement-id.toml",
        ":4:12: ", "device \"camera\": key \"channels\" may not name measurement_id"},
    {"sim-sensor-channel-twice.toml",
        ":4:23: ", "device \"camera\": key \"channels\" names \"signal\" twice"},
    {"sim-sensor-no-channel.toml",
        ":4:12: ", "device \"camera\": key \"channels\" must name at least one"},
    {"sim-signal-channel-measurement-id.toml", ":4:11: ",
        "device \"thermometer\": key \"channel\" must be a name other than measurement_id, not "
        "\"measurement_id\""},
    {"string-for-a-number.toml",
        ":3:9: ", "device \"stage\": key \"speed\" must be a number, not a string"},
    {"syntax-missing-value.toml", ":3:8: ", "expected value"},
    {"syntax-unclosed-header.toml", ":1:7: ", "expected ']'"},
    {"syntax-unclosed-multiline-string.toml", ":6:23: ", "end-of-file"},
    {"syntax-unclosed-string.toml", ":2:20: ", "unescaped control characters"},
    {"table-defined-twice.toml", ":4:1: ", "cannot redefine existing table 'stage'"},
    {"table-for-a-number.toml",
        ":3:9: ", "device \"stage\": key \"speed\" must be a number, not a table"},
    {"top-level-value.toml",
        ":1:1: ", "a lab holds one table per device; \"speed\" is not a table"},
    {"utf16.toml", ":1:1: ", "invalid utf-8 sequence (a TOML file must be UTF-8 text)"},
    {"yaq-address-without-port.toml",
        ":4:11: ", "device \"far-stage\": key \"address\" must be \"host:port\""},
    {"yaq-reconnect-max-below-min.toml", ":6:20: ",
        "device \"far-stage\": key \"reconnect_max_ms\" must not be less than "
        "reconnect_min_ms"},
};

/// Where and what each file of labs-warning is warned about: valid labs (exit 0).
const Expected kWarnings[] = {
    {"sim-motor-limits-reaching-beyond-the-travel.toml", ":5:10: ",
        "warning: device \"stage\": key \"limits\" [-200, 50] reaches beyond hw_limits [-110, "
        "110]: the limits in force are [-110, 50]"},
    {"sim-sensor-wavelengths-without-spectra.toml", ":6:18: ",
        "warning: device \"meter\": key \"wavelengths_nm\" has no effect with points = 0 "
        "(scalar channels have no axis)"},
};

/// The device count `--check` reports for each file of labs-odd.
const std::pair<const char *, int> kAccepted[] = {
    {"comments-only.toml", 0},
    {"crlf-line-ends.toml", 2},
    {"empty.toml", 0},
    {"inline-and-dotted-tables.toml", 2},
    {"integers-for-doubles.toml", 1},
    {"limits-equal.toml", 1},
    {"non-ascii-values.toml", 2},
    {"tabs-and-blank-lines.toml", 1},
    {"unicode-escapes.toml", 1},
    {"utf8-bom.toml", 1},
};

AppResult check(const QString &path)
{
    return runApp(
        {QStringLiteral("--check"), QStringLiteral("--lab"), path}, headlessAppEnvironment());
}

/// Every line of `err` names `path` first, and none is longer than a screen's worth.
bool everyLineNames(const QString &err, const QString &path)
{
    const QStringList lines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return !lines.isEmpty() && std::all_of(lines.begin(), lines.end(), [&](const QString &line) {
        return line.startsWith(path + QLatin1Char(':')) && line.size() < path.size() + 400;
    });
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return path;
}

} // namespace

class TestBadLabs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void theCorporaAreListedHere()
    {
        // A file added to a corpus without its expectation here would never be checked.
        QStringList listed;
        for (const Expected &refusal : kRefusals)
            listed << QString::fromUtf8(refusal.file);
        QCOMPARE(QDir(kBad).entryList(QDir::Files, QDir::Name), listed);
        QVERIFY(listed.size() >= 25);
        QStringList accepted;
        for (const auto &[file, devices] : kAccepted)
            accepted << QString::fromUtf8(file);
        QCOMPARE(QDir(kOdd).entryList(QDir::Files, QDir::Name), accepted);
        QStringList warned;
        for (const Expected &warning : kWarnings)
            warned << QString::fromUtf8(warning.file);
        QCOMPARE(QDir(kWarning).entryList(QDir::Files, QDir::Name), warned);
    }

    void eachBadLabIsRefusedWithItsPlace_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("what");
        for (const Expected &refusal : kRefusals) {
            QTest::newRow(refusal.file)
                << QString::fromUtf8(refusal.file) << QString::fromUtf8(refusal.where)
                << QString::fromUtf8(refusal.what);
        }
    }
    void eachBadLabIsRefusedWithItsPlace()
    {
        QFETCH(QString, file);
        QFETCH(QString, where);
        QFETCH(QString, what);
        const QString path = kBad + file;
        const AppResult result = check(path);
        QCOMPARE(result.exitCode, 1); // not a crash (-2), not a hang (-1), not accepted (0)
        QVERIFY2(everyLineNames(result.err, path), qPrintable(result.err));
        const QString first = result.err.section(QLatin1Char('\n'), 0, 0);
        QVERIFY2(first.startsWith(path + where), qPrintable(first));
        QVERIFY2(first.contains(what), qPrintable(first));
    }

    void eachOddButValidLabIsAccepted_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("devices");
        for (const auto &[file, devices] : kAccepted)
            QTest::newRow(file) << QString::fromUtf8(file) << devices;
    }
    void eachOddButValidLabIsAccepted()
    {
        QFETCH(QString, file);
        QFETCH(int, devices);
        const QString path = kOdd + file;
        const AppResult result = check(path);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QCOMPARE(result.out.trimmed(),
            QStringLiteral("%1: %2 devices, no errors").arg(path).arg(devices));
    }

    // A warning (a driver's own check) is printed like an error, but the lab is valid.
    void aWarningIsSaidAndTheLabIsValid_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("what");
        for (const Expected &warning : kWarnings) {
            QTest::newRow(warning.file)
                << QString::fromUtf8(warning.file) << QString::fromUtf8(warning.where)
                << QString::fromUtf8(warning.what);
        }
    }
    void aWarningIsSaidAndTheLabIsValid()
    {
        QFETCH(QString, file);
        QFETCH(QString, where);
        QFETCH(QString, what);
        const QString path = kWarning + file;
        const AppResult result = check(path);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QCOMPARE(result.err.trimmed(), path + where + what);
        QCOMPARE(result.out.trimmed(), path + QStringLiteral(": 1 devices, no errors, 1 warning"));
    }

    void aFiveMegabyteStringIsNamedNotEchoed()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("lab.toml"),
            "[stage]\ndriver = \"sim-motor\"\nout_of_limits = \"" + QByteArray(5'000'000, 'x')
                + "\"\n");
        const AppResult result = check(path);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(everyLineNames(result.err, path), qPrintable(result.err.left(500)));
        QVERIFY2(result.err.startsWith(path + QStringLiteral(":3:17: ")),
            qPrintable(result.err.left(500)));
        QVERIFY(result.err.contains(QStringLiteral("…\" (5000000 characters)")));
    }

    void aFiveMegabyteDeviceNameIsRefused()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("lab.toml"),
            "[" + QByteArray(5'000'000, 'y') + "]\ndriver = \"sim-motor\"\n");
        const AppResult result = check(path);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(everyLineNames(result.err, path), qPrintable(result.err.left(500)));
        QVERIFY(result.err.contains(
            QStringLiteral("(5000000 characters) is too long: at most 64 characters")));
    }

    void fiveThousandDevicesAreChecked()
    {
        QTemporaryDir dir;
        QByteArray text;
        for (int i = 0; i < 5000; ++i)
            text += QStringLiteral("[stage%1]\ndriver = \"sim-motor\"\nspeed = %2\n\n")
                        .arg(i)
                        .arg(1 + i % 50)
                        .toUtf8();
        const QString path = writeFile(dir, QStringLiteral("lab.toml"), text);
        const AppResult result = check(path);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err.left(500)));
        QCOMPARE(result.out.trimmed(), path + QStringLiteral(": 5000 devices, no errors"));
    }

    void aDirectoryIsNotALab()
    {
        QTemporaryDir dir;
        const AppResult result = check(dir.path());
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.startsWith(dir.path() + QStringLiteral(": cannot read the lab file: ")),
            qPrintable(result.err));
        QVERIFY2(result.err.contains(QStringLiteral("directory")), qPrintable(result.err));
    }

    void anUnreadableFileIsNamed()
    {
        if (::geteuid() == 0)
            QSKIP("root reads any file whatever its permissions");
        QTemporaryDir dir;
        const QString path
            = writeFile(dir, QStringLiteral("lab.toml"), "[stage]\ndriver = \"sim-motor\"\n");
        QVERIFY(QFile::setPermissions(path, {}));
        const AppResult result = check(path);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.startsWith(path + QStringLiteral(": cannot read the lab file: ")),
            qPrintable(result.err));
    }
};

QTEST_GUILESS_MAIN(TestBadLabs)
#include "tst_badlabs.moc"
