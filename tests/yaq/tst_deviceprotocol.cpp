// SPDX-License-Identifier: MIT
// The yaq protocol document both ways: the message table against dispatch, the documents
// Benchtop writes for each trait (keys, message types, properties, config and state), their
// canonical text, reading them back, reading documents in the form yaq daemons write them
// (hand-written fixtures), and refusing malformed ones with a clear message.
#include "driverconfig.h"
#include "testdevices.h"
#include "testsupport.h"

#include <device/dispatch.h>
#include <device/messagetable.h>
#include <plugins/driverinfo.h>
#include <yaq/deviceprotocol.h>
#include <yaq/messages.h>
#include <yaq/remoteprotocol.h>

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

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(BENCHTOP_YAQ_FIXTURES) + QLatin1Char('/') + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", name);
    return file.readAll();
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

        // Round trip: what a Benchtop client reads back is what the device said.
        QString error;
        const std::optional<RemoteProtocol> remote
            = parseRemoteProtocol(canonicalText(document), &error);
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
        const std::optional<RemoteProtocol> yaqOnly = parseRemoteProtocol(plain, &error);
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
                "units_getter":null,"limits_getter":null,"options_getter":"get_turret_identifiers",
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
            QStringList{QStringLiteral("measurement_id")});
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
        const QJsonObject small{
            {QStringLiteral("b"), QJsonArray{1, 2.5, std::nan(""), -INFINITY, 1e300, 0.1}},
            {QStringLiteral("a"), QStringLiteral("x\"\n\\é\x01")},
            {QStringLiteral("c"), QJsonValue()}};
        QCOMPARE(canonicalText(small),
            QByteArray(
                "{\"a\":\"x\\\"\\n\\\\\xc3\xa9\\u0001\",\"b\":[1,2.5,NaN,-Infinity,1e+300,0.1],"
                "\"c\":null}"));

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

    // --- documents as yaq daemons write them (hand-written fixtures, tests/data/yaq) ---

    void yaqMotor()
    {
        QString error;
        const std::optional<RemoteProtocol> remote
            = parseRemoteProtocol(fixture("example-stage.avpr"), &error);
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
            = parseRemoteProtocol(fixture("example-power-meter.avpr"), &error);
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
            json(R"({"type":"enum","name":"mirror","symbols":["front","side"]})"), ndarrayType(),
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
            << "messages.m.response: must be an Avro type (a name, a list or an object), not a "
               "number";
        QTest::newRow("unknown type") << QByteArray(
            R"({"protocol":"x","messages":{"get_measured":{"response":{"type":"map","values":"ndarry"}}}})")
                                      << "messages.get_measured.response.values: unknown type "
                                         "\"ndarry\"";
        QTest::newRow("array without items")
            << QByteArray(R"({"protocol":"x","messages":{"m":{"response":{"type":"array"}}}})")
            << "messages.m.response: \"items\" is missing";
        QTest::newRow("empty union")
            << QByteArray(R"({"protocol":"x","messages":{"m":{"response":[]}}})")
            << "messages.m.response: a union must list at least one type";
        QByteArray deep = "\"int\"";
        for (int i = 0; i < 40; ++i)
            deep = "{\"type\":\"array\",\"items\":" + deep + "}";
        QTest::newRow("deep type")
            << QByteArray(R"({"protocol":"x","messages":{"m":{"response":)" + deep + "}}}")
            << "type nested more than 32 levels deep";
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
        const std::optional<RemoteProtocol> remote = parseRemoteProtocol(text, &message);
        QVERIFY(!remote);
        QVERIFY2(message.startsWith(error) || message.contains(error),
            qPrintable(QStringLiteral("got: ") + message));
    }

    void lenientWhereYaqIs()
    {
        // No request, no response, unknown keys, a string that looks like a number, a property
        // of a type Benchtop cannot show (left out, with a warning), a later extension version.
        const QByteArray text = R"({"protocol":"old","doc":"NaN","messages":{"home":{},
            "get_blob":{"response":"bytes","extra":1}},
            "properties":{"blob":{"type":"bytes","getter":"get_blob"}},
            "benchtop":{"version":2,"properties":"whatever"}})";
        QString error;
        const std::optional<RemoteProtocol> remote = parseRemoteProtocol(text, &error);
        QVERIFY2(remote, qPrintable(error));
        QCOMPARE(remote->doc, QStringLiteral("NaN"));
        QVERIFY(remote->messages[QStringLiteral("home")].request.isEmpty());
        QCOMPARE(
            remote->messages[QStringLiteral("home")].response, QJsonValue(QStringLiteral("null")));
        QVERIFY(remote->properties.isEmpty());
        QCOMPARE(remote->warnings.size(), 2);
        QVERIFY2(remote->warnings[0].contains(QStringLiteral("properties.blob")),
            qPrintable(remote->warnings[0]));
        QVERIFY2(remote->warnings[1].contains(QStringLiteral("version 2")),
            qPrintable(remote->warnings[1]));
    }
};

QTEST_GUILESS_MAIN(TestDeviceProtocol)
#include "tst_deviceprotocol.moc"
