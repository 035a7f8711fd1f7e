// SPDX-License-Identifier: MIT
// The TOML writer: the text tomlValue, tomlKey, tomlLine and tomlDocument write, what they
// refuse, and that the lab reader reads it back unchanged.
#include "testsupport.h"
#include "tomlsamples.h"

#include <lab/labfile.h>
#include <lab/tomlwriter.h>

#include <QDate>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Benchtop;

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

class TestTomlWriter : public QObject {
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
            << QVariant(QStringList{"open", "ND0.5"}) << "[ \"open\", \"ND0.5\" ]";
        QTest::newRow("empty list") << QVariant(QVariantList{}) << "[]";
        QTest::newRow("number list")
            << QVariant(QVariantList{-100.0, 100.0}) << "[ -100.0, 100.0 ]";
        QTest::newRow("nested list")
            << QVariant(QVariantList{QVariantList{1, 2}, "x"}) << "[ [ 1, 2 ], \"x\" ]";
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
        // A pattern with "$" would match before a final newline and write it bare, broken.
        QTest::newRow("final newline") << "a\n"
                                       << "\"a\\n\"";
    }

    void writesKeys()
    {
        QFETCH(QString, key);
        QFETCH(QString, expected);
        QCOMPARE(tomlKey(key), expected);
    }

    // The values every writer of Benchtop is compared against (tests/support/tomlsamples.h).
    void writesTheSharedSamples()
    {
        for (const Test::TomlSample &sample : Test::tomlSamples()) {
            QCOMPARE(tomlValue(sample.value), sample.text);
            QCOMPARE(tomlLine(sample.key, sample.value), sample.key + " = " + sample.text);
        }
    }

    void saysWhyAValueHasNoTomlForm_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");

        QTest::newRow("null") << QVariant() << ""
                              << "values of type invalid (null) are not supported";
        QTest::newRow("bytes") << QVariant(QByteArray("x")) << ""
                               << "values of type QByteArray are not supported";
        QTest::newRow("too large")
            << QVariant::fromValue(std::numeric_limits<qulonglong>::max()) << ""
            << "18446744073709551615 is too large for a TOML integer";
        QTest::newRow("in a table in a list")
            << QVariant(QVariantMap{{"a", QVariantList{1, QDate(2024, 5, 1)}}}) << "a[1]"
            << "values of type QDate are not supported";
        QVariant deep = 1;
        QString deepPath;
        for (int i = 0; i < kTomlMaxNesting + 1; ++i) {
            deep = QVariantList{deep};
            if (i > 0)
                deepPath += "[0]";
        }
        QTest::newRow("nested too deep")
            << deep << deepPath
            << QString("arrays and inline tables nested more than %1 deep").arg(kTomlMaxNesting);
    }

    void saysWhyAValueHasNoTomlForm()
    {
        QFETCH(QVariant, value);
        QFETCH(QString, path);
        QFETCH(QString, reason);
        TomlWriteError error;
        QCOMPARE(tomlValue(value, &error), QString());
        QCOMPARE(error.path, path);
        QCOMPARE(error.reason, reason);
        // A line's error path starts with its key.
        QCOMPARE(tomlLine("k", value, &error), QString());
        QCOMPARE(error.path, path.startsWith('[') || path.isEmpty() ? "k" + path : "k." + path);
    }

    void deepestNestingIsWritten()
    {
        QVariant deep = qlonglong(1);
        for (int i = 0; i < kTomlMaxNesting; ++i)
            deep = QVariantList{deep};
        const QString text = tomlValue(deep);
        QCOMPARE(text.count('['), kTomlMaxNesting);
        QCOMPARE(readBack(text), deep);
    }

    void documentPutsTablesUnderHeaders()
    {
        const QVariantMap document{{"position", 0.1}, {"slot", "red"},
            {"measured", QVariantMap{{"x", 1e-5}, {"inner", QVariantMap{{"a b", true}}}}},
            {"rows", QVariantList{QVariantMap{{"a", 1}}}}, {"empty", QVariantMap{}}};
        QCOMPARE(tomlDocument(document),
            QByteArray("position = 0.1\n"
                       "rows = [ { a = 1 } ]\n"
                       "slot = \"red\"\n"
                       "\n"
                       "[empty]\n"
                       "\n"
                       "[measured]\n"
                       "x = 1e-05\n"
                       "\n"
                       "[measured.inner]\n"
                       "\"a b\" = true\n"));
        QCOMPARE(tomlDocument({}), QByteArray());
        TomlWriteError error;
        QCOMPARE(tomlDocument({{"t", QVariantMap{{"u", QVariant()}}}}, &error), std::nullopt);
        QCOMPARE(error.path, QString("t.u"));
    }
};

QTEST_GUILESS_MAIN(TestTomlWriter)
#include "tst_tomlwriter.moc"
