// SPDX-License-Identifier: MIT
// Benchtop's yaq client against its yaq server on loopback: every trait's messages, errors,
// yaq's own messages, and what a client may not do to the server (malformed, oversized and
// unknown requests, not reading its answers) — answered or dropped, never a crash, and other
// clients and the devices carry on.
#include "testdevices.h"
#include "testsupport.h"
#include "tomlsamples.h"
#include "trickleproxy.h"
#include "yaqtest.h"

#include <device/deviceerror.h>
#include <device/measurementrunner.h>
#include <device/sensorstate.h>
#include <host/devicehost.h>
#include <io/ioerror.h>
#include <yaq/client/client.h>
#include <yaq/server/deviceserver.h>
#include <yaq/wire/framing.h>
#include <yaq/wire/messages.h>
#include <yaq/wire/protocoldocument.h>
#include <yaq/wire/pythonjson.h>

#include <QCoroSignal>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::Yaq;
using Benchtop::Yaq::Test::TrickleProxy;
using namespace std::chrono_literals;

namespace {

/// A spectrometer-like sensor: one scalar channel and one four-point spectrum (an ndarray),
/// whose axis is a wavelength mapping (has-mapping).
class SpectrumSensor
    : public Device
    , public SensorState
    , public MeasurementRunner
    , public HasMapping {
    Q_OBJECT
    Q_INTERFACES(Benchtop::IsSensor Benchtop::HasMeasureTrigger Benchtop::HasMapping)
public:
    explicit SpectrumSensor(DeviceSettings settings)
        : Device(std::move(settings))
        , SensorState(this)
        , MeasurementRunner(this, this)
    {
        setChannels({{"power", "W", {}}, {"spectrum", "counts", {4}}});
    }
    QMap<QString, QStringList> channelMappings() const override
    {
        return {{"spectrum", {"wavelength"}}};
    }
    QVariantMap mappingUnits() const override { return {{"wavelength", "nm"}}; }
    QMap<QString, QList<double>> mappings() const override
    {
        return {{"wavelength", {400.0, 500.0, 600.0, 700.5}}};
    }
    int mappingId() const override { return 0; }

protected:
    QCoro::Task<QVariantMap> acquire() override
    {
        const int id = nextMeasurementId();
        co_return QVariantMap{
            {"power", 0.5 * id}, {"spectrum", QVariantList{1.0, 2.5, -3.0, id * 1.0}}};
    }
};

/// A grating turret (has-turret), as a monochromator has one.
class GratingTurret
    : public Device
    , public HasTurret {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasTurret)
public:
    explicit GratingTurret(DeviceSettings settings)
        : Device(std::move(settings))
    {
        setValue(StateKey::Turret, QStringLiteral("300"));
    }
    QStringList turretIdentifiers() const override
    {
        return {QStringLiteral("300"), QStringLiteral("1200"), QStringLiteral("mirror")};
    }
    QString turret() const override { return values().value(StateKey::Turret).toString(); }
    void setTurret(const QString &identifier) override
    {
        if (!turretIdentifiers().contains(identifier))
            throw DeviceError(QStringLiteral("%1: no turret %2").arg(name(), identifier));
        setValue(StateKey::Turret, identifier);
    }
};

struct Lab {
    std::unique_ptr<DeviceHost> host;
    std::vector<std::unique_ptr<DeviceServer>> servers;
    quint16 port(const QString &device) const
    {
        for (const auto &server : servers) {
            if (server->device() == device)
                return server->port();
        }
        return 0;
    }
};

/// The panel's config: the values every TOML writer is compared on, a key that is not bare, and
/// one without a TOML form.
QVariantMap panelConfig()
{
    QVariantMap config;
    for (const TomlSample &sample : tomlSamples())
        config.insert(sample.key, sample.value);
    config.insert("a\n", 1);
    config.insert("null", QVariant());
    return config;
}

