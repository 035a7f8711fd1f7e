// SPDX-License-Identifier: MIT
// The modbus-tcp driver against a real Modbus TCP server (pymodbus, tests/peers/modbus_server.py):
// every register type and word order with scaling, the setpoint written and read back, limits,
// coils and discrete inputs, exception responses, a refused connection, a server killed and
// restarted, a server that stops answering, bad configs, and the plugin itself.
#include "driverconfig.h"
#include "modbuspeer.h"
#include "testsupport.h"

#include <modbuscreate.h>
#include <modbusdevice.h>
#include <modbussettings.h>

#include <device/awaitables.h>
#include <device/device.h>
#include <device/deviceerror.h>
#include <device/devicesettings.h>
#include <device/dispatch.h>
#include <device/traits.h>
#include <lab/labcheck.h>
#include <lab/labfile.h>
#include <plugins/driverfactory.h>
#include <plugins/driverinfo.h>
#include <plugins/pluginregistry.h>

#include <QFile>
#include <QJsonObject>
#include <QPluginLoader>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <cmath>
#include <functional>
#include <memory>

using namespace Benchtop;

namespace {

constexpr int kLinkLimitMs = 10'000; // generous: a busy machine, a Python peer

const QJsonObject &metadata()
{
    static const QJsonObject object
        = Test::pluginMetadata(QStringLiteral(BENCHTOP_MODBUS_METADATA_JSON));
    return object;
}

/// Every key of the schema at its default, then `overrides` (each must be a schema key).
DeviceSettings settings(const QVariantMap &overrides, const QString &name = QStringLiteral("dut"))
{
    const QString kind = QStringLiteral("modbus-tcp");
    return {name, kind, Test::driverConfig(metadata(), kind, overrides)};
}

/// An inline table of the register map: { table, address, type } and any further keys.
QVariantMap reg(const char *table, int address, const char *type, const QVariantMap &more = {})
{
    QVariantMap spec = more;
    spec.insert(QStringLiteral("table"), QLatin1String(table));
    spec.insert(QStringLiteral("address"), qlonglong(address));
    spec.insert(QStringLiteral("type"), QLatin1String(type));
    return spec;
}

using DevicePtr = Test::DevicePtr<Device>;

QString errorOf(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const DeviceError &e) {
        return e.message();
    }
    return {};
}

QVariantMap measuredOf(const Device &device)
{
    return device.values().value(QStringLiteral("measured")).toMap();
}

bool waitForLink(const Device &device, LinkState state)
{
    return QTest::qWaitFor([&] { return device.link() == state; }, kLinkLimitMs);
}

/// measureOnce run to its end: the measurement that measure() started (not a later poll's).
/// A failure fails the test (a warning with its message) and gives an empty map.
QVariantMap measureNow(Device &device)
{
    try {
        return Test::waitFor(measureOnce(device));
    } catch (const std::exception &e) {
        qWarning("measure failed: %s", e.what());
        return {};
    }
}

/// Records the warnings that match `pattern` and keeps them from QTest (which fails a test on
/// any warning); every other message goes on to QTest as before.
class ExpectedWarnings {
public:
    explicit ExpectedWarnings(const QString &pattern)
        : m_pattern(pattern)
    {
        s_current = this;
        m_previous = qInstallMessageHandler(&ExpectedWarnings::handle);
    }
    ~ExpectedWarnings()
    {
        qInstallMessageHandler(m_previous);
        s_current = nullptr;
    }
    ExpectedWarnings(const ExpectedWarnings &) = delete;
    ExpectedWarnings &operator=(const ExpectedWarnings &) = delete;

    const QStringList &seen() const { return m_seen; }
    int count(const QString &part) const
    {
        int n = 0;
        for (const QString &line : m_seen)
            n += line.contains(part) ? 1 : 0;
        return n;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        ExpectedWarnings *self = s_current;
        if (type == QtWarningMsg && self->m_pattern.match(message).hasMatch()) {
            self->m_seen << message;
            return;
        }
        self->m_previous(type, context, message);
    }

    static inline ExpectedWarnings *s_current = nullptr;
    QRegularExpression m_pattern;
    QtMessageHandler m_previous = nullptr;
    QStringList m_seen;
};

/// A loopback port with nothing listening on it.
quint16 unusedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

} // namespace

class TestModbusDevice : public QObject {
    Q_OBJECT

    Test::ModbusPeer m_peer; // shared by the tests that do not stop it

