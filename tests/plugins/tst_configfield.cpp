// SPDX-License-Identifier: MIT
// ConfigField::check, the one check of a value against a schema field: for lab values and for a
// plugin's defaults (parsePluginMetadata), which must agree.
#include "testsupport.h"

#include <plugins/driverfactory.h>
#include <plugins/driverinfo.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace Benchtop;

Q_DECLARE_METATYPE(ConfigField)

namespace {

ConfigField field(ValueType type, QVariant defaultValue = {})
{
    ConfigField f;
    f.name = "k";
    f.type = type;
    f.defaultValue = std::move(defaultValue);
    return f;
}

ConfigField limited(ValueType type, double lowest, double highest, QString units = {})
{
    ConfigField f
        = field(type, type == ValueType::DoubleMap ? QVariant(QVariantMap{}) : QVariant());
    f.minimum = lowest;
    f.maximum = highest;
    f.units = std::move(units);
    return f;
}

QString problemsText(const FieldCheck &check)
{
    QStringList lines;
    for (const FieldProblem &problem : check.problems)
        lines << "k" + problem.path + " " + problem.what;
    return lines.join('\n');
}

/// The metadata of a plugin whose one field is `fieldJson` (an object's text).
QJsonObject metadataWithField(const QByteArray &fieldJson)
{
    return QJsonDocument::fromJson(R"({"abi": )" + QByteArray::number(kPluginAbi)
        + R"(, "name": "p", "version": "1", "drivers": [{"kind": "d", "config": [)" + fieldJson
        + "]}]}")
        .object();
}

} // namespace

