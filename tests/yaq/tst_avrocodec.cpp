// SPDX-License-Identifier: MIT
#include "testsupport.h"
#include "yaqtest.h"

#include <yaq/wire/avrocodec.h>

#include <QTest>

#include <limits>

using namespace Benchtop::Yaq;
using namespace Benchtop::Yaq::Test;

namespace {

QByteArray encoded(const Schema &schema, const QVariant &value, const CodecLimits &limits = {})
{
    QByteArray out;
    encode(out, schema, value, limits);
    return out;
}

std::optional<QVariant> decoded(const Schema &schema, const QByteArray &bytes,
    const CodecLimits &limits = {}, qsizetype *used = nullptr)
{
    ByteReader reader(bytes);
    std::optional<QVariant> value = decode(reader, schema, limits);
    if (used)
        *used = reader.position();
    return value;
}

constexpr const char *kRecord = R"({"type": "record", "name": "R", "fields": [
    {"name": "a", "type": "int"},
    {"name": "b", "type": {"type": "array", "items": "string"}},
    {"name": "c", "type": ["null", "double"], "default": null}]})";

constexpr const char *kLinkedList = R"({"type": "record", "name": "Node", "fields": [
    {"name": "value", "type": "long"},
    {"name": "next", "type": ["null", "Node"]}]})";

QVariantMap chain(int length)
{
    QVariantMap node{
        {QStringLiteral("value"), qint64(length)}, {QStringLiteral("next"), QVariant()}};
    for (int i = length - 1; i > 0; --i)
        node = QVariantMap{{QStringLiteral("value"), qint64(i)}, {QStringLiteral("next"), node}};
    return node;
}

} // namespace