    /// Settings for a device on the shared server, fast enough for tests.
    QVariantMap onPeer(quint16 port, const QVariantMap &more = {}) const
    {
        QVariantMap overrides{{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
            {QStringLiteral("tcp_port"), qlonglong(port)},
            {QStringLiteral("poll_ms"), qlonglong(50)},
            {QStringLiteral("reconnect_min_ms"), qlonglong(50)},
            {QStringLiteral("reconnect_max_ms"), qlonglong(200)},
            {QStringLiteral("connect_timeout_ms"), qlonglong(2000)}};
        overrides.insert(more);
        return overrides;
    }
    QVariantMap onPeer(const QVariantMap &more = {}) const { return onPeer(m_peer.port(), more); }

    static DevicePtr startDevice(const QVariantMap &overrides)
    {
        DevicePtr device(Modbus::createModbusDevice(settings(overrides)));
        device->start();
        return device;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_peer.start(), m_peer.output().constData()); }
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void metadataParses()
    {
        QString error;
        const std::optional<PluginInfo> info = parsePluginMetadata(metadata(), &error);
        QVERIFY2(info, qPrintable(error));
        QCOMPARE(info->name, QStringLiteral("modbus"));
        QCOMPARE(info->abi, kPluginAbi);
        QCOMPARE(info->drivers.size(), 1);
        const DriverInfo &driver = info->drivers.first();
        QCOMPARE(driver.kind, QStringLiteral("modbus-tcp"));
        QCOMPARE(driver.traits,
            QStringList({QStringLiteral("is-daemon"), QStringLiteral("is-sensor"),
                QStringLiteral("has-measure-trigger"), QStringLiteral("has-digital-io")}));
        for (const ConfigField &field : driver.config) {
            QVERIFY2(!field.help.isEmpty(), qPrintable(field.name));
            QCOMPARE(field.required(), field.name == QLatin1String("host"));
        }
        QCOMPARE(driver.field(QStringLiteral("limits"))->defaultValue, QVariant(QVariantList()));
        QCOMPARE(
            toString(driver.field(QStringLiteral("channels"))->type), toString(ValueType::Map));
        QCOMPARE(
            toString(driver.field(QStringLiteral("inputs"))->type), toString(ValueType::DoubleMap));
    }