Lab makeLab(DeviceServer::Options options = {})
{
    DeviceHost::Drivers drivers;
    drivers.create = [](const DeviceSettings &s) -> std::unique_ptr<Device> {
        if (s.kind == "stage")
            return std::make_unique<TestStage>(s);
        if (s.kind == "panel")
            return std::make_unique<TestPanel>(s);
        if (s.kind == "turret")
            return std::make_unique<GratingTurret>(s);
        return std::make_unique<SpectrumSensor>(s);
    };
    Lab lab;
    lab.host = std::make_unique<DeviceHost>(drivers, nullptr);
    lab.host->open(
        {{"stage", "stage", {{"limits", QVariantList{0.0, 10.0}}, {"out_of_limits", "error"}}},
            {"spectrometer", "spectrum", {}}, {"panel", "panel", panelConfig()},
            {"grating", "turret", {}}});
    for (const QString &name : lab.host->deviceNames()) {
        auto server = std::make_unique<DeviceServer>(*lab.host, name, nullptr, options);
        QString error;
        if (!server->listen(QHostAddress::LocalHost, 0, &error))
            qFatal("listen: %s", qPrintable(error));
        lab.servers.push_back(std::move(server));
    }
    return lab;
}

std::unique_ptr<Client> connected(quint16 port)
{
    auto client = std::make_unique<Client>();
    waitFor(client->connectTo("127.0.0.1", port));
    return client;
}

/// A raw connection, for bytes no well-behaved client sends.
struct RawClient {
    QTcpSocket socket;
    explicit RawClient(quint16 port)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(3000))
            qFatal("raw connect failed");
    }
    bool closedWithin(std::chrono::milliseconds limit)
    {
        return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; },
            int(limit.count()));
    }
};

/// The handshake as yaqc sends it first (see tests/data/yaq), then the handshake naming the
/// document, as raw bytes.
QByteArray handshakes(const ProtocolDocument &document)
{
    QByteArray bytes;
    appendHandshakeRequest(bytes, HandshakeRequest());
    appendCallRequest(bytes, handshakeOnlyMessage(), {});
    HandshakeRequest again;
    again.clientHash = document.hash();
    again.serverHash = document.hash();
    again.clientProtocol = QString::fromUtf8(document.text());
    appendHandshakeRequest(bytes, again);
    appendCallRequest(bytes, handshakeOnlyMessage(), {});
    return bytes;
}

/// Counts the protocol documents parsed from text while it lives: ProtocolDocument says each at
/// debug level in benchtop.yaq.document, which is off by default (and by QT_LOGGING_RULES in
/// ctest); a category filter turns it on for this object's life.
class DocumentParses {
public:
    DocumentParses()
    {
        s_count = 0;
        s_previousFilter = QLoggingCategory::installFilter(&DocumentParses::filter);
        s_previousHandler = qInstallMessageHandler(&DocumentParses::handle);
    }
    ~DocumentParses()
    {
        qInstallMessageHandler(s_previousHandler);
        QLoggingCategory::installFilter(s_previousFilter);
    }
    DocumentParses(const DocumentParses &) = delete;
    DocumentParses &operator=(const DocumentParses &) = delete;
    int count() const { return s_count; }

private:
    static bool isOurs(const char *category)
    {
        return category && qstrcmp(category, "benchtop.yaq.document") == 0;
    }
    static void filter(QLoggingCategory *category)
    {
        if (s_previousFilter)
            s_previousFilter(category);
        if (isOurs(category->categoryName()))
            category->setEnabled(QtDebugMsg, true);
    }
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &text)
    {
        if (type == QtDebugMsg && isOurs(context.category)
            && text.startsWith(QLatin1String("parsing a protocol document"))) {
            ++s_count;
            return;
        }
        s_previousHandler(type, context, text);
    }
    static inline int s_count = 0;
    static inline QLoggingCategory::CategoryFilter s_previousFilter = nullptr;
    static inline QtMessageHandler s_previousHandler = nullptr;
};

} // namespace