class TestConfigField : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void convertsFittingValues_data()
    {
        QTest::addColumn<ConfigField>("field");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("bool") << field(ValueType::Bool) << QVariant(true) << QVariant(true);
        QTest::newRow("int") << field(ValueType::Int) << QVariant(7) << QVariant(qlonglong(7));
        QTest::newRow("an integer is a double")
            << field(ValueType::Double) << QVariant(qlonglong(25)) << QVariant(25.0);
        QTest::newRow("string list")
            << field(ValueType::StringList) << QVariant(QVariantList{"a", "b"})
            << QVariant(QStringList{"a", "b"});
        QTest::newRow("double list")
            << field(ValueType::DoubleList) << QVariant(QVariantList{qlonglong(1), 2.5})
            << QVariant(QVariantList{1.0, 2.5});
        QTest::newRow("double map")
            << field(ValueType::DoubleMap) << QVariant(QVariantMap{{"red", qlonglong(650)}})
            << QVariant(QVariantMap{{"red", 650.0}});
        QTest::newRow("binding") << field(ValueType::Bindings)
                                 << QVariant(QVariantMap{{"foot", "camera.measure"}})
                                 << QVariant(QVariantMap{{"foot", "camera.measure"}});
        ConfigField range = field(ValueType::DoubleList, QVariantList{});
        range.range = true;
        QTest::newRow("no range when that is the default")
            << range << QVariant(QVariantList{}) << QVariant(QVariantList{});
    }

    void convertsFittingValues()
    {
        QFETCH(ConfigField, field);
        QFETCH(QVariant, value);
        QFETCH(QVariant, expected);
        const FieldCheck check = field.check(value);
        QVERIFY2(check.ok(), qPrintable(problemsText(check)));
        QCOMPARE(check.value, expected);
        QCOMPARE(check.value.typeId(), expected.typeId());
    }

    void saysWhatIsWrong_data()
    {
        QTest::addColumn<ConfigField>("field");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("problems");
        QTest::newRow("wrong type")
            << field(ValueType::Double) << QVariant("fast") << "k must be a number, not a string";
        QTest::newRow("a float is no integer")
            << field(ValueType::Int) << QVariant(2.0) << "k must be an integer, not 2.0";
        QTest::newRow("below minimum") << limited(ValueType::Double, 0, 100, "mm/s")
                                       << QVariant(-0.5) << "k must be at least 0 mm/s, not -0.5";
        QTest::newRow("nan fails a limit") << limited(ValueType::Double, 0,
            100) << QVariant(std::nan("")) << "k must be at least 0, not nan";
        ConfigField choice = field(ValueType::String);
        choice.options = {"a", "b"};
        QTest::newRow("not an option")
            << choice << QVariant("c") << "k must be one of \"a\", \"b\", not \"c\"";
        QTest::newRow("every element")
            << limited(ValueType::DoubleList, 0, 10) << QVariant(QVariantList{20.0, "x", 5.0})
            << "k[0] must be at most 10, not 20\nk[1] must be a number, not a string";
        QTest::newRow("every entry")
            << limited(ValueType::DoubleMap, 0, 10)
            << QVariant(QVariantMap{{"a", -1.0}, {"b", true}})
            << "k.a must be at least 0, not -1\nk.b must be a number, not true";
        ConfigField range = field(ValueType::DoubleList, QVariantList{-1.0, 1.0});
        range.range = true;
        QTest::newRow("reversed range") << range << QVariant(QVariantList{10.0, -10.0})
                                        << "k is [10, -10]: the lower end is above the upper";
        QTest::newRow("range of three") << range << QVariant(QVariantList{1.0, 2.0, 3.0})
                                        << "k must be [lower, upper], not 3 numbers";
        QTest::newRow("binding without a message")
            << field(ValueType::Bindings) << QVariant(QVariantMap{{"foot", "camera"}})
            << "k.foot must be \"device.message\", not \"camera\"";
        QTest::newRow("binding not a string")
            << field(ValueType::Bindings) << QVariant(QVariantMap{{"foot", 5}})
            << "k.foot must be \"device.message\", not 5";
        QTest::newRow("table for an array")
            << field(ValueType::StringList) << QVariant(QVariantMap{})
            << "k must be an array of strings, not a table";
    }

    void saysWhatIsWrong()
    {
        QFETCH(ConfigField, field);
        QFETCH(QVariant, value);
        QFETCH(QString, problems);
        const FieldCheck check = field.check(value);
        QVERIFY(!check.ok());
        QVERIFY(!check.value.isValid());
        QCOMPARE(problemsText(check), problems);
    }

    void jsonWholeNumbersAreIntegers()
    {
        const ConfigField steps = limited(ValueType::Int, 1, 10);
        FieldCheck check = steps.check(5.0, ConfigField::Source::Json);
        QVERIFY(check.ok());
        QCOMPARE(check.value, QVariant(qlonglong(5)));
        QVERIFY(!steps.check(5.5, ConfigField::Source::Json).ok());
        QVERIFY(!steps.check(5.0, ConfigField::Source::Toml).ok());
    }

    // A plugin's default goes through the same check, worded for the metadata.
    void pluginDefaultsAreCheckedAlike_data()
    {
        QTest::addColumn<QByteArray>("fieldJson");
        QTest::addColumn<QString>("error");
        QTest::newRow("above max")
            << QByteArray(R"({"name": "speed", "type": "double", "max": 10, "default": 20})")
            << "drivers[0] (\"d\"): config[0] (\"speed\"): default must be at most 10, not 20";
        QTest::newRow("not an option")
            << QByteArray(R"({"name": "m", "type": "string", "options": ["a"], "default": "b"})")
            << "drivers[0] (\"d\"): config[0] (\"m\"): default must be one of \"a\", not \"b\"";
        QTest::newRow("an element")
            << QByteArray(R"({"name": "l", "type": "array<double>", "default": [1, "x"]})")
            << "drivers[0] (\"d\"): config[0] (\"l\"): default[1] must be a number, not a string";
        QTest::newRow("reversed range") << QByteArray(
            R"({"name": "l", "type": "array<double>", "range": true, "default": [5, 1]})")
                                        << "drivers[0] (\"d\"): config[0] (\"l\"): default is "
                                           "[5, 1]: the lower end is above the upper";
        QTest::newRow("binding") << QByteArray(
            R"({"name": "b", "type": "bindings", "default": {"foot": "camera"}})")
                                 << "drivers[0] (\"d\"): config[0] (\"b\"): default.foot must be "
                                    "\"device.message\", not \"camera\"";
        QTest::newRow("fractional int")
            << QByteArray(R"({"name": "n", "type": "int", "default": 2.5})")
            << "drivers[0] (\"d\"): config[0] (\"n\"): default must be an integer, not 2.5";
    }

    void pluginDefaultsAreCheckedAlike()
    {
        QFETCH(QByteArray, fieldJson);
        QFETCH(QString, error);
        QString got;
        QVERIFY(!parsePluginMetadata(metadataWithField(fieldJson), &got));
        QCOMPARE(got, error);
    }

    void pluginDefaultsAreConvertedAsLabValues()
    {
        QString error;
        const std::optional<PluginInfo> info = parsePluginMetadata(
            metadataWithField(
                R"({"name": "l", "type": "array<double>", "range": true, "default": []})"),
            &error);
        QVERIFY2(info, qPrintable(error));
        QCOMPARE(info->drivers.first().config.first().defaultValue, QVariant(QVariantList{}));
        const std::optional<PluginInfo> steps = parsePluginMetadata(
            metadataWithField(R"({"name": "n", "type": "int", "default": 3})"), &error);
        QVERIFY2(steps, qPrintable(error));
        QCOMPARE(steps->drivers.first().config.first().defaultValue, QVariant(qlonglong(3)));
    }
};

QTEST_GUILESS_MAIN(TestConfigField)
#include "tst_configfield.moc"
