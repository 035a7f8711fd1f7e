// SPDX-License-Identifier: MIT
// JSON as yaq's protocol documents are written (pythonjson.h): Python's NaN, Infinity and
// -Infinity read as numbers wherever a number may be and nowhere else, errors placed in the
// original text, and the canonical text Benchtop's server writes.
#include "testsupport.h"

#include <yaq/wire/pythonjson.h>

#include <QJsonArray>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Benchtop;
using namespace Benchtop::Yaq;

class TestPythonJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void readsPythonsNumbers()
    {
        const QByteArray text = "{\"a\": NaN, \"b\": [Infinity, -Infinity, 1.5, -2],"
                                " \"c\": {\"d\": [[NaN]]}, \"e\": \"NaN\","
                                " \"f\": \"x \\\" Infinity\", \"g\": -0.5}";
        QString error;
        const std::optional<QJsonObject> object = parseProtocolJson(text, &error);
        QVERIFY2(object, qPrintable(error));
        constexpr double inf = std::numeric_limits<double>::infinity();
        QVERIFY(std::isnan(object->value(QLatin1String("a")).toDouble()));
        const QJsonArray b = object->value(QLatin1String("b")).toArray();
        QCOMPARE(b.at(0).toDouble(), inf);
        QCOMPARE(b.at(1).toDouble(), -inf);
        QCOMPARE(b.at(2).toDouble(), 1.5);
        QCOMPARE(b.at(3).toDouble(), -2.0);
        QVERIFY(std::isnan(object->value(QLatin1String("c"))
                               .toObject()
                               .value(QLatin1String("d"))
                               .toArray()
                               .at(0)
                               .toArray()
                               .at(0)
                               .toDouble()));
        // In strings they stay text, also after an escaped quote.
        QCOMPARE(object->value(QLatin1String("e")), QJsonValue(QStringLiteral("NaN")));
        QCOMPARE(object->value(QLatin1String("f")), QJsonValue(QStringLiteral("x \" Infinity")));
        QCOMPARE(object->value(QLatin1String("g")).toDouble(), -0.5);
    }

    void refusesWhatIsNotADocument_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("not JSON") << QByteArray(R"({"protocol": "x",)")
                                  << "the protocol document is not JSON: ";
        QTest::newRow("error placed past a NaN")
            << QByteArray("{\n  \"a\": NaN,\n  oops\n}") << "at line 3, column 4";
        QTest::newRow("a word that starts like NaN")
            << QByteArray(R"({"a":NaNa})") << "the protocol document is not JSON: ";
        QTest::newRow("Infinity inside a word")
            << QByteArray(R"({"a":xInfinity})") << "the protocol document is not JSON: ";
        QTest::newRow("a list") << QByteArray("[NaN]")
                                << "the protocol document must be a JSON object, not a list";
        QTest::newRow("a number") << QByteArray("5") << "the protocol document is not JSON: ";
        QTest::newRow("huge nesting")
            << QByteArray(100000, '[') << "the protocol document is not JSON: too deeply nested";
        QTest::newRow("too big") << QByteArray(kMaxDocumentBytes + 1, ' ')
                                 << "the protocol document is 4194305 bytes, more than the "
                                    "4194304 accepted";
    }
    void refusesWhatIsNotADocument()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        QString message;
        QVERIFY(!parseProtocolJson(text, &message));
        QVERIFY2(message.startsWith(error) || message.contains(error),
            qPrintable(QStringLiteral("got: ") + message));
    }

    void writesCanonicalText()
    {
        const QJsonObject small{
            {QStringLiteral("b"), QJsonArray{1, 2.5, std::nan(""), -INFINITY, 1e300, 0.1}},
            {QStringLiteral("a"), QStringLiteral("x\"\n\\é\x01")},
            {QStringLiteral("c"), QJsonValue()}};
        const QByteArray text = canonicalText(small);
        QCOMPARE(text,
            QByteArray(
                "{\"a\":\"x\\\"\\n\\\\\xc3\xa9\\u0001\",\"b\":[1,2.5,NaN,-Infinity,1e+300,0.1],"
                "\"c\":null}"));
        // What it writes, it reads back to the same document.
        QString error;
        const std::optional<QJsonObject> back = parseProtocolJson(text, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(canonicalText(*back), text);
    }
};

QTEST_GUILESS_MAIN(TestPythonJson)
#include "tst_pythonjson.moc"