class TestAvroCodec : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void everyTypeRoundTrips_data()
    {
        QTest::addColumn<QByteArray>("schemaJson");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QByteArray>("bytes");

        auto row = [](const char *name, const char *schemaJson, const QVariant &value,
                       const char *bytes) {
            QTest::newRow(name) << QByteArray(schemaJson) << value << hex(bytes);
        };
        row("null", R"("null")", QVariant(), "");
        row("true", R"("boolean")", true, "01");
        row("false", R"("boolean")", false, "00");
        row("int 0", R"("int")", qint64(0), "00");
        row("int -1", R"("int")", qint64(-1), "01");
        row("int 1", R"("int")", qint64(1), "02");
        row("int 64", R"("int")", qint64(64), "80 01");
        row("int max", R"("int")", qint64(std::numeric_limits<qint32>::max()), "fe ff ff ff 0f");
        row("int min", R"("int")", qint64(std::numeric_limits<qint32>::min()), "ff ff ff ff 0f");
        row("long 0", R"("long")", qint64(0), "00");
        row("long -1", R"("long")", qint64(-1), "01");
        row("long 1", R"("long")", qint64(1), "02");
        row("long -64", R"("long")", qint64(-64), "7f");
        row("long max", R"("long")", std::numeric_limits<qint64>::max(),
            "fe ff ff ff ff ff ff ff ff 01");
        row("long min", R"("long")", std::numeric_limits<qint64>::min(),
            "ff ff ff ff ff ff ff ff ff 01");
        row("float", R"("float")", 1.5, "00 00 c0 3f");
        row("double", R"("double")", 1.5, "00 00 00 00 00 00 f8 3f");
        row("double -0.1", R"("double")", -0.1, "9a 99 99 99 99 99 b9 bf");
        row("string", R"("string")", QStringLiteral("h\u00e9llo"), "0c 68 c3 a9 6c 6c 6f");
        row("empty string", R"("string")", QString(QLatin1String("")), "00");
        row("bytes", R"("bytes")", QByteArray("\x00\xff", 2), "04 00 ff");
        row("array", R"({"type": "array", "items": "int"})",
            QVariantList{qint64(1), qint64(2), qint64(3)}, "06 02 04 06 00");
        row("empty array", R"({"type": "array", "items": "int"})", QVariantList(), "00");
        row("map", R"({"type": "map", "values": "long"})",
            QVariantMap{{QStringLiteral("a"), qint64(1)}}, "02 02 61 02 00");
        row("empty map", R"({"type": "map", "values": "bytes"})", QVariantMap(), "00");
        row("union null", R"(["null", "string"])", QVariant(), "00");
        row("union string", R"(["null", "string"])", QStringLiteral("x"), "02 02 78");
        row("record", kRecord,
            QVariantMap{{QStringLiteral("a"), qint64(2)},
                {QStringLiteral("b"), QVariantList{QStringLiteral("x")}},
                {QStringLiteral("c"), 0.5}},
            "04 | 02 02 78 00 | 02 00 00 00 00 00 00 e0 3f");
        row("enum", R"({"type": "enum", "name": "E", "symbols": ["A", "B", "C"]})",
            QStringLiteral("C"), "04");
        row("fixed", R"({"type": "fixed", "name": "F", "size": 3})", QByteArray("abc"), "61 62 63");
        row("linked list", kLinkedList, chain(3), "02 02 | 04 02 | 06 00");
    }

    void everyTypeRoundTrips()
    {
        QFETCH(QByteArray, schemaJson);
        QFETCH(QVariant, value);
        QFETCH(QByteArray, bytes);
        SchemaSet set;
        const Schema &s = schema(set, schemaJson.constData());
        QCOMPARE(encoded(s, value).toHex(' '), bytes.toHex(' '));
        qsizetype used = -1;
        const std::optional<QVariant> back = decoded(s, bytes, {}, &used);
        QVERIFY(back.has_value());
        QCOMPARE(*back, value);
        QCOMPARE(back->typeId(), value.typeId());
        QCOMPARE(used, bytes.size());
        // Every prefix is "need more", and leaves the reader where it was.
        for (qsizetype n = 0; n < bytes.size(); ++n) {
            ByteReader reader(bytes.constData(), n);
            QVERIFY2(!decode(reader, s).has_value(), qPrintable(QString::number(n)));
            QCOMPARE(reader.position(), 0);
        }
    }

    void zigZagEdgesThroughAppendLong_data()
    {
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("0") << qint64(0) << hex("00");
        QTest::newRow("-1") << qint64(-1) << hex("01");
        QTest::newRow("1") << qint64(1) << hex("02");
        QTest::newRow("63") << qint64(63) << hex("7e");
        QTest::newRow("-65") << qint64(-65) << hex("81 01");
        QTest::newRow("INT64_MAX")
            << std::numeric_limits<qint64>::max() << hex("fe ff ff ff ff ff ff ff ff 01");
        QTest::newRow("INT64_MIN")
            << std::numeric_limits<qint64>::min() << hex("ff ff ff ff ff ff ff ff ff 01");
    }

    void zigZagEdgesThroughAppendLong()
    {
        QFETCH(qint64, value);
        QFETCH(QByteArray, bytes);
        QByteArray out;
        appendLong(out, value);
        QCOMPARE(out.toHex(' '), bytes.toHex(' '));
        QCOMPARE(decoded(SchemaSet::primitive(Schema::Type::Long), bytes).value(), QVariant(value));
    }

    void numbersAreAcceptedInTheirUsualQtTypes()
    {
        const Schema &l = SchemaSet::primitive(Schema::Type::Long);
        const Schema &d = SchemaSet::primitive(Schema::Type::Double);
        QCOMPARE(encoded(l, 5), hex("0a"));
        QCOMPARE(encoded(l, 5u), hex("0a"));
        QCOMPARE(encoded(l, 5.0), hex("0a"));
        QCOMPARE(encoded(d, 2), encoded(d, 2.0));
        QCOMPARE(errorOf([&] { encoded(l, 2.5); }),
            QStringLiteral("yaq: encoding long: a double cannot be encoded as long"));
        QCOMPARE(errorOf([&] { encoded(l, true); }),
            QStringLiteral("yaq: encoding long: a bool cannot be encoded as long"));
        QCOMPARE(errorOf([&] { encoded(l, QStringLiteral("5")); }),
            QStringLiteral("yaq: encoding long: a QString cannot be encoded as long"));
        QCOMPARE(
            errorOf([&] { encoded(SchemaSet::primitive(Schema::Type::Int), qint64(1) << 40); }),
            QStringLiteral("yaq: encoding int: 1099511627776 is out of range of an int"));
        SchemaSet set;
        QCOMPARE(encoded(schema(set, R"({"type": "array", "items": "string"})"),
                     QStringList{QStringLiteral("a"), QStringLiteral("b")}),
            hex("04 02 61 02 62 00"));
        QCOMPARE(encoded(schema(set, R"({"type": "array", "items": "long"})"),
                     QVariant::fromValue(QList<int>{1, 2})),
            hex("04 02 04 00"));
    }

    void unionTakesTheExactTypeFirst_data()
    {
        QTest::addColumn<QByteArray>("schemaJson");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QByteArray>("bytes");
        const QByteArray mixed = R"(["null", "int", "double", "string", "boolean"])";
        QTest::newRow("null") << mixed << QVariant() << hex("00");
        QTest::newRow("int") << mixed << QVariant(3) << hex("02 06");
        QTest::newRow("double") << mixed << QVariant(2.5) << hex("04 00 00 00 00 00 00 04 40");
        QTest::newRow("whole double stays double")
            << mixed << QVariant(2.0) << hex("04 00 00 00 00 00 00 00 40");
        QTest::newRow("string") << mixed << QVariant(QStringLiteral("a")) << hex("06 02 61");
        QTest::newRow("bool is not int") << mixed << QVariant(true) << hex("08 01");
        QTest::newRow("too big for int goes to double")
            << QByteArray(R"(["int", "double"])") << QVariant(qint64(1) << 40)
            << hex("02 00 00 00 00 00 00 70 42");
        QTest::newRow("whole double to long when no double")
            << QByteArray(R"(["null", "long"])") << QVariant(2.0) << hex("02 04");
        QTest::newRow("map to map before record")
            << QByteArray(R"([{"type": "map", "values": "int"},
                    {"type": "record", "name": "P", "fields": [{"name": "x", "type": "int"}]}])")
            << QVariant(QVariantMap{{QStringLiteral("x"), 1}}) << hex("00 02 02 78 02 00");
        QTest::newRow("map to record it fits") << QByteArray(
            R"(["null", {"type": "record", "name": "P", "fields": [{"name": "x", "type": "int"}]}])")
                                               << QVariant(QVariantMap{{QStringLiteral("x"), 1}})
                                               << hex("02 02");
        QTest::newRow("enum symbol")
            << QByteArray(R"(["null", {"type": "enum", "name": "E", "symbols": ["A", "B"]}])")
            << QVariant(QStringLiteral("B")) << hex("02 02");
    }

    void unionTakesTheExactTypeFirst()
    {
        QFETCH(QByteArray, schemaJson);
        QFETCH(QVariant, value);
        QFETCH(QByteArray, bytes);
        SchemaSet set;
        QCOMPARE(encoded(schema(set, schemaJson.constData()), value).toHex(' '), bytes.toHex(' '));
    }

    void aValueFittingNoBranchIsRefused()
    {
        SchemaSet set;
        const Schema &u = schema(set, R"(["null", "string"])");
        QCOMPARE(errorOf([&] { encoded(u, 5); }),
            QStringLiteral("yaq: encoding union [null, string]: a int fits no branch of union "
                           "[null, string]"));
    }

    void recordsUseDefaultsAndNameMissingFields()
    {
        SchemaSet set;
        const Schema &r = schema(set, kRecord);
        const QVariantMap withoutC{{QStringLiteral("a"), 1}, {QStringLiteral("b"), QVariantList()}};
        QCOMPARE(encoded(r, withoutC), hex("02 00 00"));
        QCOMPARE(errorOf([&] {
            encoded(r, QVariantMap{{QStringLiteral("a"), 1}});
        }),
            QStringLiteral(
                "yaq: encoding record R, at .b: the field is missing and has no default"));
        QCOMPARE(errorOf([&] {
            encoded(r,
                QVariantMap{{QStringLiteral("a"), 1},
                    {QStringLiteral("b"), QVariantList{QStringLiteral("x"), 7}}});
        }),
            QStringLiteral("yaq: encoding record R, at .b[1]: a int cannot be encoded as string"));
    }

    void malformedInputIsRefusedWithItsReason_data()
    {
        QTest::addColumn<QByteArray>("schemaJson");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        auto row
            = [](const char *name, const char *schemaJson, const char *bytes, const char *message) {
                  QTest::newRow(name)
                      << QByteArray(schemaJson) << hex(bytes) << QString::fromUtf8(message);
              };
        row("varint of 11 bytes", R"("long")", "ff ff ff ff ff ff ff ff ff ff 01",
            "yaq: decoding long: a varint longer than 64 bits");
        row("varint past 64 bits", R"("long")", "ff ff ff ff ff ff ff ff ff 02",
            "yaq: decoding long: a varint longer than 64 bits");
        row("boolean 02", R"("boolean")", "02",
            "yaq: decoding boolean: a boolean must be 00 or 01, not 02");
        row("int out of range", R"("int")", "80 80 80 80 20",
            "yaq: decoding int: 4294967296 is out of range of an int");
        row("invalid UTF-8", R"("string")", "04 c3 28",
            "yaq: decoding string: the string is not valid UTF-8");
        row("overlong UTF-8", R"("string")", "04 c0 af",
            "yaq: decoding string: the string is not valid UTF-8");
        row("surrogate in UTF-8", R"("string")", "06 ed a0 80",
            "yaq: decoding string: the string is not valid UTF-8");
        row("negative length", R"("bytes")", "03",
            "yaq: decoding bytes: a bytes value of negative length -2");
        row("huge length from five bytes", R"("bytes")", "fe ff ff ff 0f",
            "yaq: decoding bytes: a bytes value of 2147483647 bytes exceeds the limit of 16777216");
        row("union branch", R"(["null", "string"])", "04",
            "yaq: decoding union [null, string]: union branch 2 does not exist (2 branches)");
        row("negative union branch", R"(["null", "string"])", "01",
            "yaq: decoding union [null, string]: union branch -1 does not exist (2 branches)");
        row("enum index", R"({"type": "enum", "name": "E", "symbols": ["A"]})", "02",
            "yaq: decoding enum E: enum index 1 is not one of its 1 symbols");
        row("items past the limit", R"({"type": "array", "items": "null"})", "80 80 80 80 80 40",
            "yaq: decoding array<null>: more than 1048576 items");
        row("empty items past the budget", R"({"type": "array", "items": "null"})", "c0 9a 0c",
            "yaq: decoding array<null>: more than 65536 items that take no bytes");
        row("block size lies", R"({"type": "array", "items": "int"})", "03 06 02 04 00",
            "yaq: decoding array<int>: a block announced as 3 bytes took 2");
        row("negative block size", R"({"type": "array", "items": "int"})", "03 01 02 04 00",
            "yaq: decoding array<int>: a block size of -1 bytes");
        row("path inside a record", kRecord, "02 04 02 61 04 ff fe 00",
            "yaq: decoding record R, at .b[1]: the string is not valid UTF-8");
        row("map key", R"({"type": "map", "values": "int"})", "02 02 ff 00 00",
            "yaq: decoding map<int>, at [key 0]: the string is not valid UTF-8");
        row("map value", R"({"type": "map", "values": "boolean"})", "02 02 6b 07 00",
            "yaq: decoding map<boolean>, at [\"k\"]: a boolean must be 00 or 01, not 07");
        // From the fuzzer: a key with a newline made the message two lines.
        row("map key quoted on one line", R"({"type": "map", "values": "boolean"})",
            "02 0c 6b 0a 01 e2 80 a8 07 00",
            "yaq: decoding map<boolean>, at [\"k\\n\\u0001\\u2028\"]: a boolean must be 00 or 01, "
            "not 07");
    }

    void malformedInputIsRefusedWithItsReason()
    {
        QFETCH(QByteArray, schemaJson);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        SchemaSet set;
        const Schema &s = schema(set, schemaJson.constData());
        QCOMPARE(errorOf([&] { decoded(s, bytes); }), message);
    }

    void negativeBlockCountsAreRead()
    {
        SchemaSet set;
        const Schema &s = schema(set, R"({"type": "array", "items": "int"})");
        // Two blocks: -2 items in 2 bytes, then 1 item, then the end.
        QCOMPARE(decoded(s, hex("03 04 02 04 02 06 00")).value(),
            QVariant(QVariantList{qint64(1), qint64(2), qint64(3)}));
    }

    void anAnnouncedLengthIsNotAllocatedBeforeItsBytesArrive()
    {
        // 16 MiB announced in four bytes, within the limit: "need more", not an allocation.
        const QByteArray bytes = hex("80 80 80 10 61");
        QVERIFY(!decoded(SchemaSet::primitive(Schema::Type::Bytes), bytes).has_value());
        // A count of a million ints with no bytes behind it: also just "need more".
        SchemaSet set;
        QVERIFY(!decoded(schema(set, R"({"type": "array", "items": "int"})"), hex("80 89 7a"))
                     .has_value());
        CodecLimits small;
        small.maxLength = 4;
        QCOMPARE(
            errorOf([&] { decoded(SchemaSet::primitive(Schema::Type::String), hex("0a"), small); }),
            QStringLiteral("yaq: decoding string: a string of 5 bytes exceeds the limit of 4"));
    }

    void nestingIsBounded()
    {
        SchemaSet set;
        const Schema &node = schema(set, kLinkedList);
        QCOMPARE(decoded(node, encoded(node, chain(20))).value(), QVariant(chain(20)));
        QCOMPARE(errorOf([&] { encoded(node, chain(40)); }).section(QLatin1String(": "), -1),
            QStringLiteral("nested deeper than 64"));
        QByteArray deep;
        for (int i = 0; i < 40; ++i)
            deep += hex("02 02");
        deep += hex("02 00");
        const QString message = errorOf([&] { decoded(node, deep); });
        QVERIFY2(message.startsWith(QLatin1String("yaq: decoding record Node, at .next.next.")),
            qPrintable(message));
        QVERIFY2(message.endsWith(QLatin1String(": nested deeper than 64")), qPrintable(message));
        CodecLimits shallow;
        shallow.maxDepth = 3;
        QCOMPARE(errorOf([&] { decoded(node, encoded(node, chain(2)), shallow); }),
            QStringLiteral("yaq: decoding record Node, at .next.next: nested deeper than 3"));
    }

    void utf8Validation()
    {
        auto valid = [](const char *text) { return isValidUtf8(text, qsizetype(strlen(text))); };
        QVERIFY(valid("plain"));
        QVERIFY(valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")); // é € 😀
        QVERIFY(!valid("\xc3"));
        QVERIFY(!valid("\x80"));
        QVERIFY(!valid("\xe0\x80\x80")); // overlong
        QVERIFY(!valid("\xf4\x90\x80\x80")); // past U+10FFFF
        QVERIFY(!valid("\xf8\x88\x80\x80\x80"));
    }

    void schemasResolveNamedTypes()
    {
        SchemaSet set;
        set.parseTypes(QJsonDocument::fromJson(R"([{"type": "record", "name": "ndarray",
            "fields": [{"name": "shape", "type": {"type": "array", "items": "int"}},
                       {"name": "typestr", "type": "string"},
                       {"name": "data", "type": "bytes"},
                       {"name": "version", "type": "int"}]}])")
                           .array());
        const Schema &u = schema(set, R"(["null", "ndarray"])");
        QCOMPARE(u.describe(), QStringLiteral("union [null, record ndarray]"));
        QCOMPARE(set.find(QStringLiteral("ndarray")), u.branches[1]);
        const QVariantMap array{{QStringLiteral("shape"), QVariantList{qint64(2)}},
            {QStringLiteral("typestr"), QStringLiteral("<f8")},
            {QStringLiteral("data"), QByteArray(16, '\0')}, {QStringLiteral("version"), qint64(1)}};
        QCOMPARE(decoded(u, encoded(u, array)).value(), QVariant(array));
        // A namespaced type is found by its full and its short name.
        const Schema &md5
            = schema(set, R"({"type": "fixed", "name": "MD5", "namespace": "a.b", "size": 16})");
        QCOMPARE(set.find(QStringLiteral("a.b.MD5")), &md5);
        QCOMPARE(&schema(set, R"("MD5")"), &md5);
    }

    void schemaErrorsNameWhatAndWhere_data()
    {
        QTest::addColumn<QByteArray>("schemaJson");
        QTest::addColumn<QString>("message");
        auto row = [](const char *name, const char *json, const char *message) {
            QTest::newRow(name) << QByteArray(json) << QString::fromUtf8(message);
        };
        row("unknown name", R"("dubble")", "schema: unknown type \"dubble\"");
        row("unknown in a field",
            R"({"type": "record", "name": "R", "fields": [{"name": "x", "type": "dubble"}]})",
            "schema.x: unknown type \"dubble\"");
        row("union in a union", R"(["null", ["int"]])",
            "schema[1]: a union cannot contain a union directly");
        row("two of a type", R"(["int", "int"])",
            "schema[1]: the union has two branches of type int");
        row("empty union", R"([])", "schema: a union needs at least one branch");
        row("array without items", R"({"type": "array"})", "schema: \"items\" is missing");
        row("fixed size", R"({"type": "fixed", "name": "F", "size": -1})",
            "schema: \"size\" must be a whole number from 0 to 16777216, not -1");
        row("bad name", R"({"type": "enum", "name": "1x", "symbols": ["A"]})",
            "schema: \"1x\" is not a valid Avro name");
        row("enum without symbols", R"({"type": "enum", "name": "E", "symbols": []})",
            "schema: \"symbols\" must be an array of at least one name");
        row("bad default",
            R"({"type": "record", "name": "R", "fields": [{"name": "x", "type": "int", "default": "a"}]})",
            "schema.x: default \"a\" does not fit int");
        row("a number", R"(5)", "schema: a schema must be a name, an object or an array, not 5");
    }

    void schemaErrorsNameWhatAndWhere()
    {
        QFETCH(QByteArray, schemaJson);
        QFETCH(QString, message);
        SchemaSet set;
        bool schemaError = false;
        QString what;
        try {
            schema(set, schemaJson.constData());
        } catch (const SchemaError &e) {
            schemaError = true;
            what = e.message();
        }
        QVERIFY(schemaError);
        QCOMPARE(what, message);
    }

    void aFailedParseLeavesTheSetAsItWas()
    {
        SchemaSet set;
        QVERIFY_THROWS_EXCEPTION(SchemaError, schema(set, R"({"type": "record", "name": "R",
            "fields": [{"name": "x", "type": "nope"}]})"));
        QCOMPARE(set.find(QStringLiteral("R")), nullptr);
        QCOMPARE(schema(set, R"({"type": "record", "name": "R", "fields": []})").name,
            QStringLiteral("R"));
    }
};

QTEST_GUILESS_MAIN(TestAvroCodec)
#include "tst_avrocodec.moc"
