// SPDX-License-Identifier: MIT
// Save lab as…: the lab text written from device settings reads back as the same lab, in
// order, with defaults left out and awkward strings escaped.
#include "testsupport.h"
#include "tomlsamples.h"

#include <lab/labcheck.h>
#include <lab/labwriter.h>

#include <QTest>

using namespace Benchtop;

namespace {

DriverInfo motorInfo()
{
    DriverInfo info;
    info.kind = "motor";
    info.traits = QStringList{"is-daemon", "is-sensor", "has-measure-trigger"};
    info.config << ConfigField{.name = "speed", .type = ValueType::Double, .defaultValue = 10.0}
                << ConfigField{.name = "limits",
                       .type = ValueType::DoubleList,
                       .defaultValue = QVariantList{-100.0, 100.0}}
                << ConfigField{.name = "units", .type = ValueType::String, .defaultValue = "mm"}
                << ConfigField{.name = "address", .type = ValueType::Int}
                << ConfigField{.name = "on_press",
                       .type = ValueType::Bindings,
                       .defaultValue = QVariantMap()};
    return info;
}

std::optional<DriverInfo> lookup(const QString &kind)
{
    if (kind == "motor")
        return motorInfo();
    return std::nullopt;
}

} // namespace

class TestLabWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    // Byte for byte as every other writer (tests/support/tomlsamples.h); toml++'s formatter,
    // which wrote lab files before, gave 0.1 as 0.10000000000000001.
    void valuesAreWrittenAsEveryTomlWriterDoes()
    {
        QVariantMap config;
        for (const Test::TomlSample &sample : Test::tomlSamples())
            config.insert(sample.key, sample.value);
        const QString text = QString::fromUtf8(labText({{"m", "unknown-kind", config}}));
        const QStringList lines = text.split('\n');
        for (const Test::TomlSample &sample : Test::tomlSamples())
            QVERIFY2(lines.contains(sample.key + " = " + sample.text), qPrintable(sample.key));
    }

    void roundTripKeepsOrderAndValues()
    {
        const QList<DeviceSettings> devices{
            {"zeta", "motor",
                {{"speed", 2.5}, {"limits", QVariantList{-100.0, 100.0}}, {"units", "µm"},
                    {"address", qlonglong(7)},
                    {"on_press", QVariantMap{{"foot", "alpha.measure"}}}},
                36001},
            {"alpha", "motor", {{"speed", 10.0}, {"address", qlonglong(8)}}},
        };
        const QByteArray text = labText(devices, lookup);
        // Defaults are left out; the required key stays.
        QVERIFY(!text.contains("limits"));
        QVERIFY(!text.contains("speed = 10.0"));
        QVERIFY(text.contains("address = 8"));
        QVERIFY(text.indexOf("[zeta]") < text.indexOf("[alpha]"));
        // `port` beside `driver`, and only for the device that has one.
        QVERIFY(text.startsWith("[zeta]\ndriver = \"motor\"\nport = 36001\n"));
        QCOMPARE(text.count("port ="), 1);

        LabParseResult parsed = parseLabText(text, "saved.toml");
        QVERIFY2(parsed.ok(), qPrintable(parsed.errors.value(0).toString()));
        const QList<LabError> errors = checkLab(parsed.lab, QList<DriverInfo>{motorInfo()});
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
        QCOMPARE(parsed.lab.devices.size(), 2);
        const LabDevice &zeta = parsed.lab.devices.at(0);
        QCOMPARE(zeta.name, QStringLiteral("zeta"));
        QCOMPARE(zeta.kind, QStringLiteral("motor"));
        QCOMPARE(zeta.config.value("speed").toDouble(), 2.5);
        QCOMPARE(zeta.config.value("units").toString(), QStringLiteral("µm"));
        QCOMPARE(zeta.config.value("on_press").toMap().value("foot").toString(),
            QStringLiteral("alpha.measure"));
        QCOMPARE(parsed.lab.devices.at(1).config.value("speed").toDouble(), 10.0);
        QCOMPARE(zeta.port, 36001);
        QVERIFY(!zeta.config.contains("port"));
        QCOMPARE(zeta.config.value("address").toLongLong(), 7);
        QCOMPARE(parsed.lab.devices.at(1).port, 0);
    }

    // A value equal to its default is left out whatever form it comes in: an empty string list
    // for an empty array default (scpi's `init_commands = []` was written), integers for a
    // list of doubles, an empty map.
    void defaultsAreLeftOutWhateverTheirForm()
    {
        DriverInfo info = motorInfo();
        info.config << ConfigField{
            .name = "init_commands", .type = ValueType::StringList, .defaultValue = QVariantList()};
        const auto withCommands = [&](const QString &kind) -> std::optional<DriverInfo> {
            return kind == "motor" ? std::optional<DriverInfo>(info) : std::nullopt;
        };
        const QByteArray text = labText(
            {{"m", "motor",
                {{"init_commands", QStringList()}, {"limits", QVariantList{qlonglong(-100), 100}},
                    {"on_press", QVariantMap()}, {"address", qlonglong(1)}}}},
            withCommands);
        QCOMPARE(text, QByteArray("[m]\ndriver = \"motor\"\naddress = 1\n"));
        // Not equal: written.
        const QByteArray other = labText(
            {{"m", "motor", {{"init_commands", QStringList{"*CLS"}}, {"address", qlonglong(1)}}}},
            withCommands);
        QVERIFY2(other.contains("init_commands = [ \"*CLS\" ]"), other.constData());
    }

    void withoutSchemaEveryKeyIsWritten()
    {
        const QByteArray text = labText({{"m", "unknown-kind", {{"speed", 10.0}}}});
        QCOMPARE(text, QByteArray("[m]\ndriver = \"unknown-kind\"\nspeed = 10.0\n"));
        QCOMPARE(labText({{"m", "unknown-kind", {{"speed", 10.0}}, 36000}}),
            QByteArray("[m]\ndriver = \"unknown-kind\"\nport = 36000\nspeed = 10.0\n"));
    }
};

QTEST_GUILESS_MAIN(TestLabWriter)
#include "tst_labwriter.moc"