class TestYaqLoopback : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void theHandshakeBringsTheDevicesProtocol()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("stage"));
        QVERIFY(client->isConnected());
        QCOMPARE(client->remote().kind, QStringLiteral("stage"));
        QVERIFY(client->remote().traits.contains("has-limits"));
        QVERIFY(client->remote().hasMessage("set_position"));
        QCOMPARE(client->document()->hash(), lab.servers.front()->document()->hash());
        QCOMPARE(waitFor(client->call("get_traits")).toStringList(), client->remote().traits);
        QCOMPARE(waitFor(client->call("get_version")).toString(), QStringLiteral(BENCHTOP_VERSION));
        QCOMPARE(
            waitFor(client->call("id")).toMap().value("name").toString(), QStringLiteral("stage"));
    }

    void aDocumentIsParsedOnceAndNeverByItsServer()
    {
        DocumentParses parses;
        Lab lab = makeLab();
        // Each server built its document as JSON and serves its canonical text, unparsed.
        QCOMPARE(parses.count(), 0);
        for (const auto &server : lab.servers)
            QCOMPARE(server->document()->text(), canonicalText(server->document()->json()));

        // A client reads the daemon's document once (the first handshake brings it; the second,
        // naming it, does not read it again) and its model of the daemon is that document's.
        auto client = connected(lab.port("stage"));
        QCOMPARE(parses.count(), 1);
        const ProtocolDocument &document = *client->document();
        QCOMPARE(client->remote().kind, document.name());
        QStringList names;
        for (const auto &[name, schema] : document.messages())
            names << name;
        QCOMPARE(client->remote().messages.keys(), names);
        QCOMPARE(client->remote().messages.value("set_position").request.first().name,
            document.message("set_position")->request.front().name);

        // A restarted device gets a new document, built as JSON again.
        QSignalSpy started(lab.host.get(), &DeviceHost::deviceStarted);
        waitFor(lab.host->restart("stage"));
        QTRY_COMPARE(started.count(), 1);
        QCOMPARE(parses.count(), 1);
    }

    void positionsAndLimits()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("stage"));
        QCOMPARE(waitFor(client->call("get_units")).toString(), QStringLiteral("mm"));
        QCOMPARE(waitFor(client->call("get_limits")), QVariant(QVariantList{0.0, 10.0}));
        QCOMPARE(waitFor(client->call("in_limits", {12.0})).toBool(), false);
        QCOMPARE(waitFor(client->call("set_position", {4.0})), QVariant());
        QCOMPARE(waitFor(client->call("busy")).toBool(), true);
        QCOMPARE(waitFor(client->call("get_destination")).toDouble(), 4.0);
        static_cast<TestStage *>(lab.host->device("stage"))->arrive();
        QCOMPARE(waitFor(client->call("get_position")).toDouble(), 4.0);
        QCOMPARE(waitFor(client->call("busy")).toBool(), false);
        // An integer where the protocol says double is taken (Avro promotes it when encoding).
        QCOMPARE(waitFor(client->call("set_relative", {qint64(1)})).toDouble(), 5.0);
        // The device's refusal, word for word, as the daemon's error.
        QCOMPARE(errorOf(client->call("set_position", {42.0})),
            QStringLiteral("stage: 42 is outside the limits [0, 10]"));
        // A name the protocol does not have is refused before it is sent.
        QCOMPARE(errorOf(client->call("warp")),
            QStringLiteral("127.0.0.1:%1 (stage) has no message warp").arg(lab.port("stage")));
        QVERIFY(client->isConnected());
        // yaq's get_state: TOML text.
        const QString state = waitFor(client->call("get_state")).toString();
        QVERIFY2(state.contains("destination = 5.0"), qPrintable(state));
    }

    // Byte for byte as every other writer (tests/support/tomlsamples.h), as a TOML document
    // (tables under [headers], as yaqd-core's tomli_w writes them): a key that is not bare is
    // quoted (the old pattern wrote "a\n" bare, breaking the text), and a value without a TOML
    // form is left out.
    void getConfigWritesTomlAsEveryWriterDoes()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("panel"));
        const QString config = waitFor(client->call("get_config")).toString();
        QMap<QString, QString> lines; // in the order of the keys, as the config map has them
        for (const TomlSample &sample : tomlSamples()) {
            if (sample.value.typeId() != QMetaType::QVariantMap)
                lines.insert(sample.key, sample.key + " = " + sample.text + '\n');
        }
        lines.insert("a\n", "\"a\\n\" = 1\n");
        const QString expected = QStringList(lines.values()).join(QString())
            + "\n[bindings]\nfoot = \"stage.home\"\n\"my line\" = \"camera.measure\"\n"
              "\n[empty]\n"
              "\n[gains]\nblue = 60.0\nred = 0.1\n";
        QCOMPARE(config, expected);
    }

    void measurementsWithIdsAndArrays()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("spectrometer"));
        QCOMPARE(waitFor(client->call("measure", {false})).toInt(), 0);
        QCOMPARE(waitFor(client->call("measure")).toInt(), 1); // loop = false by default
        const QVariantMap measured = waitFor(client->call("get_measured")).toMap();
        QCOMPARE(measured.value("measurement_id").toInt(), 1);
        QCOMPARE(measured.value("power").toDouble(), 0.5);
        // Sent as yaq's ndarray record, read back as the list it was.
        QCOMPARE(measured.value("spectrum"), QVariant(QVariantList{1.0, 2.5, -3.0, 1.0}));
        QCOMPARE(waitFor(client->call("get_measurement_id")).toInt(), 1);
        QCOMPARE(waitFor(client->call("get_channel_names")).toStringList(),
            (QStringList{"power", "spectrum"}));
    }

    // has-mapping: a spectrum's x axis travels as yaq sends it (an ndarray per mapping).
    void mappingsGiveTheAxisOfASpectrum()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("spectrometer"));
        QVERIFY(client->remote().traits.contains("has-mapping"));
        QCOMPARE(waitFor(client->call("get_channel_mappings")).toMap().value("spectrum"),
            QVariant(QVariantList{"wavelength"}));
        QCOMPARE(
            waitFor(client->call("get_mapping_units")).toMap().value("wavelength"), QVariant("nm"));
        QCOMPARE(waitFor(client->call("get_mappings")).toMap().value("wavelength"),
            QVariant(QVariantList{400.0, 500.0, 600.0, 700.5}));
        QCOMPARE(waitFor(client->call("get_mapping_id")).toInt(), 0);
    }

    // has-turret: the list of turrets under current yaq's name (get_turret_options, which the
    // turret property's options_getter names) and Benchtop's first one.
    void turretsAndTheirOptions()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("grating"));
        QVERIFY(client->remote().traits.contains("has-turret"));
        const QStringList turrets{"300", "1200", "mirror"};
        QCOMPARE(waitFor(client->call("get_turret_options")).toStringList(), turrets);
        QCOMPARE(waitFor(client->call("get_turret_identifiers")).toStringList(), turrets);
        const QJsonObject turret
            = client->document()->json().value("properties").toObject().value("turret").toObject();
        const QString optionsGetter = turret.value("options_getter").toString();
        QCOMPARE(optionsGetter, QStringLiteral("get_turret_options"));
        QCOMPARE(waitFor(client->call(optionsGetter)).toStringList(), turrets);
        QCOMPARE(waitFor(client->call("set_turret", {"1200"})), QVariant());
        QCOMPARE(waitFor(client->call("get_turret")).toString(), QStringLiteral("1200"));
        QCOMPARE(
            errorOf(client->call("set_turret", {"600"})), QStringLiteral("grating: no turret 600"));
    }

    void digitalLines()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("panel"));
        QCOMPARE(waitFor(client->call("get_output", {"led"})).toBool(), false);
        QCOMPARE(waitFor(client->call("set_output", {"led", true})), QVariant());
        QCOMPARE(waitFor(client->call("get_output", {"led"})).toBool(), true);
        QVERIFY(errorOf(client->call("set_output", {"led"})).contains("set_output"));
    }

    // Calls from one client overlap: answered in order, each with its own answer.
    void pipelinedCallsAreAnsweredInOrder()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("stage"));
        std::vector<QCoro::Task<QVariant>> calls;
        for (int i = 0; i < 50; ++i)
            calls.push_back(client->call(i % 2 ? "get_units" : "in_limits", {double(i)}));
        // (get_units takes no argument: those calls fail locally, the others go out.)
        int answered = 0;
        for (int i = 0; i < 50; ++i) {
            if (i % 2) {
                QVERIFY(errorOf(std::move(calls[size_t(i)])).contains("get_units"));
            } else {
                QCOMPARE(waitFor(std::move(calls[size_t(i)])).toBool(), i <= 10);
                ++answered;
            }
        }
        QCOMPARE(answered, 25);
    }

    // A caller resumed by an answer (inside the client's readyRead) makes several calls: the
    // first goes out at once, the others together as readyRead ends; all are answered.
    void callsMadeAsAnAnswerArrivesAllGoOut()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("stage"));
        QVariantList results;
        waitFor([&]() -> QCoro::Task<> {
            for (int round = 0; round < 3; ++round) {
                co_await client->call("get_units");
                auto position = client->call("get_position");
                auto inLimits = client->call("in_limits", {20.0});
                auto units = client->call("get_units");
                results << co_await std::move(position) << co_await std::move(inLimits)
                        << co_await std::move(units);
            }
        }());
        QCOMPARE(results, (QVariantList{0.0, false, "mm", 0.0, false, "mm", 0.0, false, "mm"}));
    }

    void everyMessageSplitIntoSingleBytesIsAnswered_data()
    {
        QTest::addColumn<TrickleProxy::Frames>("frames");
        QTest::newRow("frames as sent") << TrickleProxy::Frames::AsSent;
        // Every value decoded across frames too, as the reference readers allow.
        QTest::newRow("one-byte frames") << TrickleProxy::Frames::OneByte;
    }

    // A stream protocol must not depend on how the kernel splits it: every request reaches the
    // server one byte at a time (a write and a flush per byte), and every answer the client
    // one byte at a time, through a relay; calls with parameters of each kind are answered.
    void everyMessageSplitIntoSingleBytesIsAnswered()
    {
        QFETCH(TrickleProxy::Frames, frames);
        Lab lab = makeLab();
        TrickleProxy stageProxy(lab.port("stage"), frames);
        auto client = connected(stageProxy.port());
        QVERIFY(client->isConnected());
        QCOMPARE(waitFor(client->call("get_units")).toString(), QStringLiteral("mm"));
        QCOMPARE(waitFor(client->call("in_limits", {12.0})).toBool(), false);
        QCOMPARE(waitFor(client->call("set_position", {4.0})), QVariant());
        QCOMPARE(waitFor(client->call("get_destination")).toDouble(), 4.0);
        QCOMPARE(errorOf(client->call("set_position", {42.0})),
            QStringLiteral("stage: 42 is outside the limits [0, 10]"));
        // Pipelined: the next requests arrive while the earlier answers are still trickling.
        auto first = client->call("in_limits", {5.0});
        auto second = client->call("get_limits");
        auto third = client->call("get_state");
        QCOMPARE(waitFor(std::move(first)).toBool(), true);
        QCOMPARE(waitFor(std::move(second)), QVariant(QVariantList{0.0, 10.0}));
        QVERIFY(waitFor(std::move(third)).toString().contains("destination = 4.0"));

        TrickleProxy panelProxy(lab.port("panel"), frames);
        auto panel = connected(panelProxy.port());
        QCOMPARE(waitFor(panel->call("set_output", {"led", true})), QVariant());
        QCOMPARE(waitFor(panel->call("get_output", {"led"})).toBool(), true);
        // An argument of 4 kB (the test panel answers for any line name).
        QCOMPARE(
            waitFor(panel->call("get_output", {QString(4000, QLatin1Char('x'))})).toBool(), true);

        TrickleProxy spectrumProxy(lab.port("spectrometer"), frames);
        auto spectrometer = connected(spectrumProxy.port());
        QCOMPARE(waitFor(spectrometer->call("measure", {false})).toInt(), 0);
        QCOMPARE(waitFor(spectrometer->call("get_measured")).toMap().value("spectrum"),
            QVariant(QVariantList{1.0, 2.5, -3.0, 0.0}));
        // The relay did split them: far more bytes went through than turns would carry whole.
        QVERIFY(stageProxy.bytesUp() > 100);
        QVERIFY(stageProxy.bytesDown() > 1000);
    }

    void requestsSplitIntoSingleBytesAreAnsweredInOrder_data()
    {
        everyMessageSplitIntoSingleBytesIsAnswered_data();
    }

    // Requests a raw client writes together, unknown ones among them, reaching the server one
    // byte at a time: each answered in order, the unknown one with an error.
    void requestsSplitIntoSingleBytesAreAnsweredInOrder()
    {
        QFETCH(TrickleProxy::Frames, frames);
        Lab lab = makeLab();
        const quint16 port = lab.port("stage");
        auto good = connected(port);
        const ProtocolDocument &document = *good->document();
        TrickleProxy proxy(port, frames);
        RawClient raw(proxy.port());
        QByteArray bytes = handshakes(document);
        MessageSchema unknown{{.name = "warp"},
            {{"speed", &SchemaSet::primitive(Schema::Type::Double), {}}},
            &SchemaSet::primitive(Schema::Type::Null)};
        appendCallRequest(bytes, *document.message("in_limits"), {3.5});
        appendCallRequest(bytes, unknown, {9.0});
        appendCallRequest(bytes, *document.message("set_position"), {2.0});
        appendCallRequest(bytes, *document.message("get_units"), {});
        appendCallRequest(bytes, *document.message("in_limits"), {-1.0});
        raw.socket.write(bytes);
        ClientDecoder decoder;
        decoder.expect(*handshakeOnlyMessage().response, ClientDecoder::WithHandshake::Yes);
        decoder.expect(*handshakeOnlyMessage().response, ClientDecoder::WithHandshake::Yes);
        decoder.expect(*document.message("in_limits")->response);
        decoder.expect(SchemaSet::primitive(Schema::Type::Null));
        decoder.expect(*document.message("set_position")->response);
        decoder.expect(*document.message("get_units")->response);
        decoder.expect(*document.message("in_limits")->response);
        // Awaited in an event loop: qWaitFor would sleep between turns, and the relay passes a
        // byte per turn.
        std::vector<CallResponse> responses;
        waitFor([&]() -> QCoro::Task<> {
            for (;;) {
                decoder.feed(raw.socket.readAll());
                while (auto response = decoder.next())
                    responses.push_back(*response);
                if (responses.size() == 7
                    || !co_await qCoro(&raw.socket, &QTcpSocket::readyRead, 10s))
                    co_return;
            }
        }());
        QCOMPARE(responses.size(), size_t(7));
        QCOMPARE(responses[2].value.toBool(), true);
        QCOMPARE(
            responses[3].error.value_or("(none)"), QStringLiteral("stage has no message warp"));
        QVERIFY(!responses[4].error);
        QCOMPARE(responses[5].value.toString(), QStringLiteral("mm"));
        QCOMPARE(responses[6].value.toBool(), false);
        QCOMPARE(lab.host->device("stage")->values().value("destination").toDouble(), 2.0);
        QVERIFY(proxy.bytesUp() >= bytes.size());
    }

    void shutdownWithRestartRestartsTheDevice()
    {
        Lab lab = makeLab();
        QSignalSpy started(lab.host.get(), &DeviceHost::deviceStarted);
        auto client = connected(lab.port("stage"));
        QSignalSpy closed(client.get(), &Client::disconnected);
        QCOMPARE(waitFor(client->call("shutdown", {true})), QVariant());
        QTRY_COMPARE(closed.count(), 1); // yaq: answered, then the connection closes
        QTRY_COMPARE(started.count(), 1);
        QCOMPARE(started.first().first().toString(), QStringLiteral("stage"));
        auto again = connected(lab.port("stage")); // still served
        QCOMPARE(waitFor(again->call("get_position")).toDouble(), 0.0);
    }

    void shutdownWithoutRestartEndsTheDaemon()
    {
        Lab lab = makeLab();
        DeviceServer *server = lab.servers.front().get();
        QSignalSpy shutDown(server, &DeviceServer::shutDown);
        auto client = connected(server->port());
        QCOMPARE(waitFor(client->call("shutdown")), QVariant());
        QTRY_COMPARE(shutDown.count(), 1);
        QVERIFY(!lab.host->device("stage"));
        Client late;
        bool refused = false;
        waitFor([&]() -> QCoro::Task<> {
            try {
                co_await late.connectTo("127.0.0.1", server->port());
            } catch (const Io::LinkDown &) {
                refused = true;
            }
        }());
        QVERIFY(refused);
    }

    // Requests no yaq client sends: each answered with an error or the connection closed, and
    // the server, the device and other clients carry on.
    void badRequestsAreAnsweredOrDropped()
    {
        Lab lab = makeLab();
        const quint16 port = lab.port("stage");
        auto good = connected(port);
        const ProtocolDocument &document = *good->document();

        // An unknown name: an error reply, and the connection goes on.
        {
            RawClient raw(port);
            QByteArray bytes = handshakes(document);
            MessageSchema unknown{{.name = "warp"}, {}, &SchemaSet::primitive(Schema::Type::Null)};
            appendCallRequest(bytes, unknown, {});
            appendCallRequest(bytes, *document.message("get_units"), {});
            raw.socket.write(bytes);
            ClientDecoder decoder;
            decoder.expect(*handshakeOnlyMessage().response, ClientDecoder::WithHandshake::Yes);
            decoder.expect(*handshakeOnlyMessage().response, ClientDecoder::WithHandshake::Yes);
            decoder.expect(SchemaSet::primitive(Schema::Type::Null));
            decoder.expect(*document.message("get_units")->response);
            std::vector<CallResponse> responses;
            QVERIFY(QTest::qWaitFor([&] {
                if (raw.socket.bytesAvailable())
                    decoder.feed(raw.socket.readAll());
                while (auto response = decoder.next())
                    responses.push_back(*response);
                return responses.size() == 4;
            }));
            QCOMPARE(
                responses[2].error.value_or("(none)"), QStringLiteral("stage has no message warp"));
            QCOMPARE(responses[3].value.toString(), QStringLiteral("mm"));
        }
        // A wrong argument type: the device's refusal.
        {
            RawClient raw(port);
            QByteArray bytes = handshakes(document);
            MessageSchema lying{{.name = "set_position"},
                {{"position", &SchemaSet::primitive(Schema::Type::String), {}}},
                &SchemaSet::primitive(Schema::Type::Null)};
            appendCallRequest(bytes, lying, {"five"});
            raw.socket.write(bytes);
            // The server decodes a double from the string's bytes or finds them malformed:
            // either way it must not crash, and the stage must not move to garbage.
            QTest::qWait(100);
            QCOMPARE(lab.host->device("stage")->values().value("destination").toDouble(), 0.0);
        }
        // Garbage, then an absurd frame length: closed.
        for (const QByteArray &junk :
            {QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), QByteArray::fromHex("7fffffff00")}) {
            RawClient raw(port);
            raw.socket.write(junk);
            QVERIFY(raw.closedWithin(3s));
        }
        QCOMPARE(waitFor(good->call("get_units")).toString(), QStringLiteral("mm"));
    }

    // A client that sends requests and never reads the answers is closed once they pile up;
    // another client is served all along.
    void aClientThatDoesNotReadIsClosed()
    {
        DeviceServer::Options options;
        options.maxUnsentBytes = 64 * 1024;
        Lab lab = makeLab(options);
        const quint16 port = lab.port("stage");
        auto good = connected(port);
        RawClient raw(port);
        raw.socket.setReadBufferSize(1); // the kernel's buffers fill, then ours
        QByteArray bytes = handshakes(*good->document());
        for (int i = 0; i < 2000; ++i)
            appendCallRequest(bytes, *good->document()->message("get_state"), {});
        bool closed = false;
        for (int round = 0; round < 200 && !closed; ++round) {
            raw.socket.write(bytes);
            QCOMPARE(waitFor(good->call("get_units")).toString(), QStringLiteral("mm"));
            closed = raw.socket.state() == QAbstractSocket::UnconnectedState;
        }
        QVERIFY(closed);
    }

    void aLostDaemonFailsWaitingCallsAndSaysWhy()
    {
        Lab lab = makeLab();
        auto client = connected(lab.port("stage"));
        QSignalSpy closed(client.get(), &Client::disconnected);
        lab.servers.clear(); // the daemon goes away (its connections close with it)
        QTRY_COMPARE(closed.count(), 1);
        QVERIFY(!client->isConnected());
        const QString error = errorOf(client->call("get_position"));
        QVERIFY2(error.contains("not connected"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestYaqLoopback)
#include "tst_yaqloopback.moc"
