// SPDX-License-Identifier: MIT
// The diagnostics helpers every message of Benchtop uses: quoting, numbers, values as written,
// and "did you mean".
#include "testsupport.h"

#include <device/diagnostics.h>

#include <QTest>

#include <cmath>
#include <limits>

using namespace Benchtop;

class TestDiagnostics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void quotes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "speed"
                               << "\"speed\"";
        QTest::newRow("empty") << ""
                               << "\"\"";
        QTest::newRow("quote and backslash") << "a\"b\\c"
                                             << "\"a\\\"b\\\\c\"";
        QTest::newRow("line breaks and tab") << "a\nb\rc\td"
                                             << "\"a\\nb\\rc\\td\"";
        QTest::newRow("NUL") << QString(QChar(0)) << "\"\\0\"";
        QTest::newRow("bell and DEL") << QString("\a5") + QChar(0x7f) << "\"\\x075\\x7f\"";
        QTest::newRow("escape sequence") << "\x1b[31m"
                                         << "\"\\x1b[31m\"";
        QTest::newRow("a C1 control") << QString(QChar(0x85)) << "\"\\x85\"";
        QTest::newRow("line separator") << QString(QChar(0x2028)) << "\"\\u2028\"";
        QTest::newRow("unicode kept") << "µm/s² ✓ 🙂"
                                      << "\"µm/s² ✓ 🙂\"";
        QTest::newRow("unassigned beyond the BMP")
            << QString::fromUcs4(U"\U000e0001") << "\"\\U000e0001\"";
        QTest::newRow("60 characters: whole") << QString(60, 'x') << "\"" + QString(60, 'x') + "\"";
        QTest::newRow("61 characters: cut")
            << QString(61, 'x') << "\"" + QString(40, 'x') + "…\" (61 characters)";
        // Found by fuzz_scpireply: short text of control characters, each four characters
        // shown, made a message too long; it is cut where the escapes reach 100 characters.
        QTest::newRow("escapes cut short") << QString(
            47, QChar(0x19)) << "\"" + QString("\\x19").repeated(25) + "…\" (47 characters)";
        // Never half a surrogate pair: the 40th character is a high surrogate.
        QTest::newRow("cut before a pair") << QString(39, 'x') + "🙂" + QString(30, 'y')
                                           << "\"" + QString(39, 'x') + "…\" (71 characters)";
    }

    void quotes()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(quoted(text), expected);
    }

    void quotesLists()
    {
        QCOMPARE(quotedList({"a", "b c"}), QString("\"a\", \"b c\""));
        QCOMPARE(quotedList({}), QString());
        QCOMPARE(quoted(QLatin1String("key")), QString("\"key\""));
    }

    void formatsNumbers_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("whole") << 100000.0 << "100000";
        QTest::newRow("negative whole") << -5.0 << "-5";
        QTest::newRow("fraction") << 0.1 << "0.1";
        QTest::newRow("tiny") << 1e-9 << "1e-09";
        QTest::newRow("huge") << 1e20 << "1e+20";
        QTest::newRow("inf") << std::numeric_limits<double>::infinity() << "inf";
        QTest::newRow("nan") << std::nan("") << "nan";
    }

    void formatsNumbers()
    {
        QFETCH(double, value);
        QFETCH(QString, expected);
        QCOMPARE(formatNumber(value), expected);
    }

    void describesValues_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("true") << QVariant(true) << "true";
        QTest::newRow("integer") << QVariant(qlonglong(5)) << "5";
        QTest::newRow("whole float keeps its point") << QVariant(5.0) << "5.0";
        QTest::newRow("float") << QVariant(2.5) << "2.5";
        QTest::newRow("nan") << QVariant(std::nan("")) << "nan";
        QTest::newRow("string") << QVariant("x") << "a string";
        QTest::newRow("array") << QVariant(QVariantList{}) << "an array";
        QTest::newRow("table") << QVariant(QVariantMap{}) << "a table";
        QTest::newRow("null") << QVariant::fromValue(nullptr) << "null";
        QTest::newRow("invalid") << QVariant() << "null";
        QTest::newRow("other") << QVariant(QByteArray("x")) << "a value of type QByteArray";
    }

    void describesValues()
    {
        QFETCH(QVariant, value);
        QFETCH(QString, expected);
        QCOMPARE(describeValue(value), expected);
    }

    void suggestsTheClosestName()
    {
        const QStringList keys{"speed", "steps", "limits", "serial_port"};
        QCOMPARE(editDistance("sped", "speed"), 1);
        QCOMPARE(editDistance("SPEED", "speed"), 0); // case is ignored
        QCOMPARE(closestName("sped", keys), QString("speed"));
        QCOMPARE(closestName("limts", keys), QString("limits"));
        QCOMPARE(closestName("colour", keys), QString()); // more than two edits from all
        QCOMPARE(closestName("a", {"b"}), QString()); // a wholly different short word
        QCOMPARE(closestName("stepz", keys), QString("steps"));
        QCOMPARE(didYouMean("sped", keys), QString(" (did you mean \"speed\"?)"));
        QCOMPARE(didYouMean("colour", keys), QString());
        // Cheap for a very long word: no candidate is even compared.
        QCOMPARE(closestName(QString(5'000'000, 'x'), keys), QString());
    }
};

QTEST_GUILESS_MAIN(TestDiagnostics)
#include "tst_diagnostics.moc"
