// SPDX-License-Identifier: MIT
// tomlValue and tomlKey: the text they write, and that the lab reader reads it back unchanged.
#include "testsupport.h"

#include "dialogs/tomltext.h"

#include <lab/labfile.h>

#include <QDate>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

/// What the lab reader makes of `key = text` in a device's table.
QVariant readBack(const QString &text)
{
    const LabParseResult parsed
        = parseLabText("[d]\ndriver = \"x\"\nv = " + text.toUtf8() + "\n", "test.toml");
    if (!parsed.ok() || parsed.lab.devices.size() != 1)
        return {};
    return parsed.lab.devices.first().config.value("v");
}

} // namespace

class TestTomlText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void writesValues_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("expected");

        QTest::newRow("true") << QVariant(true) << "true";
        QTest::newRow("false") << QVariant(false) << "false";
        QTest::newRow("int") << QVariant(-25) << "-25";
        QTest::newRow("qlonglong") << QVariant::fromValue(qlonglong(1) << 40) << "1099511627776";
        QTest::newRow("unsigned") << QVariant(7u) << "7";
        QTest::newRow("unsigned beyond TOML")
            << QVariant::fromValue(std::numeric_limits<qulonglong>::max()) << "";
        QTest::newRow("whole double stays a float") << QVariant(10.0) << "10.0";
        QTest::newRow("negative zero") << QVariant(-0.0) << "-0.0";
        QTest::newRow("fraction") << QVariant(2.5) << "2.5";
        QTest::newRow("shortest") << QVariant(0.1) << "0.1";
        QTest::newRow("small") << QVariant(1e-9) << "1e-09";
        QTest::newRow("large") << QVariant(1e21) << "1e+21";
        QTest::newRow("inf") << QVariant(std::numeric_limits<double>::infinity()) << "inf";
        QTest::newRow("-inf") << QVariant(-std::numeric_limits<double>::infinity()) << "-inf";
        QTest::newRow("nan") << QVariant(std::nan("")) << "nan";
        QTest::newRow("float") << QVariant(1.5f) << "1.5";
        QTest::newRow("string") << QVariant("mm") << "\"mm\"";
        QTest::newRow("empty string") << QVariant("") << "\"\"";
        QTest::newRow("quotes and backslash")
            << QVariant("say \"hi\" C:\\dir") << "\"say \\\"hi\\\" C:\\\\dir\"";
        QTest::newRow("escapes") << QVariant("a\tb\nc\rd\be\ff") << "\"a\\tb\\nc\\rd\\be\\ff\"";
        QTest::newRow("control characters")
            << QVariant(QString("x") + QChar(0x01) + QChar(0x7f)) << "\"x\\u0001\\u007f\"";
        QTest::newRow("unicode kept") << QVariant("µm/s²") << "\"µm/s²\"";
        QTest::newRow("string list")
            << QVariant(QStringList{"open", "ND0.5"}) << "[\"open\", \"ND0.5\"]";
        QTest::newRow("empty list") << QVariant(QVariantList{}) << "[]";
        QTest::newRow("number list") << QVariant(QVariantList{-100.0, 100.0}) << "[-100.0, 100.0]";
        QTest::newRow("nested list")
            << QVariant(QVariantList{QVariantList{1, 2}, "x"}) << "[[1, 2], \"x\"]";
        QTest::newRow("bindings") << QVariant(
            QVariantMap{{"foot", "stage.home"}, {"button", "camera.measure"}})
                                  << "{ button = \"camera.measure\", foot = \"stage.home\" }";
        QTest::newRow("empty table") << QVariant(QVariantMap{}) << "{}";
        QTest::newRow("quoted keys")
            << QVariant(QVariantMap{{"a.b", 1}, {"my line", true}, {"", 0}})
            << "{ \"\" = 0, \"a.b\" = 1, \"my line\" = true }";
        QTest::newRow("hash") << QVariant(QVariantHash{{"b", 2}, {"a", 1}}) << "{ a = 1, b = 2 }";
        QTest::newRow("nested table") << QVariant(QVariantMap{{"red", QVariantMap{{"nm", 650.0}}}})
                                      << "{ red = { nm = 650.0 } }";
        QTest::newRow("invalid") << QVariant() << "";
        QTest::newRow("date") << QVariant(QDate(2024, 5, 1)) << "";
        QTest::newRow("date inside a list") << QVariant(QVariantList{1, QDate(2024, 5, 1)}) << "";
        QTest::newRow("date inside a table")
            << QVariant(QVariantMap{{"when", QDate(2024, 5, 1)}}) << "";
    }

    void writesValues()
    {
        QFETCH(QVariant, value);
        QFETCH(QString, expected);
        QCOMPARE(tomlValue(value), expected);
    }

    // The lab reader is the judge of whether the text is right TOML.
    void labReaderReadsItBack_data()
    {
        QTest::addColumn<QVariant>("value");

        QTest::newRow("bool") << QVariant(true);
        QTest::newRow("integer") << QVariant::fromValue(qlonglong(-9007199254740993));
        QTest::newRow("whole double") << QVariant(10.0);
        QTest::newRow("shortest double") << QVariant(0.1 + 0.2);
        QTest::newRow("tiny double") << QVariant(5e-324);
        QTest::newRow("huge double") << QVariant(1.7976931348623157e308);
        QTest::newRow("inf") << QVariant(-std::numeric_limits<double>::infinity());
        QTest::newRow("string with every escape")
            << QVariant(QString("\"\\\b\t\n\f\r") + QChar(0x1f) + QChar(0x7f) + "é€😀");
        QTest::newRow("list") << QVariant(QVariantList{QString("a"), 1.5, qlonglong(2)});
        QTest::newRow("table") << QVariant(QVariantMap{{"foot", QString("stage.home")},
            {"a b", 1.0}, {"x.y", QVariantList{true}}, {"t", QVariantMap{}}});
    }

    void labReaderReadsItBack()
    {
        QFETCH(QVariant, value);
        const QString text = tomlValue(value);
        QVERIFY(!text.isEmpty());
        QCOMPARE(readBack(text), value);
    }

    void writesKeys_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");

        QTest::newRow("bare") << "stage-x_2"
                              << "stage-x_2";
        QTest::newRow("dotted") << "a.b"
                                << "\"a.b\"";
        QTest::newRow("space") << "my stage"
                               << "\"my stage\"";
        QTest::newRow("quote") << "a\"b"
                               << "\"a\\\"b\"";
        QTest::newRow("empty") << ""
                               << "\"\"";
        QTest::newRow("non-ASCII letter") << "é"
                                          << "\"é\"";
    }

    void writesKeys()
    {
        QFETCH(QString, key);
        QFETCH(QString, expected);
        QCOMPARE(tomlKey(key), expected);
    }
};

QTEST_GUILESS_MAIN(TestTomlText)
#include "tst_tomltext.moc"
