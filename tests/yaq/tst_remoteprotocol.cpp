// SPDX-License-Identifier: MIT
// Reading a yaq daemon's protocol document into Benchtop's model of it (remoteprotocol.h), as a
// client does once per connection: documents in the form yaq daemons write them (hand-written
// fixtures in tests/data/yaq), the model taken from the parsed document rather than its text, and
// malformed documents refused with a clear "where: what" message. Benchtop's own documents read
// back are in tst_deviceprotocol.
#include "testsupport.h"
#include "yaqtest.h"

#include <device/messagedefinition.h>
#include <yaq/client/remoteprotocol.h>
#include <yaq/server/deviceprotocol.h>
#include <yaq/wire/protocoldocument.h>
#include <yaq/wire/pythonjson.h>
#include <yaq/wire/yaqerror.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <limits>
#include <optional>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::Yaq;
using Benchtop::Yaq::Test::readRemote;

namespace {

QByteArray fixture(const char *name)
{
    return Yaq::Test::readData(QLatin1String(name));
}

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

} // namespace

class TestRemoteProtocol : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    // --- documents as yaq daemons write them (hand-written fixtures, tests/data/yaq) ---

    void yaqMotor()
    {
        QString error;
        const std::optional<RemoteProtocol> remote
            = readRemote(fixture("example-stage.avpr"), &error);
        QVERIFY2(remote, qPrintable(error));
        QCOMPARE(remote->kind, QStringLiteral("example-stage"));
        QVERIFY(remote->doc.contains(QStringLiteral("reads NaN until"))); // not a number there
        QCOMPARE(remote->traits,
            QStringList({QStringLiteral("has-limits"), QStringLiteral("has-position"),
                QStringLiteral("has-transformed-position"), QStringLiteral("is-daemon"),
                QStringLiteral("is-homeable")}));
        QVERIFY(remote->types.isEmpty());
        QCOMPARE(remote->messages.size(), 26);
        const MessageDefinition &set = remote->messages[QStringLiteral("set_position")];
        QCOMPARE(set.name, QStringLiteral("set_position"));
        QCOMPARE(set.request.size(), 1);
        QCOMPARE(set.request[0].name, QStringLiteral("position"));
        QCOMPARE(set.request[0].type, json(R"("double")"));
        QVERIFY(!set.request[0].hasDefault());
        QCOMPARE(set.response, json(R"("null")"));
        QCOMPARE(set.trait, QStringLiteral("has-position"));
        QCOMPARE(set.doc, QStringLiteral("Start a move to an absolute position."));
        QCOMPARE(remote->messages[QStringLiteral("shutdown")].request[0].defaultValue,
            QJsonValue(false));
        QCOMPARE(remote->messages[QStringLiteral("get_limits")].response,
            json(R"({"type":"array","items":"double"})"));
        QCOMPARE(
            remote->messages[QStringLiteral("get_units")].response, json(R"(["null","string"])"));
        QCOMPARE(remote->messages[QStringLiteral("home")].trait, QStringLiteral("is-homeable"));
        QCOMPARE(remote->messages[QStringLiteral("set_native_reference")].trait,
            QStringLiteral("has-transformed-position"));

        // A daemon's own messages: bytes both ways, and parameters with defaults, in order.
        const MessageDefinition &raw = remote->messages[QStringLiteral("send_raw")];
        QCOMPARE(raw.trait, QStringLiteral("example-stage"));
        QCOMPARE(raw.request.size(), 1);
        QCOMPARE(raw.request[0].name, QStringLiteral("payload"));
        QCOMPARE(raw.request[0].type, json(R"("bytes")"));
        QCOMPARE(raw.response, json(R"("bytes")"));
        const MessageDefinition &jog = remote->messages[QStringLiteral("jog")];
        QCOMPARE(jog.request.size(), 2);
        QCOMPARE(jog.request[0].name, QStringLiteral("steps"));
        QCOMPARE(jog.request[0].defaultValue, QJsonValue(1));
        QCOMPARE(jog.request[1].name, QStringLiteral("forward"));
        QCOMPARE(jog.request[1].defaultValue, QJsonValue(true));

        // Properties, in the order of their names (a yaq document's object keys).
        QCOMPARE(remote->properties.size(), 5);
        QStringList names;
        for (const RemoteProperty &property : remote->properties)
            names << property.info.name;
        QCOMPARE(names,
            QStringList({QStringLiteral("destination"), QStringLiteral("native_destination"),
                QStringLiteral("native_reference"), QStringLiteral("position"),
                QStringLiteral("settle_time")}));
        for (const RemoteProperty &property : remote->properties) {
            QCOMPARE(toString(property.info.type), toString(ValueType::Double));
            QCOMPARE(property.info.stateKey, property.info.name);
            QVERIFY(property.optionsGetter.isEmpty()); // null in the document
            QVERIFY(property.info.units.isEmpty()); // to be fetched with the units getter
        }
        const RemoteProperty &destination = remote->properties[0];
        QCOMPARE(destination.info.getter, QStringLiteral("get_destination"));
        QCOMPARE(destination.info.setter, QStringLiteral("set_position"));
        QCOMPARE(toString(destination.info.controlKind), toString(ControlKind::Hinted));
        QVERIFY(destination.info.dynamic);
        QCOMPARE(destination.unitsGetter, QStringLiteral("get_units"));
        QCOMPARE(destination.limitsGetter, QStringLiteral("get_limits"));
        QCOMPARE(destination.recordKind, QStringLiteral("data"));
        const RemoteProperty &nativeDestination = remote->properties[1];
        QVERIFY(nativeDestination.info.setter.isEmpty()); // null
        QCOMPARE(toString(nativeDestination.info.controlKind), toString(ControlKind::Normal));
        QCOMPARE(nativeDestination.unitsGetter, QStringLiteral("get_native_units"));
        QCOMPARE(nativeDestination.limitsGetter, QStringLiteral("get_native_limits"));
        const RemoteProperty &reference = remote->properties[2];
        QCOMPARE(reference.info.setter, QStringLiteral("set_native_reference"));
        QVERIFY(reference.limitsGetter.isEmpty());
        QVERIFY(!reference.info.dynamic);
        QCOMPARE(reference.recordKind, QStringLiteral("metadata"));
        const RemoteProperty &position = remote->properties[3];
        QCOMPARE(position.info.getter, QStringLiteral("get_position"));
        QVERIFY(position.info.setter.isEmpty());
        QCOMPARE(toString(position.info.controlKind), toString(ControlKind::Hinted));
        QCOMPARE(position.limitsGetter, QStringLiteral("get_limits"));
        const RemoteProperty &settle = remote->properties[4];
        QCOMPARE(settle.info.setter, QStringLiteral("set_settle_time"));
        QCOMPARE(toString(settle.info.controlKind), toString(ControlKind::Omitted));
        QVERIFY(settle.unitsGetter.isEmpty());

        // Python's NaN, Infinity and -Infinity are numbers again: bare and in lists, in config
        // and in state; other numbers are untouched.
        auto defaultOf = [&](const QJsonObject &section, const char *key) {
            return section.value(QLatin1String(key)).toObject().value(QLatin1String("default"));
        };
        constexpr double inf = std::numeric_limits<double>::infinity();
        for (const QJsonValue &limits :
            {defaultOf(remote->config, "limits"), defaultOf(remote->state, "hw_limits")}) {
            QVERIFY(limits.isArray());
            QCOMPARE(limits.toArray().size(), 2);
            QCOMPARE(limits.toArray().at(0).toDouble(), -inf);
            QCOMPARE(limits.toArray().at(1).toDouble(), inf);
        }
        QCOMPARE(defaultOf(remote->config, "max_velocity").toDouble(), inf);
        QVERIFY(std::isnan(defaultOf(remote->state, "position").toDouble()));
        QVERIFY(std::isnan(defaultOf(remote->state, "destination").toDouble()));
        QCOMPARE(defaultOf(remote->state, "settle_time"), QJsonValue(0.25));
        QCOMPARE(defaultOf(remote->config, "baud_rate"), QJsonValue(57600));
        QVERIFY(defaultOf(remote->config, "make").isNull());
        QVERIFY(defaultOf(remote->config, "port").isUndefined()); // required: no default

        // An enum config written in place (flattened), not named in "types".
        const QJsonValue outOfLimits = remote->config.value(QLatin1String("out_of_limits"))
                                           .toObject()
                                           .value(QLatin1String("type"));
        const std::optional<ValueTypeOfAvro> enumType = valueTypeOfAvro(outOfLimits, remote->types);
        QVERIFY(enumType);
        QCOMPARE(int(enumType->type), int(ValueType::String));
        QCOMPARE(enumType->options,
            QStringList(
                {QStringLiteral("closest"), QStringLiteral("ignore"), QStringLiteral("error")}));
        QCOMPARE(defaultOf(remote->config, "out_of_limits"), QJsonValue(QStringLiteral("closest")));
        QVERIFY(remote->warnings.isEmpty());
    }

    void yaqSensor()
    {
        QString error;
        const std::optional<RemoteProtocol> remote
            = readRemote(fixture("example-power-meter.avpr"), &error);
        QVERIFY2(remote, qPrintable(error));
        QCOMPARE(remote->kind, QStringLiteral("example-power-meter"));
        QCOMPARE(remote->traits,
            QStringList({QStringLiteral("has-measure-trigger"), QStringLiteral("is-daemon"),
                QStringLiteral("is-sensor")}));
        QCOMPARE(remote->messages.size(), 20);
        QCOMPARE(remote->messages[QStringLiteral("get_measured")].response,
            json(R"({"type":"map","values":["double","ndarray","int"]})"));
        QCOMPARE(
            remote->messages[QStringLiteral("get_measured")].trait, QStringLiteral("is-sensor"));
        QCOMPARE(remote->messages[QStringLiteral("get_measurement_id")].response,
            json(R"({"type":"int"})"));
        QCOMPARE(remote->messages[QStringLiteral("get_channel_shapes")].response,
            json(R"({"type":"map","values":{"type":"array","items":"int"}})"));
        const MessageDefinition &measure = remote->messages[QStringLiteral("measure")];
        QCOMPARE(measure.request.size(), 1);
        QCOMPARE(measure.request[0].name, QStringLiteral("loop"));
        QCOMPARE(measure.request[0].defaultValue, QJsonValue(false));
        QCOMPARE(measure.response, json(R"("int")"));
        QCOMPARE(measure.trait, QStringLiteral("has-measure-trigger"));
        QVERIFY(remote->hasMessage(QStringLiteral("stop_looping")));
        QVERIFY(!remote->hasMessage(QStringLiteral("stop")));

        // The named types: an enum used by messages, config and state, and yaq's ndarray.
        QCOMPARE(remote->types.size(), 2);
        QCOMPARE(remote->types.at(0).toObject().value(QLatin1String("name")),
            QJsonValue(QStringLiteral("band")));
        QCOMPARE(remote->types.at(1).toObject().value(QLatin1String("name")),
            QJsonValue(QStringLiteral("ndarray")));
        QCOMPARE(QJsonValue(remote->types.at(1)), QJsonValue(ndarrayType()));
        const MessageDefinition &setBand = remote->messages[QStringLiteral("set_band")];
        QCOMPARE(setBand.request[0].type, json(R"("band")"));
        QVERIFY(setBand.trait.isEmpty()); // an older daemon: its own messages have none
        const std::optional<ValueTypeOfAvro> band
            = valueTypeOfAvro(setBand.request[0].type, remote->types);
        QVERIFY(band);
        QCOMPARE(int(band->type), int(ValueType::String));
        QCOMPARE(band->options,
            QStringList(
                {QStringLiteral("uv"), QStringLiteral("visible"), QStringLiteral("infrared")}));
        QCOMPARE(remote->messages[QStringLiteral("get_band")].response, json(R"("band")"));
        QCOMPARE(
            remote->config.value(QLatin1String("band")).toObject().value(QLatin1String("type")),
            json(R"("band")"));

        // No request key, and a misspelt response key: ignored, as yaq clients do.
        const MessageDefinition &zero = remote->messages[QStringLiteral("zero")];
        QVERIFY(zero.request.isEmpty());
        QCOMPARE(zero.response, json(R"("null")"));
        QVERIFY(zero.doc.startsWith(QStringLiteral("Take the present reading")));

        // No "properties" key: none, and nothing to warn about.
        QVERIFY(remote->properties.isEmpty());
        QVERIFY(remote->warnings.isEmpty());
    }

    // --- the model is the parsed document's ---

    void modelIsTheDocuments()
    {
        // The messages as the document read them, once: the same names, parameters, defaults and
        // response types, with the effect and awaited answer of the message table.
        const ProtocolDocument document(fixture("example-stage.avpr"));
        const RemoteProtocol remote = RemoteProtocol::fromDocument(document);
        QCOMPARE(qsizetype(document.messages().size()), remote.messages.size());
        for (const auto &[name, schema] : document.messages()) {
            const MessageDefinition &message = remote.messages[name];
            QCOMPARE(message.name, schema.definition.name);
            QCOMPARE(message.doc, schema.definition.doc);
            QCOMPARE(message.trait, schema.definition.trait);
            QCOMPARE(message.response, schema.definition.response);
            QCOMPARE(message.request.size(), qsizetype(schema.request.size()));
            for (qsizetype i = 0; i < message.request.size(); ++i) {
                QCOMPARE(message.request[i].name, schema.request[std::size_t(i)].name);
                QCOMPARE(message.request[i].type, schema.definition.request[i].type);
                QCOMPARE(message.request[i].hasDefault(),
                    schema.request[std::size_t(i)].defaultValue.has_value());
            }
        }
        QVERIFY(remote.messages[QStringLiteral("set_position")].effect == Effect::Acts);
        QVERIFY(remote.messages[QStringLiteral("set_position")].onceIdle == OnceIdle::Position);
        QVERIFY(remote.messages[QStringLiteral("get_position")].effect == Effect::Reads);
        QVERIFY(remote.messages[QStringLiteral("send_raw")].effect == Effect::Reads); // its own

        // A document built as JSON (a server's) gives the model as its text would.
        const ProtocolDocument again(document.json());
        const RemoteProtocol fromJson = RemoteProtocol::fromDocument(again);
        QCOMPARE(fromJson.kind, remote.kind);
        QCOMPARE(fromJson.traits, remote.traits);
        QCOMPARE(fromJson.messages.keys(), remote.messages.keys());
        QCOMPARE(fromJson.propertyInfos().size(), remote.propertyInfos().size());
        QCOMPARE(again.text(), canonicalText(document.json()));
    }

    // --- malformed documents ---

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("not JSON") << QByteArray(R"({"protocol": "x",)")
                                  << "the protocol document is not JSON: ";
        QTest::newRow("error position")
            << QByteArray("{\n  \"protocol\": NaN,\n  oops\n}")
            << "at line 3, column 4"; // Qt's offset, mapped back past the NaN
        QTest::newRow("almost NaN") << QByteArray(R"({"protocol":"x","messages":{},"a":NaNa})")
                                    << "the protocol document is not JSON: ";
        QTest::newRow("trailing garbage")
            << QByteArray(R"({"protocol":"x","messages":{}} x)")
            << "the protocol document is not JSON: garbage at the end";
        QTest::newRow("a list") << QByteArray("[1]")
                                << "the protocol document must be a JSON object, not a list";
        QTest::newRow("huge nesting")
            << QByteArray(100000, '[') << "the protocol document is not JSON: too deeply nested";
        QTest::newRow("too big") << QByteArray(kMaxDocumentBytes + 1,
            ' ') << "the protocol document is 4194305 bytes, more than the 4194304 accepted";
        QTest::newRow("no protocol")
            << QByteArray(R"({"messages":{}})") << "\"protocol\" is missing";
        QTest::newRow("protocol a number") << QByteArray(R"({"protocol":5,"messages":{}})")
                                           << "\"protocol\" must be a string, not a number";
        QTest::newRow("no messages")
            << QByteArray(R"({"protocol":"x"})") << "\"messages\" is missing";
        QTest::newRow("messages a list") << QByteArray(R"({"protocol":"x","messages":[]})")
                                         << "\"messages\" must be an object, not a list";
        QTest::newRow("message a string")
            << QByteArray(R"({"protocol":"x","messages":{"home":"now"}})")
            << "messages.home: must be an object, not a string";
        QTest::newRow("request not a list")
            << QByteArray(R"({"protocol":"x","messages":{"home":{"request":"now"}}})")
            << "messages.home: \"request\" must be a list of parameters, not a string";
        QTest::newRow("parameter without type") << QByteArray(
            R"({"protocol":"x","messages":{"set_position":{"request":[{"name":"position"}]}}})")
                                                << "messages.set_position.request[0]: \"type\" is "
                                                   "missing";
        QTest::newRow("parameter without name")
            << QByteArray(R"({"protocol":"x","messages":{"m":{"request":[{"type":"int"}]}}})")
            << "messages.m.request[0]: \"name\" is missing";
        QTest::newRow("parameter twice") << QByteArray(
            R"({"protocol":"x","messages":{"m":{"request":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}}})")
                                         << "messages.m.request[1]: parameter \"a\" is listed "
                                            "twice";
        QTest::newRow("response a number")
            << QByteArray(R"({"protocol":"x","messages":{"m":{"response":5}}})")
            << "messages.m.response: a schema must be a name, an object or an array, not 5";
        QTest::newRow("unknown type") << QByteArray(
            R"({"protocol":"x","messages":{"get_measured":{"response":{"type":"map","values":"ndarry"}}}})")
                                      << "messages.get_measured.response.values: unknown type "
                                         "\"ndarry\"";
        QTest::newRow("array without items")
            << QByteArray(R"({"protocol":"x","messages":{"m":{"response":{"type":"array"}}}})")
            << "messages.m.response: \"items\" is missing";
        QTest::newRow("empty union")
            << QByteArray(R"({"protocol":"x","messages":{"m":{"response":[]}}})")
            << "messages.m.response: a union needs at least one branch";
        QByteArray deep = "\"int\"";
        for (int i = 0; i < 40; ++i)
            deep = "{\"type\":\"array\",\"items\":" + deep + "}";
        QTest::newRow("deep type")
            << QByteArray(R"({"protocol":"x","messages":{"m":{"response":)" + deep + "}}}")
            << ".items.items: nested deeper than 32";
        QTest::newRow("traits not strings")
            << QByteArray(R"({"protocol":"x","traits":["a",1],"messages":{}})")
            << "traits[1]: must be a string, not a number";
        QTest::newRow("types not a list")
            << QByteArray(R"({"protocol":"x","types":{},"messages":{}})")
            << "\"types\" must be a list of named types, not an object";
        QTest::newRow("config field a number")
            << QByteArray(R"({"protocol":"x","messages":{},"config":{"port":5}})")
            << "config.port: must be an object, not a number";
        QTest::newRow("getter not a message") << QByteArray(
            R"({"protocol":"x","messages":{},"properties":{"position":{"type":"double","getter":"get_position"}}})")
                                              << "properties.position: \"getter\" \"get_position\" "
                                                 "is not a message of the document";
        QTest::newRow("property without getter") << QByteArray(
            R"({"protocol":"x","messages":{},"properties":{"position":{"type":"double"}}})")
                                                 << "properties.position: \"getter\" is missing";
        QTest::newRow("bad control kind") << QByteArray(
            R"({"protocol":"x","messages":{"g":{"response":"double"}},"properties":{"p":{"type":"double","getter":"g","control_kind":"loud"}}})")
                                          << "properties.p: \"control_kind\" must be \"hinted\", "
                                             "\"normal\" or \"omitted\"";
        QTest::newRow("dynamic not a bool") << QByteArray(
            R"({"protocol":"x","messages":{"g":{}},"properties":{"p":{"type":"double","getter":"g","dynamic":"yes"}}})")
                                            << "properties.p: \"dynamic\" must be true or false, "
                                               "not a string";
        QTest::newRow("message with an empty name")
            << QByteArray(R"({"protocol":"x","messages":{"":{}}})")
            << "messages: a message has an empty name";
        QTest::newRow("doc a number")
            << QByteArray(R"({"protocol":"x","messages":{"m":{"doc":1}}})")
            << "messages.m: \"doc\" must be a string, not a number";
        QTest::newRow("parameter name not a name") << QByteArray(
            R"({"protocol":"x","messages":{"m":{"request":[{"name":"1x","type":"int"}]}}})")
                                                   << "messages.m.request[0]: \"name\" must be a "
                                                      "valid Avro name, not \"1x\"";
        QTest::newRow("default does not fit") << QByteArray(
            R"({"protocol":"x","messages":{"m":{"request":[{"name":"a","type":"int","default":"no"}]}}})")
                                              << "messages.m.request[0]: default \"no\" does not "
                                                 "fit int";
        QTest::newRow("unknown parameter type") << QByteArray(
            R"({"protocol":"x","messages":{"m":{"request":[{"name":"a","type":"dubble"}]}}})")
                                                << "messages.m.request[0].type: unknown type "
                                                   "\"dubble\"";
        QTest::newRow("type used before its definition") << QByteArray(
            R"({"protocol":"x","types":[{"type":"record","name":"a","fields":[{"name":"b","type":"b"}]},{"type":"enum","name":"b","symbols":["c"]}],"messages":{}})")
                                                         << "types[0].b: unknown type \"b\"";
        QTest::newRow("properties a list")
            << QByteArray(R"({"protocol":"x","messages":{},"properties":[]})")
            << "\"properties\" must be an object, not a list";
        QTest::newRow("property a string")
            << QByteArray(R"({"protocol":"x","messages":{},"properties":{"p":"double"}})")
            << "properties.p: must be an object, not a string";
        QTest::newRow("property without type") << QByteArray(
            R"({"protocol":"x","messages":{"g":{}},"properties":{"p":{"getter":"g"}}})")
                                               << "properties.p: \"type\" is missing";
        QTest::newRow("property of an unknown type") << QByteArray(
            R"({"protocol":"x","messages":{"g":{}},"properties":{"p":{"type":"dubble","getter":"g"}}})")
                                                     << "properties.p.type: unknown type "
                                                        "\"dubble\"";
        QTest::newRow("extension not an object")
            << QByteArray(R"({"protocol":"x","messages":{},"benchtop":[]})")
            << "\"benchtop\" must be an object, not a list";
        QTest::newRow("extension property") << QByteArray(
            R"({"protocol":"x","messages":{},"benchtop":{"version":1,"properties":[{"name":"p","value_type":"complex","getter":"g"}]}})")
                                            << "benchtop.properties[0]: unknown \"value_type\" "
                                               "\"complex\"";
        QTest::newRow("extension limits") << QByteArray(
            R"({"protocol":"x","messages":{},"benchtop":{"version":1,"properties":[{"name":"p","value_type":"double","getter":"g","limits":[1]}]}})")
                                          << "benchtop.properties[0]: \"limits\" must be [lower, "
                                             "upper] or null";
    }
    void malformed()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        QString message;
        const std::optional<RemoteProtocol> remote = readRemote(text, &message);
        QVERIFY(!remote);
        QVERIFY2(message.startsWith(error) || message.contains(error),
            qPrintable(QStringLiteral("got: ") + message));
    }

    void lenientWhereYaqIs()
    {
        // No request, no response, unknown keys, a string that looks like a number, a property
        // of a type Benchtop cannot show (left out, with a warning), a later extension version.
        const QByteArray text = R"({"protocol":"old","doc":"NaN","messages":{"home":{},
            "get_blob":{"response":"bytes","extra":1},"stop":{"request":null,"response":null}},
            "properties":{"blob":{"type":"bytes","getter":"get_blob"}},
            "benchtop":{"version":2,"properties":"whatever"}})";
        QString error;
        const std::optional<RemoteProtocol> remote = readRemote(text, &error);
        QVERIFY2(remote, qPrintable(error));
        QCOMPARE(remote->doc, QStringLiteral("NaN"));
        QVERIFY(remote->messages[QStringLiteral("home")].request.isEmpty());
        QCOMPARE(
            remote->messages[QStringLiteral("home")].response, QJsonValue(QStringLiteral("null")));
        QVERIFY(remote->messages[QStringLiteral("stop")].request.isEmpty());
        QCOMPARE(
            remote->messages[QStringLiteral("stop")].response, QJsonValue(QStringLiteral("null")));
        QVERIFY(remote->properties.isEmpty());
        QCOMPARE(remote->warnings.size(), 2);
        QVERIFY2(remote->warnings[0].contains(QStringLiteral("properties.blob")),
            qPrintable(remote->warnings[0]));
        QVERIFY2(remote->warnings[1].contains(QStringLiteral("version 2")),
            qPrintable(remote->warnings[1]));
    }
};

QTEST_GUILESS_MAIN(TestRemoteProtocol)
#include "tst_remoteprotocol.moc"
