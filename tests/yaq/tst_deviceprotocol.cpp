// SPDX-License-Identifier: MIT
// Writing the yaq protocol document of a Benchtop device: the message table against dispatch,
// the documents Benchtop writes for each trait (keys, message types, properties, config and
// state), their canonical text, and what a client reads back from them. Reading documents as
// yaq daemons write them, and malformed ones, is tst_remoteprotocol's.
#include "driverconfig.h"
#include "testdevices.h"
#include "testsupport.h"
#include "yaqtest.h"

#include <device/dispatch.h>
#include <device/messagetable.h>
#include <plugins/driverinfo.h>
#include <yaq/client/remoteprotocol.h>
#include <yaq/server/deviceprotocol.h>
#include <yaq/wire/messages.h>
#include <yaq/wire/protocoldocument.h>
#include <yaq/wire/pythonjson.h>

#include <simdigital.h>
#include <simfilterwheel.h>
#include <simmotor.h>
#include <simsensor.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::Yaq;
using Benchtop::Yaq::Test::readRemote;

namespace {

/// The message table's definition of `name`, or nullptr.
const MessageDefinition *tableDefinition(const QString &name)
{
    const TraitMessage *entry = traitMessage(name);
    return entry ? &entry->definition : nullptr;
}

/// Every trait at once, so that every message of dispatch.cpp's table is offered.
class Everything
    : public Device
    , public HasPosition
    , public HasLimits
    , public IsHomeable
    , public HasTurret
    , public IsSensor
    , public HasMeasureTrigger
    , public HasMapping
    , public IsDiscrete
    , public IsStoppable
    , public HasDigitalIo {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition Benchtop::HasLimits Benchtop::IsHomeable Benchtop::HasTurret
            Benchtop::IsSensor Benchtop::HasMeasureTrigger Benchtop::HasMapping Benchtop::IsDiscrete
                Benchtop::IsStoppable Benchtop::HasDigitalIo)
public:
    using Device::Device;
    QString units() const override { return QStringLiteral("nm"); }
    double position() const override { return 0; }
    double destination() const override { return 0; }
    void setPosition(double) override { }
    Limits limits() const override { return {0, 1000}; }
    OutOfLimits outOfLimits() const override { return OutOfLimits::Closest; }
    void home() override { }
    QStringList turretIdentifiers() const override
    {
        return {QStringLiteral("vis"), QStringLiteral("ir")};
    }
    QString turret() const override { return QStringLiteral("vis"); }
    void setTurret(const QString &) override { }
    QStringList channelNames() const override { return {QStringLiteral("counts")}; }
    QVariantMap channelUnits() const override { return {}; }
    QMap<QString, QList<int>> channelShapes() const override
    {
        return {{QStringLiteral("counts"), {512}}};
    }
    QVariantMap measured() const override { return {}; }
    int measurementId() const override { return 0; }
    int measure(bool) override { return 0; }
    void stopLooping() override { }
    std::chrono::milliseconds loopInterval() const override { return {}; }
    void setLoopInterval(std::chrono::milliseconds) override { }
    QMap<QString, QStringList> channelMappings() const override
    {
        return {{QStringLiteral("counts"), {QStringLiteral("wavelength")}}};
    }
    QVariantMap mappingUnits() const override { return {{QStringLiteral("wavelength"), "nm"}}; }
    QMap<QString, QList<double>> mappings() const override
    {
        return {{QStringLiteral("wavelength"), QList<double>(512, 1.0)}};
    }
    int mappingId() const override { return 0; }
    QMap<QString, double> positionIdentifiers() const override
    {
        return {{QStringLiteral("green"), 532.0}, {QStringLiteral("red"), 633.0}};
    }
    QString identifier() const override { return {}; }
    double setIdentifier(const QString &) override { return 0; }
    void stop() override { }
    QStringList inputNames() const override { return {QStringLiteral("shutter_open")}; }
    QStringList outputNames() const override { return {QStringLiteral("shutter")}; }
    bool input(const QString &) const override { return false; }
    bool output(const QString &) const override { return false; }
    void setOutput(const QString &, bool) override { }

protected:
    QList<PropertyInfo> extraProperties() const override
    {
        // A driver's own property, read by a driver's own message (not in the document).
        return {PropertyInfo{.name = QStringLiteral("lamp hours"),
            .type = ValueType::Int,
            .getter = QStringLiteral("get_lamp_hours"),
            .stateKey = QStringLiteral("lamp_hours"),
            .controlKind = ControlKind::Omitted,
            .dynamic = false}};
    }
};

