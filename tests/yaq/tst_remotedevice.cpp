// SPDX-License-Identifier: MIT
// Remote yaq devices (driver `yaq`): a host whose devices are yaq daemons served by another
// host, seen through handles exactly like local devices, with the link's life (lost daemon,
// reconnection), a gateway that serves a remote device again, and peers that are not yaq.
#include "testdevices.h"
#include "testsupport.h"
#include "trickleproxy.h"

#include <device/deviceerror.h>
#include <host/devicehost.h>
#include <host/localdevicehandle.h>
#include <io/ioerror.h>
#include <yaq/client/client.h>
#include <yaq/server/deviceserver.h>
#include <yaq/wire/protocoldocument.h>

#include <remotedevice.h>
#include <yaqaddress.h>

#include <QJsonArray>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <optional>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace std::chrono_literals;

namespace {

/// The far side: a stage, a sensor and a panel, each served as a yaq daemon.
struct FarLab {
    std::unique_ptr<DeviceHost> host;
    std::map<QString, std::unique_ptr<Yaq::DeviceServer>> servers;

    FarLab()
    {
        DeviceHost::Drivers drivers;
        drivers.create = [](const DeviceSettings &s) -> std::unique_ptr<Device> {
            if (s.kind == "stage")
                return std::make_unique<TestStage>(s);
            if (s.kind == "panel")
                return std::make_unique<TestPanel>(s);
            return std::make_unique<TestSensor>(s);
        };
        host = std::make_unique<DeviceHost>(drivers, nullptr);
        host->open(
            {{"stage", "stage", {{"limits", QVariantList{0.0, 10.0}}, {"out_of_limits", "error"}}},
                {"meter", "sensor", {{"integration_ms", 5}}}, {"panel", "panel", {}}});
        for (const QString &name : host->deviceNames())
            serve(name, 0);
    }
    quint16 serve(const QString &name, quint16 port)
    {
        auto server = std::make_unique<Yaq::DeviceServer>(*host, name, nullptr);
        QString error;
        if (!server->listen(QHostAddress::LocalHost, port, &error))
            qFatal("listen: %s", qPrintable(error));
        port = server->port();
        servers[name] = std::move(server);
        return port;
    }
    QString address(const QString &name) const
    {
        return QStringLiteral("127.0.0.1:%1").arg(servers.at(name)->port());
    }
    TestStage &stage() { return *static_cast<TestStage *>(host->device("stage")); }
};

/// The near side: one remote device per far device, polled fast (tests need not wait long).
std::unique_ptr<DeviceHost> nearHost(const QList<DeviceSettings> &devices)
{
    DeviceHost::Drivers drivers;
    drivers.create = [](const DeviceSettings &s) -> std::unique_ptr<Device> {
        return std::make_unique<YaqDriver::RemoteDevice>(s);
    };
    auto host = std::make_unique<DeviceHost>(drivers, nullptr);
    host->open(devices);
    return host;
}

DeviceSettings remote(const QString &name, const QString &address)
{
    return {name, "yaq",
        {{"address", address}, {"poll_busy_ms", 10}, {"poll_idle_ms", 20}, {"reconnect_min_ms", 10},
            {"reconnect_max_ms", 50}, {"timeout_ms", 2000}}};
}

bool connectedHandle(const DeviceHandle &handle)
{
    return handle.snapshot().link == LinkState::Connected && handle.description().traits.size() > 1;
}

} // namespace

