// SPDX-License-Identifier: MIT
// Avro types and Benchtop's value types, both ways (messagedefinition.h): avroType() for what a
// getter answers, valueTypeOfAvro() for what a remote daemon's types hold.
#include "testsupport.h"

#include <device/messagedefinition.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Benchtop;

namespace {

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

/// yaq's ndarray record, as every yaq daemon lists it in `types`.
QJsonValue ndarray()
{
    return json(R"({"type":"record","name":"ndarray","logicalType":"ndarray","fields":[
        {"name":"shape","type":{"type":"array","items":"int"}},{"name":"typestr","type":"string"},
        {"name":"data","type":"bytes"},{"name":"version","type":"int"}]})");
}

} // namespace

class TestMessageDefinition : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void avroTypesToValueTypes_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("expected"); // -1: none
        QTest::addColumn<QStringList>("options");
        auto row = [](const char *name, const char *type, int expected, QStringList options = {}) {
            QTest::newRow(name) << QString::fromUtf8(type) << expected << options;
        };
        row("boolean", R"("boolean")", int(ValueType::Bool));
        row("long", R"("long")", int(ValueType::Int));
        row("float", R"("float")", int(ValueType::Double));
        row("object form", R"({"type":"int"})", int(ValueType::Int));
        row("nullable string", R"(["null","string"])", int(ValueType::String));
        row("numbers", R"(["int","double"])", int(ValueType::Double));
        row("enum", R"({"type":"enum","name":"e","symbols":["a","b"]})", int(ValueType::String),
            {QStringLiteral("a"), QStringLiteral("b")});
        row("named enum", R"("mirror")", int(ValueType::String),
            {QStringLiteral("front"), QStringLiteral("side")});
        row("array of strings", R"({"type":"array","items":"string"})", int(ValueType::StringList));
        row("array of enums", R"({"type":"array","items":"mirror"})", int(ValueType::StringList));
        row("array of ints", R"({"type":"array","items":"int"})", int(ValueType::DoubleList));
        row("map of doubles", R"({"type":"map","values":"double"})", int(ValueType::DoubleMap));
        row("map of nullable strings", R"({"type":"map","values":["null","string"]})",
            int(ValueType::StringMap));
        row("measured", R"({"type":"map","values":["double","ndarray","int"]})",
            int(ValueType::Map));
        row("ndarray", R"("ndarray")", int(ValueType::DoubleList));
        row("bytes", R"("bytes")", -1);
        row("null", R"("null")", -1);
        row("self-referring", R"("loop")", -1);
        row("mixed union", R"(["string","int"])", -1);
    }
    void avroTypesToValueTypes()
    {
        QFETCH(QString, type);
        QFETCH(int, expected);
        QFETCH(QStringList, options);
        const QJsonArray types{
            json(R"({"type":"enum","name":"mirror","symbols":["front","side"]})"), ndarray(),
            json(R"({"type":"record","name":"loop","fields":[]})")};
        QJsonArray withLoop = types;
        withLoop.append(json(R"({"name":"loop","type":"loop"})"));
        const std::optional<ValueTypeOfAvro> result
            = valueTypeOfAvro(json(type.toUtf8().constData()), withLoop);
        QCOMPARE(result.has_value(), expected >= 0);
        if (result) {
            QCOMPARE(int(result->type), expected);
            QCOMPARE(result->options, options);
        }
    }

    void bothWays_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("back");
        for (const ValueType type : {ValueType::Bool, ValueType::Int, ValueType::Double,
                 ValueType::String, ValueType::StringList, ValueType::DoubleList,
                 ValueType::StringMap, ValueType::DoubleMap, ValueType::Map}) {
            QTest::newRow(qPrintable(toString(type))) << int(type) << int(type);
        }
        // Bindings travel as a map of strings.
        QTest::newRow("bindings") << int(ValueType::Bindings) << int(ValueType::StringMap);
    }
    void bothWays()
    {
        QFETCH(int, type);
        QFETCH(int, back);
        const std::optional<ValueTypeOfAvro> read = valueTypeOfAvro(avroType(ValueType(type)), {});
        QVERIFY(read);
        QCOMPARE(int(read->type), back);
        QVERIFY(read->options.isEmpty());
        // What may be missing is the same value type.
        const std::optional<ValueTypeOfAvro> nullable
            = valueTypeOfAvro(avroNullable(avroType(ValueType(type))), {});
        QVERIFY(nullable);
        QCOMPARE(int(nullable->type), back);
    }
};

QTEST_GUILESS_MAIN(TestMessageDefinition)
#include "tst_messagedefinition.moc"