/// A monochromator: has-position + is-homeable + has-turret, with a persistent turret.
class Monochromator
    : public Device
    , public HasPosition
    , public IsHomeable
    , public HasTurret {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition Benchtop::IsHomeable Benchtop::HasTurret)
public:
    explicit Monochromator(DeviceSettings settings)
        : Device(std::move(settings))
    {
        setValue(QStringLiteral("position"), 500.0);
        setValue(QStringLiteral("destination"), 500.0);
        setValue(QStringLiteral("turret"), QStringLiteral("1200"));
        setPersistentKeys(
            {QStringLiteral("position"), QStringLiteral("destination"), QStringLiteral("turret")});
    }
    QString units() const override { return QStringLiteral("nm"); }
    double position() const override
    {
        return values().value(QStringLiteral("position")).toDouble();
    }
    double destination() const override
    {
        return values().value(QStringLiteral("destination")).toDouble();
    }
    void setPosition(double target) override { setValue(QStringLiteral("destination"), target); }
    void home() override { }
    QStringList turretIdentifiers() const override
    {
        return {QStringLiteral("1200"), QStringLiteral("600")};
    }
    QString turret() const override { return values().value(QStringLiteral("turret")).toString(); }
    void setTurret(const QString &identifier) override
    {
        setValue(QStringLiteral("turret"), identifier);
    }
};

using Factory = std::function<std::shared_ptr<Device>()>;

template<typename D>
std::shared_ptr<Device> make(const QString &kind, const QVariantMap &config = {})
{
    return std::shared_ptr<Device>(
        new D(DeviceSettings{QStringLiteral("dut"), kind, config}), StopAndDelete{});
}

const QJsonObject &simMetadata()
{
    static const QJsonObject object = pluginMetadata(QStringLiteral(BENCHTOP_SIM_METADATA_JSON));
    return object;
}

template<typename D>
std::shared_ptr<Device> makeSim(const QString &kind)
{
    return make<D>(kind, driverConfig(simMetadata(), kind));
}

const DriverInfo &simDriver(const QString &kind)
{
    static const PluginInfo info = [] {
        QString error;
        std::optional<PluginInfo> parsed = parsePluginMetadata(simMetadata(), &error);
        if (!parsed)
            qFatal("sim.json: %s", qPrintable(error));
        return *parsed;
    }();
    for (const DriverInfo &driver : info.drivers) {
        if (driver.kind == kind)
            return driver;
    }
    qFatal("sim.json has no %s", qPrintable(kind));
}

QJsonObject propertyOf(const QJsonObject &document, const char *name)
{
    return document.value(QLatin1String("properties"))
        .toObject()
        .value(QLatin1String(name))
        .toObject();
}

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

QStringList keysOf(const QJsonValue &object)
{
    return object.toObject().keys();
}

} // namespace

Q_DECLARE_METATYPE(Factory)