class TestRemoteDevice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void aRemoteStageLooksAndActsLikeALocalOne()
    {
        FarLab far;
        auto near = nearHost({remote("stage", far.address("stage"))});
        LocalDeviceHandle stage(near.get(), "stage");
        QTRY_VERIFY(connectedHandle(stage));
        const DeviceDescription description = stage.description();
        QCOMPARE(description.kind, QStringLiteral("yaq"));
        QVERIFY(description.traits.contains("has-position"));
        QVERIFY(description.traits.contains("has-limits"));
        QVERIFY(description.messages.contains("set_position"));
        QCOMPARE(description.properties.first().name, QStringLiteral("destination"));
        QCOMPARE(description.properties.first().units, QStringLiteral("mm"));
        QCOMPARE(description.properties.first().limits->upper, 10.0);

        QCOMPARE(waitFor(stage.call("set_position", {3.0})), QVariant());
        QCOMPARE(far.stage().destination(), 3.0);
        QTRY_VERIFY(stage.snapshot().busy); // polled from the daemon
        QTRY_COMPARE(stage.snapshot().values.value("destination").toDouble(), 3.0);
        far.stage().arrive();
        QTRY_VERIFY(!stage.snapshot().busy);
        QCOMPARE(stage.snapshot().values.value("position").toDouble(), 3.0);

        // Awaited: resumes when the far stage has arrived, with where it is.
        auto move = stage.callAndWait("set_position", {7.0});
        QTRY_VERIFY(stage.snapshot().busy);
        far.stage().arrive();
        QCOMPARE(waitFor(std::move(move)).toDouble(), 7.0);

        // The far device's refusal, word for word.
        QCOMPARE(errorOf(stage.call("set_position", {42.0})),
            QStringLiteral("stage: 42 is outside the limits [0, 10]"));
        waitFor(near->shutdown());
    }

    void aRemoteSensorMeasures()
    {
        FarLab far;
        auto near = nearHost({remote("meter", far.address("meter"))});
        LocalDeviceHandle meter(near.get(), "meter");
        QTRY_VERIFY(connectedHandle(meter));
        QVERIFY(meter.description().traits.contains("has-measure-trigger"));
        const QVariantMap first = waitFor(meter.measure());
        QCOMPARE(first.value("measurement_id").toInt(), 0);
        const QVariantMap second = waitFor(meter.measure());
        QCOMPARE(second.value("measurement_id").toInt(), 1);
        QCOMPARE(second.value("value").toDouble(), 10.0);
        QTRY_COMPARE(
            meter.snapshot().values.value("measured").toMap().value("value").toDouble(), 10.0);
        waitFor(near->shutdown());
    }

    void aLostDaemonIsShownAndReconnectedByItself()
    {
        FarLab far;
        auto near = nearHost({remote("stage", far.address("stage"))});
        LocalDeviceHandle stage(near.get(), "stage");
        QTRY_VERIFY(connectedHandle(stage));
        const quint16 port = far.servers.at("stage")->port();
        far.servers.erase("stage"); // the daemon goes away
        QTRY_VERIFY(stage.snapshot().link == LinkState::Disconnected);
        QVERIFY(!stage.snapshot().values.value("link_error").toString().isEmpty());
        // The attempts to reconnect are published, for the panel to count down to (10 to 50 ms
        // apart here, ±20 %).
        QTRY_VERIFY(stage.snapshot().values.value("reconnect_attempt").toInt() >= 2);
        const double wait = stage.snapshot().values.value("reconnect_wait_s").toDouble();
        QVERIFY2(wait > 0 && wait <= 0.05, qPrintable(QString::number(wait)));
        // Calls fail at once while the link is down, saying so.
        const QString error = errorOf(stage.call("get_position"));
        QVERIFY2(error.contains("stage"), qPrintable(error));
        far.serve("stage", port); // back on the same port
        QTRY_VERIFY(stage.snapshot().link == LinkState::Connected);
        QCOMPARE(stage.snapshot().values.value("reconnect_attempt").toInt(), 0);
        QCOMPARE(waitFor(stage.call("set_position", {2.0})), QVariant());
        QCOMPARE(far.stage().destination(), 2.0);
        waitFor(near->shutdown());
    }

    // benchtopd can serve a remote device again: a client of the gateway drives the far stage.
    void aGatewayServesARemoteDeviceAgain()
    {
        FarLab far;
        auto gateway = nearHost({remote("stage", far.address("stage"))});
        // Served before it has reached its daemon: what it serves follows what it learns.
        Yaq::DeviceServer server(*gateway, "stage", nullptr);
        QString listenError;
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &listenError), qPrintable(listenError));
        QCOMPARE(server.document()->json().value("traits").toArray().size(), 1); // is-daemon
        QTRY_VERIFY(gateway->device("stage")->link() == LinkState::Connected);
        QTRY_VERIFY(gateway->describe("stage").traits.contains("has-position"));
        Yaq::Client client;
        waitFor(client.connectTo("127.0.0.1", server.port()));
        QVERIFY(client.remote().traits.contains("has-limits"));
        QCOMPARE(waitFor(client.call("set_position", {4.0})), QVariant());
        QCOMPARE(far.stage().destination(), 4.0);
        QCOMPARE(waitFor(client.call("get_destination")).toDouble(), 4.0);
        QCOMPARE(waitFor(client.call("get_units")).toString(), QStringLiteral("mm"));
        // A refusal travels both hops.
        QVERIFY(errorOf(client.call("set_position", {-5.0})).contains("outside the limits"));
        waitFor(gateway->shutdown());
    }

    void aGatewayAnswersPipelinedCallsArrivingOneByteAtATime_data()
    {
        QTest::addColumn<bool>("clientTrickles");
        QTest::newRow("requests whole, answers from the far daemon byte by byte") << false;
        QTest::newRow("both hops byte by byte") << true;
    }

    // Issue 18 item 22: a device that forwards answers later, and its server holds the
    // connection's next requests meanwhile. The far daemon's answers reach the gateway one byte
    // at a time, so pipelined requests are all in the gateway server's decoder while it waits:
    // each is served when the answer before it comes, with no further read from the client
    // (ServerConnection's late answer serves again). With the client's side trickled too, each
    // request is also decoded across as many reads as it has bytes.
    void aGatewayAnswersPipelinedCallsArrivingOneByteAtATime()
    {
        QFETCH(bool, clientTrickles);
        FarLab far;
        Yaq::Test::TrickleProxy farProxy(far.servers.at("stage")->port());
        auto gateway
            = nearHost({remote("stage", QStringLiteral("127.0.0.1:%1").arg(farProxy.port()))});
        Yaq::DeviceServer server(*gateway, "stage", nullptr);
        QString listenError;
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &listenError), qPrintable(listenError));
        QTRY_VERIFY_WITH_TIMEOUT(gateway->device("stage")->link() == LinkState::Connected, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(gateway->describe("stage").traits.contains("has-position"), 10000);
        std::optional<Yaq::Test::TrickleProxy> clientProxy;
        if (clientTrickles)
            clientProxy.emplace(server.port());
        Yaq::Client client;
        waitFor(
            client.connectTo("127.0.0.1", clientTrickles ? clientProxy->port() : server.port()));
        auto first = client.call("set_position", {4.0});
        auto second = client.call("get_destination");
        auto third = client.call("in_limits", {12.0});
        auto fourth = client.call("get_units");
        QCOMPARE(waitFor(std::move(first)), QVariant());
        QCOMPARE(waitFor(std::move(second)).toDouble(), 4.0);
        QCOMPARE(waitFor(std::move(third)).toBool(), false);
        QCOMPARE(waitFor(std::move(fourth)).toString(), QStringLiteral("mm"));
        QVERIFY(farProxy.bytesDown() > 50); // the relay did split the answers
        waitFor(gateway->shutdown());
    }

    void addressesAreHostColonPort_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("name") << "localhost:36000"
                              << "localhost" << 36000;
        QTest::newRow("trimmed") << " 10.0.5.2:38001 "
                                 << "10.0.5.2" << 38001;
        QTest::newRow("IPv6") << "[::1]:36000"
                              << "::1" << 36000;
        QTest::newRow("no port") << "nowhere"
                                 << "" << 0;
        QTest::newRow("port 0") << "host:0"
                                << "" << 0;
        QTest::newRow("port too large") << "host:99999"
                                        << "" << 0;
        QTest::newRow("no host") << ":36000"
                                 << "" << 0;
        QTest::newRow("port not a number") << "host:web"
                                           << "" << 0;
    }

    // The one rule, for the lab checker (YaqFactory::checkConfig) and RemoteDevice alike.
    void addressesAreHostColonPort()
    {
        QFETCH(QString, address);
        QFETCH(QString, host);
        QFETCH(int, port);
        const std::optional<YaqDriver::YaqAddress> parsed = YaqDriver::parseYaqAddress(address);
        QCOMPARE(parsed.has_value(), port != 0);
        const QList<ConfigProblem> problems = YaqDriver::checkYaqConfig({{"address", address}});
        QCOMPARE(problems.isEmpty(), port != 0);
        if (parsed) {
            QCOMPARE(parsed->host, host);
            QCOMPARE(int(parsed->port), port);
        } else {
            QCOMPARE(problems.first().key, QStringLiteral("address"));
        }
    }

    // The lab checker's rule (YaqFactory::checkConfig), in its words.
    void badAddressesAreFaultsNamingThem()
    {
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression("a is in fault: could not be created: device \"a\": key \"address\" "
                               "must be \"host:port\""));
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression("b is in fault: could not be created"));
        auto near = nearHost({remote("a", "nowhere"), remote("b", "host:99999")});
        QCOMPARE(toString(near->device("a")->status()), QStringLiteral("fault"));
        QVERIFY2(
            near->device("a")->faultReason().contains(
                "key \"address\" must be \"host:port\" (a yaq daemon's host and TCP port, e.g. "
                "\"localhost:36000\"), not \"nowhere\""),
            qPrintable(near->device("a")->faultReason()));
        QCOMPARE(toString(near->device("b")->status()), QStringLiteral("fault"));
        waitFor(near->shutdown());
    }

    // A peer that is not a yaq daemon (here: one that answers with an HTTP error) is a link
    // that does not come up, with the reason, and is tried again; never a crash.
    void aPeerThatIsNotYaqIsALinkDown()
    {
        QTcpServer http;
        QVERIFY(http.listen(QHostAddress::LocalHost, 0));
        int connections = 0;
        connect(&http, &QTcpServer::newConnection, &http, [&] {
            while (QTcpSocket *socket = http.nextPendingConnection()) {
                ++connections;
                socket->write("HTTP/1.1 400 Bad Request\r\n\r\n");
                socket->disconnectFromHost();
            }
        });
        auto near
            = nearHost({remote("odd", QStringLiteral("127.0.0.1:%1").arg(http.serverPort()))});
        QTRY_VERIFY(connections >= 2); // tried again
        const Device &odd = *near->device("odd");
        QCOMPARE(toString(odd.status()), QStringLiteral("ready"));
        QVERIFY(odd.link() != LinkState::Connected);
        QVERIFY2(!odd.values().value("link_error").toString().isEmpty(),
            qPrintable(odd.values().value("link_error").toString()));
        waitFor(near->shutdown());
    }
};

QTEST_GUILESS_MAIN(TestRemoteDevice)
#include "tst_remotedevice.moc"