    void pluginLoadsThroughTheRegistry()
    {
        QPluginLoader loader(QStringLiteral(BENCHTOP_MODBUS_PLUGIN_FILE));
        QCOMPARE(loader.metaData().value(QLatin1String("MetaData")).toObject(), metadata());
        auto *factory = qobject_cast<DriverFactory *>(loader.instance());
        QVERIFY2(factory, qPrintable(loader.errorString()));
        const QString wrongKind = errorOf([&] {
            delete factory->create({QStringLiteral("x"), QStringLiteral("modbus-rtu"), {}});
        });
        QVERIFY2(wrongKind.contains(QStringLiteral("no driver kind \"modbus-rtu\"")),
            qPrintable(wrongKind));

        PluginRegistry registry;
        QVERIFY(registry.addFile(QStringLiteral(BENCHTOP_MODBUS_PLUGIN_FILE)));
        QVERIFY(registry.kinds().contains(QStringLiteral("modbus-tcp")));
        // The registry checks the declared traits; the plugin's own copy of the code runs here.
        DevicePtr plc(registry
                          .create(settings(
                              onPeer({{QStringLiteral("setpoint"), reg("holding", 30, "int16")}}),
                              QStringLiteral("plc")))
                          .release());
        QVERIFY(plc->traits().contains(QStringLiteral("has-position")));
        plc->start();
        QVERIFY(waitForLink(*plc, LinkState::Connected));
        QCOMPARE(invoke(*plc, QStringLiteral("get_position")).toDouble(),
            invoke(*plc, QStringLiteral("get_destination")).toDouble());

        const QString bad = errorOf([&] {
            registry.create(settings({{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                                         {QStringLiteral("unit"), qlonglong(300)}},
                QStringLiteral("plc2")));
        });
        QVERIFY2(bad.contains(QStringLiteral("device \"plc2\": key \"unit\"")), qPrintable(bad));
        // The plugin's own check, as the lab checker runs it.
        const QList<ConfigProblem> problems
            = registry.checkConfig(settings({{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                                                {QStringLiteral("unit"), qlonglong(300)}},
                QStringLiteral("plc2")));
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().key, QStringLiteral("unit"));
    }

    void idAndTraits()
    {
        DevicePtr plain(Modbus::createModbusDevice(settings(onPeer())));
        QCOMPARE(plain->traits(),
            QStringList({QStringLiteral("is-daemon"), QStringLiteral("is-sensor"),
                QStringLiteral("has-measure-trigger"), QStringLiteral("is-stoppable"),
                QStringLiteral("has-digital-io")}));
        const QVariantMap id = plain->id();
        QCOMPARE(id.value(QStringLiteral("make")).toString(), QStringLiteral("Modbus"));
        QCOMPARE(id.value(QStringLiteral("model")).toString(), QStringLiteral("modbus-tcp"));
        QCOMPARE(id.value(QStringLiteral("serial")).toString(),
            QStringLiteral("127.0.0.1:%1/1").arg(m_peer.port()));

        DevicePtr withSetpoint(Modbus::createModbusDevice(
            settings(onPeer({{QStringLiteral("setpoint"), reg("holding", 40, "float32")}}))));
        QVERIFY(withSetpoint->traits().contains(QStringLiteral("has-position")));
        QVERIFY(withSetpoint->traits().contains(QStringLiteral("has-limits")));
        // Not started: not connected, and calls say so.
        QCOMPARE(toString(withSetpoint->link()), QStringLiteral("connecting"));
        QVERIFY(!errorOf([&] {
            invoke(*withSetpoint, QStringLiteral("set_position"), {1.0});
        }).isEmpty());
    }

    void readsEveryTypeAndWordOrder()
    {
        const QVariantMap channels{
            {QStringLiteral("ir0_scaled"),
                reg("input", 0, "uint16",
                    {{QStringLiteral("scale"), 0.1},
                        {QStringLiteral("units"), QStringLiteral("°C")}})},
            {QStringLiteral("ir1_uint16"), reg("input", 1, "uint16")},
            {QStringLiteral("ir1_int16"), reg("input", 1, "int16")},
            {QStringLiteral("ir2_float"), reg("input", 2, "float32")},
            {QStringLiteral("hr0_offset"),
                reg("holding", 0, "uint16",
                    {{QStringLiteral("scale"), 2}, {QStringLiteral("offset"), -1000}})},
            {QStringLiteral("hr2"), reg("holding", 2, "uint16")},
            {QStringLiteral("hr10_big"), reg("holding", 10, "float32")},
            {QStringLiteral("hr12_little"),
                reg("holding", 12, "float32",
                    {{QStringLiteral("word_order"), QStringLiteral("little")}})},
            {QStringLiteral("hr10_as_little"),
                reg("holding", 10, "float32",
                    {{QStringLiteral("word_order"), QStringLiteral("little")}})},
            {QStringLiteral("hr20_int16"), reg("holding", 20, "int16")},
            {QStringLiteral("hr21_int32"), reg("holding", 21, "int32")},
            {QStringLiteral("hr23_uint32"), reg("holding", 23, "uint32")},
        };
        DevicePtr device = startDevice(onPeer(
            {{QStringLiteral("poll_ms"), qlonglong(0)}, {QStringLiteral("channels"), channels}}));
        QVERIFY(waitForLink(*device, LinkState::Connected));
        // Read once before the link counted as connected: measurement 0.
        QCOMPARE(measuredOf(*device).value(QStringLiteral("measurement_id")).toInt(), 0);

        const int id = invoke(*device, QStringLiteral("measure"), {false}).toInt();
        QCOMPARE(id, 1);
        QVERIFY(device->busy());
        QTRY_VERIFY_WITH_TIMEOUT(!device->busy(), kLinkLimitMs);
        const QVariantMap m = measuredOf(*device);
        QCOMPARE(m.value(QStringLiteral("measurement_id")).toInt(), 1);
        QCOMPARE(invoke(*device, QStringLiteral("get_measurement_id")).toInt(), 1);
        QCOMPARE(m.value(QStringLiteral("ir0_scaled")).toDouble(), 25.0);
        QCOMPARE(m.value(QStringLiteral("ir1_uint16")).toDouble(), 65535.0);
        QCOMPARE(m.value(QStringLiteral("ir1_int16")).toDouble(), -1.0);
        QCOMPARE(m.value(QStringLiteral("ir2_float")).toDouble(), 3.25);
        QCOMPARE(m.value(QStringLiteral("hr0_offset")).toDouble(), 1000.0); // 1000 * 2 - 1000
        QCOMPARE(m.value(QStringLiteral("hr2")).toDouble(), 1002.0);
        QCOMPARE(m.value(QStringLiteral("hr10_big")).toDouble(), 21.5);
        QCOMPARE(m.value(QStringLiteral("hr12_little")).toDouble(), 21.5);
        QVERIFY(m.value(QStringLiteral("hr10_as_little")).toDouble() != 21.5); // order matters
        QCOMPARE(m.value(QStringLiteral("hr20_int16")).toDouble(), -1234.0);
        QCOMPARE(m.value(QStringLiteral("hr21_int32")).toDouble(), -123456.0);
        QCOMPARE(m.value(QStringLiteral("hr23_uint32")).toDouble(), 3000000000.0);
        QCOMPARE(m.size(), channels.size() + 1);

        auto *sensor = qobject_cast<IsSensor *>(device.get());
        QCOMPARE(sensor->channelNames(), channels.keys());
        QCOMPARE(sensor->channelUnits().value(QStringLiteral("ir0_scaled")).toString(),
            QStringLiteral("°C"));
        // No polling: nothing changes until the next measure.
        QTest::qWait(100);
        QCOMPARE(measuredOf(*device).value(QStringLiteral("measurement_id")).toInt(), 1);
    }

    void pollsAndMeasurementLoops()
    {
        DevicePtr device = startDevice(onPeer({{QStringLiteral("poll_ms"), qlonglong(20)},
            {QStringLiteral("channels"),
                QVariantMap{{QStringLiteral("hr1"), reg("holding", 1, "uint16")}}}}));
        QVERIFY(waitForLink(*device, LinkState::Connected));
        // Each poll is a measurement.
        QTRY_VERIFY_WITH_TIMEOUT(
            invoke(*device, QStringLiteral("get_measurement_id")).toInt() >= 3, kLinkLimitMs);
        QCOMPARE(measuredOf(*device).value(QStringLiteral("hr1")).toDouble(), 1001.0);

        const int first = invoke(*device, QStringLiteral("measure"), {true}).toInt();
        QVERIFY(device->busy());
        QCOMPARE(invoke(*device, QStringLiteral("measure"), {true}).toInt(), first); // in progress
        QTRY_VERIFY_WITH_TIMEOUT(
            invoke(*device, QStringLiteral("get_measurement_id")).toInt() >= first + 3,
            kLinkLimitMs);
        QVERIFY(device->busy());
        invoke(*device, QStringLiteral("stop_looping"));
        QTRY_VERIFY_WITH_TIMEOUT(!device->busy(), kLinkLimitMs);

        // stop() ends a loop at once and keeps the last result.
        invoke(*device, QStringLiteral("measure"), {true});
        QVERIFY(device->busy());
        qobject_cast<IsStoppable *>(device.get())->stop();
        QVERIFY(!device->busy());
        QCOMPARE(measuredOf(*device).value(QStringLiteral("hr1")).toDouble(), 1001.0);
        QCOMPARE(toString(device->status()), QStringLiteral("ready"));
    }

    void writesAFloatSetpoint()
    {
        DevicePtr device = startDevice(onPeer({
            {QStringLiteral("setpoint"),
                reg("holding", 40, "float32", {{QStringLiteral("units"), QStringLiteral("°C")}})},
            // The same registers as raw words, to see what went over the wire.
            {QStringLiteral("channels"),
                QVariantMap{{QStringLiteral("high"), reg("holding", 40, "uint16")},
                    {QStringLiteral("low"), reg("holding", 41, "uint16")}}},
        }));
        QVERIFY(waitForLink(*device, LinkState::Connected));
        auto *setpoint = qobject_cast<HasPosition *>(device.get());
        QVERIFY(setpoint);
        QCOMPARE(setpoint->units(), QStringLiteral("°C"));

        invoke(*device, QStringLiteral("set_position"), {37.25});
        QVERIFY(device->busy());
        QCOMPARE(setpoint->destination(), 37.25);
        QTRY_VERIFY_WITH_TIMEOUT(!device->busy(), kLinkLimitMs);
        QCOMPARE(setpoint->position(), 37.25);
        QCOMPARE(setpoint->destination(), 37.25);

        const QVariantMap m = measureNow(*device);
        QCOMPARE(m.value(QStringLiteral("high")).toInt(), 0x4215); // 37.25f = 0x42150000
        QCOMPARE(m.value(QStringLiteral("low")).toInt(), 0);

        // Relative moves go from the destination.
        QCOMPARE(invoke(*device, QStringLiteral("set_relative"), {-0.5}).toDouble(), 36.75);
        QTRY_VERIFY_WITH_TIMEOUT(!device->busy(), kLinkLimitMs);
        QCOMPARE(setpoint->position(), 36.75);
    }

    void writesAScaledIntegerSetpoint()
    {
        DevicePtr device = startDevice(onPeer({
            {QStringLiteral("setpoint"),
                reg("holding", 30, "int16", {{QStringLiteral("scale"), 0.1}})},
            {QStringLiteral("channels"),
                QVariantMap{{QStringLiteral("raw"), reg("holding", 30, "int16")}}},
        }));
        QVERIFY(waitForLink(*device, LinkState::Connected));
        auto *setpoint = qobject_cast<HasPosition *>(device.get());
        // [] limits: what an int16 holds, scaled.
        const Limits limits = qobject_cast<HasLimits *>(device.get())->limits();
        QCOMPARE(limits.lower, -3276.8);
        QCOMPARE(limits.upper, 3276.7);

        for (const double target : {21.6, -5.5}) {
            invoke(*device, QStringLiteral("set_position"), {target});
            QTRY_VERIFY_WITH_TIMEOUT(!device->busy(), kLinkLimitMs);
            QCOMPARE(setpoint->position(), target);
            QCOMPARE(setpoint->destination(), target);
            QCOMPARE(measureNow(*device).value(QStringLiteral("raw")).toDouble(), target * 10);
        }

        // Rounded to the register's resolution: the read-back is the truth, the request stays
        // the destination.
        invoke(*device, QStringLiteral("set_position"), {1.26});
        QTRY_VERIFY_WITH_TIMEOUT(!device->busy(), kLinkLimitMs);
        QCOMPARE(setpoint->position(), 1.3);
        QTest::qWait(150); // a few polls
        QCOMPARE(setpoint->destination(), 1.26);
    }

    void outOfLimits()
    {
        auto make = [this](const char *policy) {
            return startDevice(onPeer({
                {QStringLiteral("setpoint"), reg("holding", 30, "int16")},
                {QStringLiteral("limits"), QVariantList{0.0, 50.0}},
                {QStringLiteral("out_of_limits"), QLatin1String(policy)},
            }));
        };
        DevicePtr refusing = make("error");
        DevicePtr clamping = make("closest");
        DevicePtr ignoring = make("ignore");
        for (const DevicePtr *device : {&refusing, &clamping, &ignoring})
            QVERIFY(waitForLink(**device, LinkState::Connected));

        invoke(*clamping, QStringLiteral("set_position"), {10.0});
        QTRY_VERIFY_WITH_TIMEOUT(!clamping->busy(), kLinkLimitMs);
        // The others adopt the instrument's new setpoint at their next poll.
        for (const DevicePtr *device : {&refusing, &ignoring}) {
            QTRY_COMPARE_WITH_TIMEOUT(
                invoke(**device, QStringLiteral("get_destination")).toDouble(), 10.0, kLinkLimitMs);
            QCOMPARE(invoke(**device, QStringLiteral("get_position")).toDouble(), 10.0);
        }

        const QString refused
            = errorOf([&] { invoke(*refusing, QStringLiteral("set_position"), {60.0}); });
        QVERIFY2(refused.contains(QStringLiteral("dut")) && refused.contains(QStringLiteral("50")),
            qPrintable(refused));
        QVERIFY(!refusing->busy());
        QCOMPARE(invoke(*refusing, QStringLiteral("get_destination")).toDouble(), 10.0);
        QVERIFY(!invoke(*refusing, QStringLiteral("in_limits"), {60.0}).toBool());

        invoke(*ignoring, QStringLiteral("set_position"), {-5.0});
        QVERIFY(!ignoring->busy());
        QCOMPARE(invoke(*ignoring, QStringLiteral("get_destination")).toDouble(), 10.0);

        invoke(*clamping, QStringLiteral("set_position"), {60.0});
        QCOMPARE(invoke(*clamping, QStringLiteral("get_destination")).toDouble(), 50.0);
        QTRY_VERIFY_WITH_TIMEOUT(!clamping->busy(), kLinkLimitMs);
        QCOMPARE(invoke(*clamping, QStringLiteral("get_position")).toDouble(), 50.0);
        QTRY_COMPARE_WITH_TIMEOUT(
            invoke(*ignoring, QStringLiteral("get_position")).toDouble(), 50.0, kLinkLimitMs);
        QCOMPARE(invoke(*ignoring, QStringLiteral("get_destination")).toDouble(), 50.0);
    }

    void coilsAreWrittenAndReadBack()
    {
        const QVariantMap outputs{{QStringLiteral("pump"), 0.0}, {QStringLiteral("fan"), 1.0}};
        DevicePtr device = startDevice(onPeer({{QStringLiteral("outputs"), outputs}}));
        DevicePtr observer = startDevice(onPeer({{QStringLiteral("outputs"), outputs}}));
        QVERIFY(waitForLink(*device, LinkState::Connected));
        QVERIFY(waitForLink(*observer, LinkState::Connected));
        auto *io = qobject_cast<HasDigitalIo *>(device.get());
        QCOMPARE(io->outputNames(), QStringList({QStringLiteral("fan"), QStringLiteral("pump")}));
        QCOMPARE(io->output(QStringLiteral("fan")), true);
        QCOMPARE(io->output(QStringLiteral("pump")), false);

        invoke(*device, QStringLiteral("set_output"), {QStringLiteral("pump"), true});
        QTRY_VERIFY_WITH_TIMEOUT(io->output(QStringLiteral("pump")), kLinkLimitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            invoke(*observer, QStringLiteral("get_output"), {QStringLiteral("pump")}).toBool(),
            kLinkLimitMs);
        QCOMPARE(device->values().value(QStringLiteral("outputs")).toMap(),
            QVariantMap({{QStringLiteral("pump"), true}, {QStringLiteral("fan"), true}}));

        invoke(*device, QStringLiteral("set_output"), {QStringLiteral("pump"), false});
        QTRY_VERIFY_WITH_TIMEOUT(!io->output(QStringLiteral("pump")), kLinkLimitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            !invoke(*observer, QStringLiteral("get_output"), {QStringLiteral("pump")}).toBool(),
            kLinkLimitMs);

        const QString unknown = errorOf([&] {
            invoke(*device, QStringLiteral("set_output"), {QStringLiteral("heater"), true});
        });
        QCOMPARE(unknown, QStringLiteral("dut has no output \"heater\" (outputs: fan, pump)"));
    }

    void discreteInputs()
    {
        DevicePtr device = startDevice(onPeer({{QStringLiteral("inputs"),
            QVariantMap{{QStringLiteral("door"), 0.0}, {QStringLiteral("window"), 1.0},
                {QStringLiteral("lid"), 2.0}}}}));
        QVERIFY(waitForLink(*device, LinkState::Connected));
        QCOMPARE(
            invoke(*device, QStringLiteral("get_input"), {QStringLiteral("door")}), QVariant(true));
        QCOMPARE(invoke(*device, QStringLiteral("get_input"), {QStringLiteral("window")}),
            QVariant(false));
        QCOMPARE(
            invoke(*device, QStringLiteral("get_input"), {QStringLiteral("lid")}), QVariant(true));
        QCOMPARE(device->values().value(QStringLiteral("inputs")).toMap().size(), 3);
        const QString unknown = errorOf(
            [&] { invoke(*device, QStringLiteral("get_input"), {QStringLiteral("hatch")}); });
        QVERIFY2(unknown.contains(QStringLiteral("no input \"hatch\"")), qPrintable(unknown));
    }

    void anExceptionResponseIsReportedNotAFault()
    {
        ExpectedWarnings warnings(QStringLiteral("illegal data address"));
        DevicePtr device = startDevice(onPeer({
            {QStringLiteral("channels"),
                QVariantMap{{QStringLiteral("good"), reg("holding", 0, "uint16")},
                    {QStringLiteral("bad"), reg("holding", 100, "uint16")}}},
            {QStringLiteral("inputs"), QVariantMap{{QStringLiteral("door"), 0.0}}},
        }));
        // The map's mistake does not keep the link down.
        QVERIFY(waitForLink(*device, LinkState::Connected));
        const QString expected = QStringLiteral("dut: reading channel \"bad\" (holding register "
                                                "100) was refused: illegal data address "
                                                "(exception 2)");
        QCOMPARE(device->values().value(QStringLiteral("read_error")).toString(), expected);
        // Several polls, one log line.
        const int id = invoke(*device, QStringLiteral("get_measurement_id")).toInt();
        QTRY_VERIFY_WITH_TIMEOUT(
            invoke(*device, QStringLiteral("get_measurement_id")).toInt() >= id + 3, kLinkLimitMs);
        QCOMPARE(warnings.seen(), QStringList{expected});

        // The rest is read: the good channel, the input, a measurement on demand.
        QVariantMap m = measuredOf(*device);
        QCOMPARE(m.value(QStringLiteral("good")).toDouble(), 1000.0);
        QVERIFY(std::isnan(m.value(QStringLiteral("bad")).toDouble()));
        QCOMPARE(
            invoke(*device, QStringLiteral("get_input"), {QStringLiteral("door")}), QVariant(true));
        m = measureNow(*device);
        QCOMPARE(m.value(QStringLiteral("good")).toDouble(), 1000.0);
        QVERIFY(std::isnan(m.value(QStringLiteral("bad")).toDouble()));
        QCOMPARE(warnings.seen(), QStringList{expected}); // still one line
        QCOMPARE(toString(device->status()), QStringLiteral("ready"));
        QCOMPARE(toString(device->link()), QStringLiteral("connected"));
        // The measurement itself succeeded (its refused channel is NaN).
        QCOMPARE(device->values().value(QStringLiteral("error")).toString(), QString());
    }

    void aRefusedWriteIsTheCallsError()
    {
        // A float32 setpoint at 99 runs into address 100, which the server lacks.
        ExpectedWarnings warnings(QStringLiteral("illegal data address"));
        DevicePtr device
            = startDevice(onPeer({{QStringLiteral("setpoint"), reg("holding", 99, "float32")}}));
        QVERIFY(waitForLink(*device, LinkState::Connected));
        QCOMPARE(device->values().value(QStringLiteral("read_error")).toString(),
            QStringLiteral("dut: reading the setpoint (holding registers 99 to 100) was refused: "
                           "illegal data address (exception 2)"));
        QVERIFY(std::isnan(qobject_cast<HasPosition *>(device.get())->position()));

        const QString expected = QStringLiteral("dut: writing setpoint 5 (holding registers 99 to "
                                                "100) was refused: illegal data address "
                                                "(exception 2)");
        try {
            Test::waitFor(moveTo(*device, 5.0));
            QFAIL("the refused write was not reported");
        } catch (const DeviceError &e) {
            QCOMPARE(e.message(), expected);
        }
        QCOMPARE(device->values().value(QStringLiteral("error")).toString(), expected);
        QCOMPARE(qobject_cast<HasPosition *>(device.get())->destination(), 5.0);
        QVERIFY(!device->busy());
        QCOMPARE(toString(device->status()), QStringLiteral("ready"));
        QCOMPARE(warnings.count(expected), 1);
    }

    void aRefusedConnectionIsRetried()
    {
        const quint16 port = unusedPort();
        DevicePtr device = startDevice(onPeer(port,
            {{QStringLiteral("channels"),
                QVariantMap{{QStringLiteral("hr0"), reg("holding", 0, "uint16")}}}}));
        QVERIFY(waitForLink(*device, LinkState::Disconnected));
        const QString reason = device->values().value(QStringLiteral("link_error")).toString();
        QVERIFY2(
            reason.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(reason));

        // Calls fail at once, saying why.
        const QString refused
            = errorOf([&] { invoke(*device, QStringLiteral("measure"), {false}); });
        QVERIFY2(refused.startsWith(QStringLiteral("dut is disconnected")), qPrintable(refused));
        QVERIFY2(
            refused.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(refused));
        QVERIFY(!device->busy());
        QCOMPARE(toString(device->status()), QStringLiteral("ready"));

        // It keeps trying, and connects once a server is there.
        auto *modbus = qobject_cast<Modbus::ModbusDevice *>(device.get());
        QTRY_VERIFY_WITH_TIMEOUT(modbus->reconnector().failedAttempts() >= 3, kLinkLimitMs);
        Test::ModbusPeer late;
        QVERIFY2(late.start(port), late.output().constData());
        QVERIFY(waitForLink(*device, LinkState::Connected));
        QCOMPARE(measuredOf(*device).value(QStringLiteral("hr0")).toDouble(), 1000.0);
        device.reset(); // before its server goes
    }

    void reconnectsAfterTheServerRestarts()
    {
        ExpectedWarnings warnings(QStringLiteral("lost its link"));
        Test::ModbusPeer peer;
        QVERIFY2(peer.start(), peer.output().constData());
        DevicePtr device = startDevice(onPeer(peer.port(),
            {
                {QStringLiteral("channels"),
                    QVariantMap{{QStringLiteral("temperature"),
                        reg("input", 0, "uint16", {{QStringLiteral("scale"), 0.1}})}}},
                {QStringLiteral("inputs"), QVariantMap{{QStringLiteral("door"), 0.0}}},
            }));
        QVERIFY(waitForLink(*device, LinkState::Connected));
        QCOMPARE(measuredOf(*device).value(QStringLiteral("temperature")).toDouble(), 25.0);

        peer.kill();
        QVERIFY(waitForLink(*device, LinkState::Disconnected));
        QVERIFY(!device->values().value(QStringLiteral("link_error")).toString().isEmpty());
        const QString refused
            = errorOf([&] { invoke(*device, QStringLiteral("measure"), {false}); });
        QVERIFY2(refused.startsWith(QStringLiteral("dut is disconnected")), qPrintable(refused));
        QCOMPARE(toString(device->status()), QStringLiteral("ready"));
        const int before = invoke(*device, QStringLiteral("get_measurement_id")).toInt();

        QVERIFY2(peer.start(peer.port()), peer.output().constData());
        QVERIFY(waitForLink(*device, LinkState::Connected));
        QCOMPARE(device->values().value(QStringLiteral("link_error")).toString(), QString());
        const QVariantMap m = measureNow(*device);
        QVERIFY(m.value(QStringLiteral("measurement_id")).toInt() > before);
        QCOMPARE(m.value(QStringLiteral("temperature")).toDouble(), 25.0);
        QCOMPARE(
            invoke(*device, QStringLiteral("get_input"), {QStringLiteral("door")}), QVariant(true));
        QCOMPARE(warnings.count(QStringLiteral("dut lost its link")), 1);
    }

    void timeoutsInARowDropTheLink()
    {
        ExpectedWarnings warnings(QStringLiteral("no reply|lost its link"));
        Test::ModbusPeer peer;
        QVERIFY2(peer.start(), peer.output().constData());
        DevicePtr device = startDevice(onPeer(peer.port(),
            {
                {QStringLiteral("timeout_ms"), qlonglong(100)},
                {QStringLiteral("poll_ms"), qlonglong(20)},
                {QStringLiteral("connect_timeout_ms"), qlonglong(300)},
                {QStringLiteral("channels"),
                    QVariantMap{{QStringLiteral("hr0"), reg("holding", 0, "uint16")}}},
            }));
        QVERIFY(waitForLink(*device, LinkState::Connected));

        peer.pause(); // the connection stays open; nothing answers
        QVERIFY(waitForLink(*device, LinkState::Disconnected));
        QCOMPARE(toString(device->status()), QStringLiteral("ready"));
        QTRY_VERIFY_WITH_TIMEOUT(
            warnings.count(QStringLiteral("no reply to 3 requests in a row")) == 1, kLinkLimitMs);
        QVERIFY(warnings.count(QStringLiteral("dut: no reply to reading channel \"hr0\" "
                                              "(holding register 0) within 100 ms"))
            >= 1);

        peer.resume();
        QVERIFY(waitForLink(*device, LinkState::Connected));
        QCOMPARE(measureNow(*device).value(QStringLiteral("hr0")).toDouble(), 1000.0);
    }

    void theDocumentedExampleWorks()
    {
        // The boiler of docs/drivers/modbus.md, checked like a lab file and run against the
        // test server, whose map it was written to match.
        QFile doc(QStringLiteral(BENCHTOP_MODBUS_DOC));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QByteArray text = doc.readAll();
        const qsizetype start = text.indexOf("```toml\n");
        QVERIFY(start >= 0);
        const qsizetype end = text.indexOf("```", start + 8);
        LabParseResult parsed
            = parseLabText(text.mid(start + 8, end - start - 8), QStringLiteral("modbus.md"));
        QVERIFY(parsed.ok());
        QString error;
        const std::optional<PluginInfo> plugin = parsePluginMetadata(metadata(), &error);
        QVERIFY2(plugin, qPrintable(error));
        // As the lab loader checks it: the schema, then the driver's own rules.
        const QList<LabError> errors
            = checkLab(parsed.lab, LabDrivers(plugin->drivers, [](const DeviceSettings &settings) {
                  return Modbus::ModbusSettings::check(settings.config);
              }));
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
        QCOMPARE(parsed.lab.devices.size(), 1);
        const LabDevice &boiler = parsed.lab.devices.first();

        QVariantMap config = boiler.config;
        config.insert(onPeer({{QStringLiteral("poll_ms"), qlonglong(50)}}));
        DevicePtr device(Modbus::createModbusDevice({boiler.name, boiler.kind, config}));
        device->start();
        QVERIFY(waitForLink(*device, LinkState::Connected));
        const QVariantMap m = measuredOf(*device);
        QCOMPARE(m.value(QStringLiteral("water")).toDouble(), 25.0);
        QCOMPARE(m.value(QStringLiteral("pressure")).toDouble(), 3.25);
        QCOMPARE(
            invoke(*device, QStringLiteral("get_input"), {QStringLiteral("door")}), QVariant(true));
        QCOMPARE(invoke(*device, QStringLiteral("get_units")).toString(), QStringLiteral("°C"));
        QCOMPARE(Test::waitFor(moveTo(*device, 60.0)), 60.0);
        QCOMPARE(errorOf([&] { invoke(*device, QStringLiteral("set_position"), {90.0}); }),
            QStringLiteral("boiler: 90 is outside the limits [20, 85]"));
        for (const bool on : {true, false}) {
            invoke(*device, QStringLiteral("set_output"), {QStringLiteral("pump"), on});
            QTRY_COMPARE_WITH_TIMEOUT(
                invoke(*device, QStringLiteral("get_output"), {QStringLiteral("pump")}).toBool(),
                on, kLinkLimitMs);
        }
    }

    void badConfigIsRefused_data()
    {
        QTest::addColumn<QVariantMap>("overrides");
        QTest::addColumn<QString>("start");
        QTest::addColumn<QString>("mentions");
        const QVariantMap host{{QStringLiteral("host"), QStringLiteral("plc.lab")}};
        auto with = [&](const QString &key, const QVariant &value) {
            QVariantMap overrides = host;
            overrides.insert(key, value);
            return overrides;
        };
        QTest::newRow("unknown key in a channel")
            << with(QStringLiteral("channels"),
                   QVariantMap{
                       {QStringLiteral("temperature"), QVariantMap{{QStringLiteral("adress"), 3}}}})
            << QStringLiteral("device \"dut\": channels.temperature: ")
            << QStringLiteral("\"adress\" (did you mean \"address\"?)");
        QTest::newRow("setpoint on an input register")
            << with(QStringLiteral("setpoint"), reg("input", 0, "uint16"))
            << QStringLiteral("device \"dut\": setpoint: ") << QStringLiteral("read-only");
        QTest::newRow("no host") << QVariantMap{{QStringLiteral("host"), QStringLiteral(" ")}}
                                 << QStringLiteral("device \"dut\": key \"host\"")
                                 << QStringLiteral("needed");
        QTest::newRow("tcp_port") << with(QStringLiteral("tcp_port"), qlonglong(0))
                                  << QStringLiteral("device \"dut\": key \"tcp_port\"")
                                  << QStringLiteral("between 1 and 65535");
        QTest::newRow("one limit")
            << with(QStringLiteral("limits"), QVariantList{1.0})
            << QStringLiteral("device \"dut\": key \"limits\"") << QStringLiteral("[lower, upper]");
        QTest::newRow("limits the wrong way round")
            << with(QStringLiteral("limits"), QVariantList{5.0, 1.0})
            << QStringLiteral("device \"dut\": key \"limits\"") << QStringLiteral("above");
        QTest::newRow("backoff") << with(QStringLiteral("reconnect_max_ms"), qlonglong(100))
                                 << QStringLiteral("device \"dut\": key \"reconnect_max_ms\"")
                                 << QStringLiteral("reconnect_min_ms");
        QTest::newRow("channel named measurement_id")
            << with(QStringLiteral("channels"),
                   QVariantMap{{QStringLiteral("measurement_id"), reg("holding", 0, "uint16")}})
            << QStringLiteral("device \"dut\": channels.measurement_id: ")
            << QStringLiteral("may not");
        QVariantMap twice
            = with(QStringLiteral("inputs"), QVariantMap{{QStringLiteral("door"), 0.0}});
        twice.insert(QStringLiteral("outputs"), QVariantMap{{QStringLiteral("door"), 1.0}});
        QTest::newRow("a line twice") << twice << QStringLiteral("device \"dut\": outputs.door: ")
                                      << QStringLiteral("an input too");
        QTest::newRow("line address")
            << with(QStringLiteral("outputs"), QVariantMap{{QStringLiteral("pump"), 70000.0}})
            << QStringLiteral("device \"dut\": outputs.pump: ") << QStringLiteral("70000");
        QTest::newRow("policy") << with(
            QStringLiteral("out_of_limits"), QStringLiteral("sometimes"))
                                << QStringLiteral("device \"dut\": key \"out_of_limits\"")
                                << QStringLiteral("sometimes");
        QTest::newRow("channels not a table")
            << with(QStringLiteral("channels"), QStringLiteral("temperature"))
            << QStringLiteral("device \"dut\": key \"channels\"") << QStringLiteral("table");
    }

    // What the lab checker asks (ModbusFactory::checkConfig, which is ModbusSettings::check):
    // every problem of the table at once, each about its key, in the words create() refuses it
    // with.
    void checkConfigFindsEveryProblemAtOnce()
    {
        QVariantMap table{{QStringLiteral("host"), QStringLiteral("plc.lab")},
            {QStringLiteral("channels"),
                QVariantMap{
                    {QStringLiteral("temperature"), QVariantMap{{QStringLiteral("adress"), 3}}}}},
            {QStringLiteral("limits"), QVariantList{5.0, 1.0}},
            {QStringLiteral("inputs"), QVariantMap{{QStringLiteral("door"), 0.0}}},
            {QStringLiteral("outputs"), QVariantMap{{QStringLiteral("door"), 1.0}}}};
        const DeviceSettings dut = settings(table);
        const QList<ConfigProblem> problems = Modbus::ModbusSettings::check(dut.config);
        QStringList lines;
        for (const ConfigProblem &problem : problems)
            lines << problem.key + " | " + problem.message;
        QCOMPARE(lines,
            (QStringList{QStringLiteral("channels | channels.temperature: unknown key \"adress\" "
                                        "(did you mean \"address\"?)"),
                QStringLiteral(
                    "limits | key \"limits\" is [5, 1]: the lower limit is above the upper"),
                QStringLiteral(
                    "outputs.door | outputs.door: \"door\" is an input too: a line needs "
                    "one name")}));
        const QString refused = errorOf([&] { delete Modbus::createModbusDevice(dut); });
        QCOMPARE(refused,
            QStringLiteral("device \"dut\": ") + problems[0].message + QStringLiteral("; ")
                + problems[1].message + QStringLiteral("; ") + problems[2].message);
        QVERIFY(Modbus::ModbusSettings::check(
            settings({{QStringLiteral("host"), QStringLiteral("plc.lab")}}).config)
                    .isEmpty());
    }

    void badConfigIsRefused()
    {
        QFETCH(QVariantMap, overrides);
        QFETCH(QString, start);
        QFETCH(QString, mentions);
        const QString message
            = errorOf([&] { delete Modbus::createModbusDevice(settings(overrides)); });
        QVERIFY2(message.startsWith(start), qPrintable(message));
        QVERIFY2(message.contains(mentions), qPrintable(message));
        QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestModbusDevice)
#include "tst_modbusdevice.moc"