class TestDeviceProtocol : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    // --- the message table ---

    void everyDispatchedMessageHasASchema()
    {
        auto device = make<Everything>(QStringLiteral("everything"));
        const QStringList dispatched = messagesOf(*device);
        QStringList fromTable;
        for (const TraitMessage &entry : traitMessages()) {
            if (entry.definition.answerer == Answerer::Device)
                fromTable << entry.definition.name;
        }
        QCOMPARE(fromTable, dispatched); // both sorted: none missing, none stale
        QCOMPARE(serverMessages(),
            QStringList({QStringLiteral("get_traits"), QStringLiteral("get_version"),
                QStringLiteral("shutdown")}));
        for (const QString &name : dispatched) {
            const MessageDefinition *schema = tableDefinition(name);
            QVERIFY2(schema, qPrintable(name));
            QVERIFY2(knownTraits().contains(schema->trait), qPrintable(name));
            QVERIFY2(!schema->doc.isEmpty(), qPrintable(name));
        }
        QVERIFY(!tableDefinition(QStringLiteral("no_such_message")));
    }

    void schemasFollowYaq_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("request"); // JSON
        QTest::addColumn<QString>("response");
        QTest::newRow("id") << "id"
                            << "[]"
                            << R"({"type":"map","values":["null","string"]})";
        QTest::newRow("busy") << "busy"
                              << "[]"
                              << R"("boolean")";
        QTest::newRow("get_config") << "get_config"
                                    << "[]"
                                    << R"("string")";
        QTest::newRow("get_state") << "get_state"
                                   << "[]"
                                   << R"("string")";
        QTest::newRow("shutdown") << "shutdown"
                                  << R"([{"name":"restart","type":"boolean","default":false}])"
                                  << R"("null")";
        QTest::newRow("get_units") << "get_units"
                                   << "[]"
                                   << R"(["null","string"])";
        QTest::newRow("set_position") << "set_position"
                                      << R"([{"name":"position","type":"double"}])"
                                      << R"("null")";
        QTest::newRow("set_relative") << "set_relative"
                                      << R"([{"name":"distance","type":"double"}])"
                                      << R"("double")";
        QTest::newRow("get_limits") << "get_limits"
                                    << "[]"
                                    << R"({"type":"array","items":"double"})";
        QTest::newRow("in_limits") << "in_limits"
                                   << R"([{"name":"position","type":"double"}])"
                                   << R"("boolean")";
        QTest::newRow("home") << "home"
                              << "[]"
                              << R"("null")";
        QTest::newRow("get_measured") << "get_measured"
                                      << "[]"
                                      << R"({"type":"map","values":["double","ndarray","int"]})";
        QTest::newRow("get_channel_shapes")
            << "get_channel_shapes"
            << "[]"
            << R"({"type":"map","values":{"type":"array","items":"int"}})";
        QTest::newRow("get_channel_units") << "get_channel_units"
                                           << "[]"
                                           << R"({"type":"map","values":["null","string"]})";
        QTest::newRow("measure") << "measure"
                                 << R"([{"name":"loop","type":"boolean","default":false}])"
                                 << R"("int")";
        QTest::newRow("get_position_identifiers") << "get_position_identifiers"
                                                  << "[]"
                                                  << R"({"type":"map","values":"double"})";
        QTest::newRow("get_identifier") << "get_identifier"
                                        << "[]"
                                        << R"(["null","string"])";
        QTest::newRow("set_identifier") << "set_identifier"
                                        << R"([{"name":"identifier","type":"string"}])"
                                        << R"("double")";
        QTest::newRow("set_turret") << "set_turret"
                                    << R"([{"name":"identifier","type":"string"}])"
                                    << R"("null")";
        QTest::newRow("stop") << "stop"
                              << "[]"
                              << R"("null")";
        QTest::newRow("set_output")
            << "set_output"
            << R"([{"name":"line","type":"string"},{"name":"on","type":"boolean"}])"
            << R"("null")";
        QTest::newRow("get_input") << "get_input"
                                   << R"([{"name":"line","type":"string"}])"
                                   << R"("boolean")";
    }
    void schemasFollowYaq()
    {
        QFETCH(QString, message);
        QFETCH(QString, request);
        QFETCH(QString, response);
        const MessageDefinition *schema = tableDefinition(message);
        QVERIFY(schema);
        const QJsonObject object = schema->toJson();
        QCOMPARE(object.value(QLatin1String("request")), json(request.toUtf8().constData()));
        QCOMPARE(object.value(QLatin1String("response")), json(response.toUtf8().constData()));
        QCOMPARE(object.value(QLatin1String("origin")).toString(), schema->trait);
    }

    // A driver's own messages are declared, so the document lists them as yaq would.
    void ownMessagesAreListedAsDeclared()
    {
        const std::shared_ptr<Device> device
            = makeSim<Sim::SimDigital>(QStringLiteral("sim-digital"));
        const QJsonObject messages
            = deviceProtocol(*device).value(QLatin1String("messages")).toObject();
        QCOMPARE(messages.value(QLatin1String("click")).toObject().value(QLatin1String("request")),
            json(R"([{"name":"line","type":"string"},
                     {"name":"held_ms","type":"double","default":100}])"));
        QCOMPARE(messages.value(QLatin1String("click")).toObject().value(QLatin1String("origin")),
            QJsonValue(QStringLiteral("sim-digital")));
        for (const char *name : {"press", "release", "flash", "stop_flash"})
            QVERIFY2(messages.contains(QLatin1String(name)), name);
    }

    void ndarrayIsYaqs()
    {
        QCOMPARE(QJsonValue(ndarrayType()),
            json(R"({"type":"record","name":"ndarray","logicalType":"ndarray","fields":[
                {"name":"shape","type":{"type":"array","items":"int"}},
                {"name":"typestr","type":"string"},{"name":"data","type":"bytes"},
                {"name":"version","type":"int"}]})"));
        QVERIFY(
            tableDefinition(QStringLiteral("get_config"))->encoding == ResponseEncoding::TomlText);
        QVERIFY(
            tableDefinition(QStringLiteral("get_state"))->encoding == ResponseEncoding::TomlText);
        QVERIFY(tableDefinition(QStringLiteral("id"))->encoding == ResponseEncoding::AsIs);
    }

    // --- documents of devices ---

    void documents_data()
    {
        QTest::addColumn<Factory>("factory");
        QTest::newRow("stage") << Factory([] {
            return make<TestStage>(QStringLiteral("test-stage"),
                {{QStringLiteral("limits"), QVariantList{0.0, 10.0}},
                    {QStringLiteral("out_of_limits"), QStringLiteral("error")}});
        });
        QTest::newRow("sensor") << Factory(
            [] { return make<TestSensor>(QStringLiteral("test-sensor")); });
        QTest::newRow("panel") << Factory(
            [] { return make<TestPanel>(QStringLiteral("test-panel")); });
        QTest::newRow("monochromator")
            << Factory([] { return make<Monochromator>(QStringLiteral("test-monochromator")); });
        QTest::newRow("everything")
            << Factory([] { return make<Everything>(QStringLiteral("everything")); });
        QTest::newRow("sim-motor")
            << Factory([] { return makeSim<Sim::SimMotor>(QStringLiteral("sim-motor")); });
        QTest::newRow("sim-sensor")
            << Factory([] { return makeSim<Sim::SimSensor>(QStringLiteral("sim-sensor")); });
        QTest::newRow("sim-filter-wheel") << Factory(
            [] { return makeSim<Sim::SimFilterWheel>(QStringLiteral("sim-filter-wheel")); });
    }
    void documents()
    {
        QFETCH(Factory, factory);
        const std::shared_ptr<Device> device = factory();
        const QJsonObject document = deviceProtocol(*device);

        for (const char *key : {"protocol", "doc", "traits", "types", "messages", "config", "state",
                 "properties", "benchtop"})
            QVERIFY2(document.contains(QLatin1String(key)), key);
        QCOMPARE(document.value(QLatin1String("protocol")).toString(), device->kind());
        QVERIFY(!document.value(QLatin1String("doc")).toString().isEmpty());
        QCOMPARE(document.value(QLatin1String("traits")).toArray().toVariantList(),
            QVariant(device->traits()).toList());
        QCOMPARE(document.value(QLatin1String("types")).toArray(), namedTypes());

        // Exactly what the device answers, and what the server answers for it.
        QStringList expected = messagesOf(*device) + serverMessages();
        expected.sort();
        const QJsonObject messages = document.value(QLatin1String("messages")).toObject();
        QCOMPARE(messages.keys(), expected);
        for (auto it = messages.begin(); it != messages.end(); ++it) {
            const QJsonObject message = it.value().toObject();
            QVERIFY2(message.value(QLatin1String("request")).isArray(), qPrintable(it.key()));
            QVERIFY2(!message.value(QLatin1String("response")).isUndefined(), qPrintable(it.key()));
            QVERIFY2(message.value(QLatin1String("doc")).isString(), qPrintable(it.key()));
            QVERIFY2(device->traits().contains(message.value(QLatin1String("origin")).toString()),
                qPrintable(it.key()));
        }

        // yaqc reads every key of a property, so every key is there.
        const QJsonObject properties = document.value(QLatin1String("properties")).toObject();
        for (auto it = properties.begin(); it != properties.end(); ++it) {
            const QJsonObject property = it.value().toObject();
            QCOMPARE(property.keys(),
                QStringList({QStringLiteral("control_kind"), QStringLiteral("dynamic"),
                    QStringLiteral("getter"), QStringLiteral("limits_getter"),
                    QStringLiteral("options_getter"), QStringLiteral("record_kind"),
                    QStringLiteral("setter"), QStringLiteral("type"),
                    QStringLiteral("units_getter")}));
            for (const char *getter :
                {"getter", "setter", "units_getter", "limits_getter", "options_getter"}) {
                const QJsonValue name = property.value(QLatin1String(getter));
                QVERIFY2(name.isNull() || messages.contains(name.toString()),
                    qPrintable(it.key() + QLatin1Char(' ') + QLatin1String(getter)));
            }
        }

        const QJsonObject config = document.value(QLatin1String("config")).toObject();
        QCOMPARE(config.keys(), device->config().keys());
        const QJsonObject state = document.value(QLatin1String("state")).toObject();
        QStringList persistent = device->persistentKeys();
        persistent.sort();
        QCOMPARE(state.keys(), persistent);

        // Round trip: what a Benchtop client reads back is what the device said. The server
        // serves the document it built, as its canonical text.
        const ProtocolDocument served(document);
        QCOMPARE(served.text(), canonicalText(document));
        QCOMPARE(served.json(), document);
        QString error;
        const std::optional<RemoteProtocol> remote = readRemote(served.text(), &error);
        QVERIFY2(remote, qPrintable(error));
        QCOMPARE(remote->kind, device->kind());
        QCOMPARE(remote->traits, device->traits());
        QCOMPARE(remote->messages.keys(), expected);
        QVERIFY(remote->warnings.isEmpty());
        for (const QString &name : expected) {
            const MessageDefinition *schema = tableDefinition(name);
            const MessageDefinition &message = remote->messages[name];
            QCOMPARE(message.response, schema->response);
            QCOMPARE(message.trait, schema->trait);
            QCOMPARE(message.request.size(), schema->request.size());
            for (qsizetype i = 0; i < message.request.size(); ++i) {
                QCOMPARE(message.request[i].name, schema->request[i].name);
                QCOMPARE(message.request[i].type, schema->request[i].type);
                QCOMPARE(message.request[i].defaultValue, schema->request[i].defaultValue);
            }
        }
        const QList<PropertyInfo> original = device->properties();
        const QList<PropertyInfo> back = remote->propertyInfos();
        QCOMPARE(back.size(), original.size());
        for (qsizetype i = 0; i < back.size(); ++i) {
            const PropertyInfo &a = original[i];
            const PropertyInfo &b = back[i];
            QCOMPARE(b.name, a.name);
            QCOMPARE(toString(b.type), toString(a.type));
            QCOMPARE(b.getter, a.getter);
            QCOMPARE(b.setter, a.setter);
            QCOMPARE(b.argument, a.argument);
            QCOMPARE(b.stateKey, a.stateKey);
            QCOMPARE(b.units, a.units);
            QCOMPARE(b.limits.has_value(), a.limits.has_value());
            if (a.limits)
                QCOMPARE(*b.limits, *a.limits);
            QCOMPARE(b.options, a.options);
            QCOMPARE(toString(b.controlKind), toString(a.controlKind));
            QCOMPARE(b.dynamic, a.dynamic);
        }

        // And a client that ignores Benchtop's extension still gets the yaq properties.
        QJsonObject plain = document;
        plain.remove(QLatin1String(kExtensionKey));
        const std::optional<RemoteProtocol> yaqOnly = readRemote(canonicalText(plain), &error);
        QVERIFY2(yaqOnly, qPrintable(error));
        QCOMPARE(yaqOnly->properties.size(), properties.size());
    }

    void positionProperties()
    {
        auto device = make<TestStage>(
            QStringLiteral("test-stage"), {{QStringLiteral("limits"), QVariantList{0.0, 10.0}}});
        const QJsonObject document = deviceProtocol(*device);
        QCOMPARE(QJsonValue(propertyOf(document, "destination")),
            json(R"({"type":"double","getter":"get_destination","setter":"set_position",
                "units_getter":"get_units","limits_getter":"get_limits","options_getter":null,
                "dynamic":true,"control_kind":"hinted","record_kind":"data"})"));
        QCOMPARE(propertyOf(document, "position").value(QLatin1String("setter")), QJsonValue());
        QCOMPARE(propertyOf(document, "position").value(QLatin1String("limits_getter")).toString(),
            QStringLiteral("get_limits"));

        // Without has-limits there is no limits getter.
        auto mono = make<Monochromator>(QStringLiteral("test-monochromator"));
        const QJsonObject monoDocument = deviceProtocol(*mono);
        QCOMPARE(propertyOf(monoDocument, "position").value(QLatin1String("limits_getter")),
            QJsonValue());
        QCOMPARE(QJsonValue(propertyOf(monoDocument, "turret")),
            json(R"({"type":"string","getter":"get_turret","setter":"set_turret",
                "units_getter":null,"limits_getter":null,"options_getter":"get_turret_options",
                "dynamic":true,"control_kind":"hinted","record_kind":"data"})"));
    }

    void discreteSensorAndIoProperties()
    {
        auto wheel = makeSim<Sim::SimFilterWheel>(QStringLiteral("sim-filter-wheel"));
        const QJsonObject wheelDocument = deviceProtocol(*wheel);
        const QJsonObject identifier = propertyOf(wheelDocument, "position_identifier");
        QCOMPARE(identifier.value(QLatin1String("type")), json(R"(["null","string"])"));
        QCOMPARE(
            identifier.value(QLatin1String("getter")).toString(), QStringLiteral("get_identifier"));
        QCOMPARE(
            identifier.value(QLatin1String("setter")).toString(), QStringLiteral("set_identifier"));
        QCOMPARE(identifier.value(QLatin1String("options_getter")).toString(),
            QStringLiteral("get_position_identifiers"));

        // A channel's value is inside get_measured's answer, and a line needs an argument: yaq
        // clients could not read them as properties; the extension carries them.
        auto sensor = make<TestSensor>(QStringLiteral("test-sensor"));
        const QJsonObject sensorDocument = deviceProtocol(*sensor);
        QCOMPARE(keysOf(sensorDocument.value(QLatin1String("properties"))),
            (QStringList{QStringLiteral("loop_interval"), QStringLiteral("measurement_id")}));
        QCOMPARE(propertyOf(sensorDocument, "loop_interval").value(QLatin1String("setter")),
            json(R"("set_loop_interval")"));
        QCOMPARE(propertyOf(sensorDocument, "measurement_id").value(QLatin1String("type")),
            json(R"("int")"));
        QCOMPARE(propertyOf(sensorDocument, "measurement_id").value(QLatin1String("record_kind")),
            json(R"("metadata")"));
        const QJsonArray sensorExtension = sensorDocument.value(QLatin1String("benchtop"))
                                               .toObject()
                                               .value(QLatin1String("properties"))
                                               .toArray();
        QCOMPARE(sensorExtension.at(0).toObject().value(QLatin1String("state_key")).toString(),
            QStringLiteral("measured/value"));
        QCOMPARE(sensorExtension.at(0).toObject().value(QLatin1String("units")).toString(),
            QStringLiteral("V"));

        auto panel = make<TestPanel>(QStringLiteral("test-panel"));
        const QJsonObject panelDocument = deviceProtocol(*panel);
        QVERIFY(panelDocument.value(QLatin1String("properties")).toObject().isEmpty());
        const QJsonObject led = panelDocument.value(QLatin1String("benchtop"))
                                    .toObject()
                                    .value(QLatin1String("properties"))
                                    .toArray()
                                    .at(0)
                                    .toObject();
        QCOMPARE(led.value(QLatin1String("name")).toString(), QStringLiteral("led"));
        QCOMPARE(led.value(QLatin1String("argument")).toString(), QStringLiteral("led"));
        QCOMPARE(led.value(QLatin1String("setter")).toString(), QStringLiteral("set_output"));

        // A driver's own property whose getter is not in the document is not a yaq property.
        auto everything = make<Everything>(QStringLiteral("everything"));
        const QJsonObject everythingDocument = deviceProtocol(*everything);
        QVERIFY(!everythingDocument.value(QLatin1String("properties"))
                     .toObject()
                     .contains(QStringLiteral("lamp hours")));
    }

    void configAndState()
    {
        // With the driver's schema: its types, help and limits; out_of_limits as yaq's enum.
        auto motor = makeSim<Sim::SimMotor>(QStringLiteral("sim-motor"));
        const QJsonObject document
            = deviceProtocol(*motor, &simDriver(QStringLiteral("sim-motor")));
        QCOMPARE(document.value(QLatin1String("doc")).toString(),
            simDriver(QStringLiteral("sim-motor")).description);
        const QJsonObject config = document.value(QLatin1String("config")).toObject();
        const QJsonObject policy = config.value(QLatin1String("out_of_limits")).toObject();
        QCOMPARE(policy.value(QLatin1String("type")),
            json(
                R"({"type":"enum","name":"out_of_limits","symbols":["closest","ignore","error"]})"));
        QCOMPARE(policy.value(QLatin1String("default")).toString(), QStringLiteral("closest"));
        QCOMPARE(policy.value(QLatin1String("origin")).toString(), QStringLiteral("has-limits"));
        const QJsonObject limits = config.value(QLatin1String("limits")).toObject();
        QCOMPARE(limits.value(QLatin1String("type")), json(R"({"type":"array","items":"double"})"));
        QCOMPARE(limits.value(QLatin1String("default")), json("[-100, 100]"));
        QCOMPARE(limits.value(QLatin1String("benchtop")).toObject().value(QLatin1String("range")),
            QJsonValue(true));
        const QJsonObject speed = config.value(QLatin1String("speed")).toObject();
        QCOMPARE(speed.value(QLatin1String("type")).toString(), QStringLiteral("double"));
        QCOMPARE(speed.value(QLatin1String("default")).toDouble(), 10.0);
        QVERIFY(!speed.value(QLatin1String("doc")).toString().isEmpty());
        QCOMPARE(
            config.value(QLatin1String("seed")).toObject().value(QLatin1String("type")).toString(),
            QStringLiteral("int"));

        // Without it: types from the values.
        const QJsonObject inferred
            = deviceProtocol(*motor).value(QLatin1String("config")).toObject();
        QCOMPARE(
            inferred.value(QLatin1String("out_of_limits")).toObject().value(QLatin1String("type")),
            json(R"("string")"));
        QCOMPARE(inferred.value(QLatin1String("limits")).toObject().value(QLatin1String("type")),
            json(R"({"type":"array","items":"double"})"));
        QCOMPARE(
            inferred.value(QLatin1String("stuck_busy")).toObject().value(QLatin1String("type")),
            json(R"("boolean")"));

        // State: the traits' keys as yaq defines them.
        const QJsonObject state = document.value(QLatin1String("state")).toObject();
        const QJsonObject position = state.value(QLatin1String("position")).toObject();
        QCOMPARE(position.value(QLatin1String("type")).toString(), QStringLiteral("double"));
        QVERIFY(std::isnan(position.value(QLatin1String("default")).toDouble()));
        QCOMPARE(
            position.value(QLatin1String("origin")).toString(), QStringLiteral("has-position"));
        auto mono = make<Monochromator>(QStringLiteral("test-monochromator"));
        const QJsonObject turret = deviceProtocol(*mono)
                                       .value(QLatin1String("state"))
                                       .toObject()
                                       .value(QLatin1String("turret"))
                                       .toObject();
        QCOMPARE(turret.value(QLatin1String("type")), json(R"(["null","string"])"));
        QCOMPARE(turret.value(QLatin1String("default")), QJsonValue());
    }

    // --- canonical text ---

    void canonicalTextIsStable()
    {
        auto first = makeSim<Sim::SimMotor>(QStringLiteral("sim-motor"));
        auto second = makeSim<Sim::SimMotor>(QStringLiteral("sim-motor"));
        const DriverInfo &driver = simDriver(QStringLiteral("sim-motor"));
        const QByteArray text = canonicalText(deviceProtocol(*first, &driver));
        QCOMPARE(canonicalText(deviceProtocol(*second, &driver)), text);
        QCOMPARE(canonicalText(deviceProtocol(*first, &driver)), text);
        QCOMPARE(protocolHash(text).size(), 16);
        QCOMPARE(protocolHash(text), protocolHash(canonicalText(deviceProtocol(*second, &driver))));
        QVERIFY(text.startsWith("{\"benchtop\":{"));
        QVERIFY(!text.contains('\n'));
        QVERIFY(text.contains("\"default\":NaN"));

        // It reads back to the same document, and writes the same text again.
        QString error;
        const std::optional<QJsonObject> back = parseProtocolJson(text, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(canonicalText(*back), text);
    }
};

QTEST_GUILESS_MAIN(TestDeviceProtocol)
#include "tst_deviceprotocol.moc"
