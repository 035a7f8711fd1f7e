// SPDX-License-Identifier: MIT
// The scpi-instrument driver against the SCPI simulator of tests/peers (scpi_tcp.py): a bench
// multimeter and a power supply on real TCP sockets, with slow, garbled, cut and dropped replies,
// error-queue entries, and the instrument switched off and on again.
#include "peerprocess.h"
#include "scpitestsupport.h"

#include <device/awaitables.h>
#include <device/dispatch.h>
#include <io/transport.h>
#include <scpisupply.h>

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace std::chrono_literals;
using namespace Benchtop;
using namespace Benchtop::ScpiTest;
using Benchtop::Scpi::ScpiInstrument;
using Benchtop::Scpi::ScpiSupply;

namespace {
const QString kDmmChannels = QStringLiteral("channels");

QVariantMap dmmConfig(const QString &port, const QVariantMap &more = {})
{
    QVariantMap config{{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("tcp_port"), port.toLongLong()}, {QStringLiteral("poll_ms"), 0LL},
        {QStringLiteral("timeout_ms"), 1000LL}, {QStringLiteral("reconnect_min_ms"), 50LL},
        {QStringLiteral("reconnect_max_ms"), 200LL},
        {kDmmChannels,
            QVariantMap{{QStringLiteral("voltage"), QStringLiteral("MEAS:VOLT:DC?")},
                {QStringLiteral("current"), QStringLiteral("MEAS:CURR:DC?")}}},
        {QStringLiteral("units"),
            QVariantMap{{QStringLiteral("voltage"), QStringLiteral("V")},
                {QStringLiteral("current"), QStringLiteral("A")}}}};
    for (auto it = more.begin(); it != more.end(); ++it)
        config.insert(it.key(), it.value());
    return config;
}

/// One measurement, waited for.
QVariantMap measured(Device &device)
{
    return Test::waitFor(Benchtop::measureOnce(device));
}
} // namespace

class TestScpiInstrument : public QObject {
    Q_OBJECT

    Test::PeerProcess m_peer;
    QString m_port;

    void startPeer(const char *model, const QStringList &more = {})
    {
        m_port = m_peer.start(QStringLiteral("scpi_tcp.py"),
            QStringList{QStringLiteral("--model"), QLatin1String(model)} + more);
        QVERIFY2(!m_port.isEmpty(), qPrintable(m_peer.error()));
    }
    /// Sends a command through the device itself (its own message `write`), so that a fault
    /// injected with SIM:… reaches the peer before the device's next query.
    void inject(ScpiInstrument &device, const char *command)
    {
        invoke(device, QStringLiteral("write"), {QLatin1String(command)});
    }
    void waitConnected(ScpiInstrument &device)
    {
        QTRY_VERIFY_WITH_TIMEOUT(device.link() == LinkState::Connected, 15000);
    }

private Q_SLOTS:
    void init()
    {
        Test::failOnQtWarnings();
        // Discarded bytes and failed polls are logged as warnings; the tests check their effects.
        QLoggingCategory::setFilterRules(
            QStringLiteral("benchtop.io.warning=false\nbenchtop.scpi.warning=false\n"
                           "benchtop.device.call.warning=false"));
    }
    void cleanup() { m_peer.kill(); }

    void identityAndMeasurement()
    {
        startPeer("dmm");
        auto dmm = startInstrument(dmmConfig(m_port));
        waitConnected(*dmm);
        QCOMPARE(dmm->values().value(QStringLiteral("identity")).toString(),
            QStringLiteral("BENCHTOP SIM-DMM34401, serial DMM0001, firmware 1.2.3"));
        QCOMPARE(
            dmm->id().value(QStringLiteral("model")).toString(), QStringLiteral("SIM-DMM34401"));
        QCOMPARE(dmm->traits(),
            (QStringList{QStringLiteral("is-daemon"), QStringLiteral("is-sensor"),
                QStringLiteral("has-measure-trigger"), QStringLiteral("is-stoppable")}));
        QCOMPARE(
            dmm->channelUnits().value(QStringLiteral("voltage")).toString(), QStringLiteral("V"));
        const QVariantMap first = measured(*dmm);
        QCOMPARE(first.value(QStringLiteral("voltage")).toDouble(), 1.2345);
        QCOMPARE(first.value(QStringLiteral("current")).toDouble(), 0.012);
        QCOMPARE(first.value(QStringLiteral("measurement_id")).toInt(), 0);
        // The world changes; the next measurement sees it, with the next id.
        inject(*dmm, "SIM:SET volt_dc 2.5");
        const QVariantMap second = measured(*dmm);
        QCOMPARE(second.value(QStringLiteral("voltage")).toDouble(), 2.5);
        QCOMPARE(second.value(QStringLiteral("measurement_id")).toInt(), 1);
        QCOMPARE(dmm->measurementId(), 1);
    }

    void aLoopMeasuresUntilStopped()
    {
        startPeer("dmm");
        auto dmm = startInstrument(dmmConfig(m_port));
        waitConnected(*dmm);
        dmm->measure(true);
        QVERIFY(dmm->busy());
        QTRY_VERIFY_WITH_TIMEOUT(dmm->measurementId() >= 5, 10000);
        dmm->stopLooping();
        QTRY_VERIFY(!dmm->busy());
        const int last = dmm->measurementId();
        QTest::qWait(100);
        QCOMPARE(dmm->measurementId(), last);
        QCOMPARE(measured(*dmm).value(QStringLiteral("voltage")).toDouble(), 1.2345);
    }

    // The lab table's loop_interval_ms is the loop's interval (get_loop_interval, in seconds);
    // a negative one is refused by the lab checker and by create(), in the same words.
    void theLoopIntervalComesFromTheLabTable()
    {
        startPeer("dmm");
        auto dmm
            = startInstrument(dmmConfig(m_port, {{QStringLiteral("loop_interval_ms"), 250LL}}));
        waitConnected(*dmm);
        QCOMPARE(invoke(*dmm, QStringLiteral("get_loop_interval")).toDouble(), 0.25);
        QCOMPARE(dmm->loopInterval(), 250ms);

        const QVariantMap negative = config({{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
            {kDmmChannels, QVariantMap{{QStringLiteral("v"), QStringLiteral("READ?")}}},
            {QStringLiteral("loop_interval_ms"), -5LL}});
        const QList<ConfigProblem> problems = Scpi::ScpiFactory().checkConfig(
            {QStringLiteral("dmm"), QStringLiteral("scpi-instrument"), negative});
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems[0].key, QStringLiteral("loop_interval_ms"));
        QVERIFY(problems[0].isError());
        QCOMPARE(problems[0].message,
            QStringLiteral("key \"loop_interval_ms\" must be between 0 and 86400000"));
        const QString refused = errorOf([&] {
            delete Scpi::ScpiFactory().create(
                {QStringLiteral("dmm"), QStringLiteral("scpi-instrument"), negative});
        });
        QCOMPARE(refused, QStringLiteral("device \"dmm\": ") + problems[0].message);
    }

    // Each bad reply fails that measurement (said in `error` and by measureOnce), never the
    // device, and the measurement after it gets its own, correct reply.
    void badRepliesFailOneMeasurementAndTheNextIsInStep_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("error");
        QTest::newRow("garbled") << "SIM:GARBLE"
                                 << "is not text: \"\\xff\\xfe\\x80garbage\"";
        QTest::newRow("no terminator") << "SIM:NOTERM"
                                       << "incomplete after 300 ms (no terminator)";
        QTest::newRow("silent") << "SIM:SILENT"
                                << "no reply to \"MEAS:CURR:DC?\" within 300 ms";
        QTest::newRow("too long") << "SIM:LONG 5000"
                                  << "is longer than 1000 bytes";
        QTest::newRow("late") << "SIM:DELAY 600"
                              << "no reply to \"MEAS:CURR:DC?\" within 300 ms";
    }
    void badRepliesFailOneMeasurementAndTheNextIsInStep()
    {
        QFETCH(QString, fault);
        QFETCH(QString, error);
        startPeer("dmm");
        // No error queue: the injected fault must hit the measurement's first query.
        auto dmm = startInstrument(dmmConfig(m_port,
            {{QStringLiteral("error_query"), QString()}, {QStringLiteral("timeout_ms"), 300LL},
                {QStringLiteral("max_reply_bytes"), 1000LL},
                {QStringLiteral("settle_ms"), 400LL}}));
        waitConnected(*dmm);
        invoke(*dmm, QStringLiteral("write"), {fault});
        const QString failure = errorOf([&] { measured(*dmm); });
        QVERIFY2(failure.startsWith(QLatin1String("dmm: reply to \"MEAS:CURR:DC?\""))
                || failure.startsWith(QLatin1String("dmm: no reply")),
            qPrintable(failure));
        QVERIFY2(failure.contains(error), qPrintable(failure));
        QCOMPARE(dmm->values().value(QStringLiteral("error")).toString(), failure);
        QVERIFY(dmm->status() == DeviceStatus::Ready);
        invoke(*dmm, QStringLiteral("write"), {QStringLiteral("SIM:DELAY 0")});
        const QVariantMap next = measured(*dmm);
        QCOMPARE(next.value(QStringLiteral("voltage")).toDouble(), 1.2345);
        QCOMPARE(next.value(QStringLiteral("current")).toDouble(), 0.012);
        QCOMPARE(dmm->values().value(QStringLiteral("error")).toString(), QString());
    }

    void repliesSplitAcrossReadsAreWhole()
    {
        startPeer("dmm");
        auto dmm = startInstrument(dmmConfig(m_port));
        waitConnected(*dmm);
        inject(*dmm, "SIM:SPLIT 30");
        QCOMPARE(measured(*dmm).value(QStringLiteral("voltage")).toDouble(), 1.2345);
        QCOMPARE(measured(*dmm).value(QStringLiteral("current")).toDouble(), 0.012);
    }

    void aSupplyIsAPositionWithLimitsAndReadBack()
    {
        startPeer("psu");
        auto psu = startInstrument(
            {{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                {QStringLiteral("tcp_port"), m_port.toLongLong()}, {QStringLiteral("poll_ms"), 0LL},
                {QStringLiteral("setpoint_command"), QStringLiteral("VOLT {value}")},
                {QStringLiteral("setpoint_query"), QStringLiteral("VOLT?")},
                {QStringLiteral("setpoint_units"), QStringLiteral("V")},
                {QStringLiteral("limits"), QVariantList{0.0, 20.0}},
                {QStringLiteral("wait_opc"), true},
                {QStringLiteral("init_commands"),
                    QVariantList{QStringLiteral("*CLS"), QStringLiteral("OUTP ON")}},
                {kDmmChannels,
                    QVariantMap{{QStringLiteral("voltage"), QStringLiteral("MEAS:VOLT?")}}}},
            QStringLiteral("psu"));
        auto *supply = qobject_cast<ScpiSupply *>(psu.get());
        QVERIFY(supply);
        QVERIFY(psu->traits().contains(QStringLiteral("has-position")));
        QVERIFY(psu->traits().contains(QStringLiteral("has-limits")));
        waitConnected(*psu);
        QCOMPARE(supply->position(), 0.0); // read back at connection
        QCOMPARE(Test::waitFor(moveTo(*psu, 12.5)), 12.5);
        QCOMPARE(supply->destination(), 12.5);
        QCOMPARE(measured(*psu).value(QStringLiteral("voltage")).toDouble(), 12.5); // output on
        // Outside the configured limits: refused before anything is sent.
        QCOMPARE(errorOf([&] { supply->setPosition(25); }),
            QStringLiteral("psu: 25 is outside the limits [0, 20]"));
        QCOMPARE(supply->position(), 12.5);
    }

    // The instrument refuses a value (error queue): the call fails naming the instrument's
    // error, the error is kept in `instrument_errors`, and the read-back shows what it holds.
    void instrumentErrorsAreReportedAsDeviceErrors()
    {
        startPeer("psu");
        auto psu = startInstrument(
            {{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                {QStringLiteral("tcp_port"), m_port.toLongLong()}, {QStringLiteral("poll_ms"), 0LL},
                {QStringLiteral("setpoint_command"), QStringLiteral("VOLT {value}")},
                {QStringLiteral("setpoint_query"), QStringLiteral("VOLT?")}},
            QStringLiteral("psu"));
        waitConnected(*psu);
        Test::waitFor(moveTo(*psu, 5));
        const QString error = errorOf([&] { Test::waitFor(moveTo(*psu, 99)); });
        QCOMPARE(error,
            QStringLiteral("psu: the instrument reported an error after \"VOLT 99\": -222, \"Data "
                           "out of range\""));
        QCOMPARE(qobject_cast<ScpiSupply *>(psu.get())->position(), 5.0); // it kept the old value
        QCOMPARE(
            psu->values().value(QStringLiteral("instrument_errors")).toList().last().toString(),
            QStringLiteral("-222, \"Data out of range\" (after VOLT 99)"));
        // Entries pushed meanwhile are drained and reported with the next command.
        inject(*psu, "SIM:ERR -310,\"System error\"");
        QTRY_VERIFY(psu->values()
                        .value(QStringLiteral("error"))
                        .toString()
                        .contains(QLatin1String("-310")));
        QCOMPARE(Test::waitFor(moveTo(*psu, 6)), 6.0);
        QVERIFY(psu->status() == DeviceStatus::Ready);
    }

    void theInstrumentClosingTheConnectionIsADisconnectionAndAReconnection()
    {
        startPeer("dmm");
        auto dmm = startInstrument(dmmConfig(m_port));
        waitConnected(*dmm);
        inject(*dmm, "SIM:DROP");
        QTRY_VERIFY_WITH_TIMEOUT(dmm->link() != LinkState::Connected, 5000);
        waitConnected(*dmm);
        QCOMPARE(measured(*dmm).value(QStringLiteral("voltage")).toDouble(), 1.2345);
    }

    // Switched off mid-run: disconnected, calls fail at once with the reason, attempts go on;
    // switched on again (here as another instrument, so that the re-read identity is seen):
    // it reconnects by itself, re-reads the identity, and measures again.
    void switchedOffAndOnAgain()
    {
        startPeer("dmm");
        auto dmm = startInstrument(dmmConfig(m_port));
        waitConnected(*dmm);
        measured(*dmm);
        const QString port = m_port;
        m_peer.kill();
        QTRY_VERIFY_WITH_TIMEOUT(dmm->link() == LinkState::Disconnected, 10000);
        QElapsedTimer elapsed;
        elapsed.start();
        const QString error = errorOf([&] { invoke(*dmm, QStringLiteral("measure"), {false}); });
        QVERIFY(elapsed.elapsed() < 100); // at once, nothing queued
        QVERIFY2(error.startsWith(QLatin1String("dmm is disconnected (")), qPrintable(error));
        QVERIFY(!dmm->values().value(QStringLiteral("link_error")).toString().isEmpty());
        m_port = m_peer.start(QStringLiteral("scpi_tcp.py"),
            {QStringLiteral("--model"), QStringLiteral("psu"), QStringLiteral("--port"), port});
        QCOMPARE(m_port, port);
        waitConnected(*dmm);
        QCOMPARE(dmm->values().value(QStringLiteral("identity")).toString(),
            QStringLiteral("BENCHTOP SIM-PSU3303, serial PSU0001, firmware 2.0.1"));
        QCOMPARE(dmm->values().value(QStringLiteral("link_error")).toString(), QString());
        QCOMPARE(
            measured(*dmm).value(QStringLiteral("voltage")).toDouble(), 0.0); // psu, output off
    }

    // Replies that stop coming (a hung instrument): after timeouts_before_disconnect of them in
    // a row the link is dropped and reopened.
    void timeoutsInARowReconnect()
    {
        startPeer("dmm");
        auto dmm = startInstrument(dmmConfig(m_port,
            {{QStringLiteral("timeout_ms"), 150LL},
                {QStringLiteral("timeouts_before_disconnect"), 2LL},
                {QStringLiteral("error_query"), QString()}}));
        waitConnected(*dmm);
        auto *transport = &dmm->transport();
        QSignalSpy lost(transport, &Io::Transport::lost);
        inject(*dmm, "SIM:DELAY 2000");
        QVERIFY(!errorOf([&] { measured(*dmm); }).isEmpty()); // first query times out
        QVERIFY(!errorOf([&] { measured(*dmm); }).isEmpty()); // second: the link drops
        QTRY_COMPARE(lost.count(), 1);
        QCOMPARE(lost.at(0).at(0).toString(), QStringLiteral("2 replies in a row timed out"));
        // The instrument recovers; the device reconnects by itself.
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_port.toUShort());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("SIM:DELAY 0\n");
        QVERIFY(socket.waitForBytesWritten(5000));
        waitConnected(*dmm);
        QCOMPARE(measured(*dmm).value(QStringLiteral("voltage")).toDouble(), 1.2345);
    }

    void aBadIdentityIsAFailedConnection()
    {
        startPeer("dmm");
        auto dmm = startInstrument(dmmConfig(
            m_port, {{QStringLiteral("identity_query"), QStringLiteral("MEAS:VOLT:DC?")}}));
        QTRY_VERIFY_WITH_TIMEOUT(dmm->link() == LinkState::Disconnected, 10000);
        const QString reason = dmm->values().value(QStringLiteral("link_error")).toString();
        QVERIFY2(
            reason.startsWith(QLatin1String("dmm: reply to MEAS:VOLT:DC? is not an identity: ")),
            qPrintable(reason));
        QVERIFY2(reason.contains(QLatin1String("+1.23450000E+00")), qPrintable(reason));
    }

    void badTablesAreRefusedBeforeConnecting_data()
    {
        QTest::addColumn<QVariantMap>("overrides");
        QTest::addColumn<QString>("error");
        const QString host = QStringLiteral("host");
        const QString h = QStringLiteral("127.0.0.1");
        QTest::newRow("nothing to do")
            << QVariantMap{{host, h}}
            << "device \"dmm\": key \"channels\" is empty and there is no setpoint: give at least "
               "one channel (name = \"query?\") or setpoint_command and setpoint_query";
        QTest::newRow("units for no channel")
            << QVariantMap{{host, h},
                   {QStringLiteral("channels"),
                       QVariantMap{{QStringLiteral("v"), QStringLiteral("READ?")}}},
                   {QStringLiteral("units"),
                       QVariantMap{{QStringLiteral("w"), QStringLiteral("V")}}}}
            << "device \"dmm\": key \"units.w\" names no channel (channels: v)";
        QTest::newRow("template without value") << QVariantMap{{host, h},
            {QStringLiteral("setpoint_command"), QStringLiteral("VOLT 5")},
            {QStringLiteral("setpoint_query"), QStringLiteral("VOLT?")}}
                                                << "device \"dmm\": key \"setpoint_command\" ";
        QTest::newRow("query without command")
            << QVariantMap{{host, h}, {QStringLiteral("setpoint_query"), QStringLiteral("VOLT?")}}
            << "device \"dmm\": key \"setpoint_command\" is needed with setpoint_query (e.g. "
               "\"VOLT {value}\")";
        QTest::newRow("no host") << QVariantMap{{QStringLiteral("channels"),
            QVariantMap{{QStringLiteral("v"), QStringLiteral("READ?")}}}}
                                 << "device \"dmm\": key \"host\" is needed for transport \"tcp\"";
        QTest::newRow("channel with a line break") << QVariantMap{{host, h},
            {QStringLiteral("channels"),
                QVariantMap{{QStringLiteral("v"), QStringLiteral("READ?\n*RST")}}}}
                                                   << "device \"dmm\": key \"channels.v\" must be "
                                                      "one line of text without control characters";
    }
    void badTablesAreRefusedBeforeConnecting()
    {
        QFETCH(QVariantMap, overrides);
        QFETCH(QString, error);
        Scpi::ScpiFactory factory;
        const QString got = errorOf([&] {
            delete factory.create(
                {QStringLiteral("dmm"), QStringLiteral("scpi-instrument"), config(overrides)});
        });
        QVERIFY2(got.startsWith(error), qPrintable(got));
    }

    // What the lab checker asks (ScpiFactory::checkConfig): every problem of the table at once,
    // each about its key, in the words create() refuses it with.
    void checkConfigFindsEveryProblemAtOnce()
    {
        const QVariantMap table = config({{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
            {QStringLiteral("channels"),
                QVariantMap{{QStringLiteral("v"), QStringLiteral("READ?")},
                    {QStringLiteral("measurement_id"), QStringLiteral("X?")}}},
            {QStringLiteral("units"), QVariantMap{{QStringLiteral("w"), QStringLiteral("V")}}},
            {QStringLiteral("setpoint_query"), QStringLiteral("VOLT?")}});
        const QList<ConfigProblem> problems = Scpi::ScpiFactory().checkConfig(
            {QStringLiteral("dmm"), QStringLiteral("scpi-instrument"), table});
        QStringList lines;
        for (const ConfigProblem &problem : problems)
            lines << problem.key + ": " + problem.message;
        QCOMPARE(lines,
            (QStringList{QStringLiteral("channels.measurement_id: key \"channels.measurement_id\" "
                                        "is reserved (every measurement has its measurement_id)"),
                QStringLiteral("units.w: key \"units.w\" names no channel (channels: "
                               "measurement_id, v)"),
                QStringLiteral("setpoint_command: key \"setpoint_command\" is needed with "
                               "setpoint_query (e.g. \"VOLT {value}\")")}));
        const QString refused = errorOf([&] {
            delete Scpi::ScpiFactory().create(
                {QStringLiteral("dmm"), QStringLiteral("scpi-instrument"), table});
        });
        QCOMPARE(refused,
            QStringLiteral("device \"dmm\": ") + problems[0].message + QStringLiteral("; ")
                + problems[1].message + QStringLiteral("; ") + problems[2].message);
        QVERIFY(Scpi::ScpiFactory()
                    .checkConfig({QStringLiteral("dmm"), QStringLiteral("scpi-instrument"),
                        config({{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                            {QStringLiteral("channels"),
                                QVariantMap{{QStringLiteral("v"), QStringLiteral("READ?")}}}})})
                    .isEmpty());
    }

    // The link's rules (core's transport settings) are the lab checker's too: what create()
    // would refuse about the host, the serial port, a terminator or the reconnection is found
    // by checkConfig first, in the same words, every one at once.
    void checkConfigFindsTheLinksProblemsAsCreateDoes()
    {
        const QVariantMap channels{{QStringLiteral("v"), QStringLiteral("READ?")}};
        const QVariantMap table = config({{QStringLiteral("channels"), channels},
            {QStringLiteral("write_terminator"), QStringLiteral("\\x4")},
            {QStringLiteral("read_terminator"), QStringLiteral("\\q")},
            {QStringLiteral("reconnect_min_ms"), 5000LL},
            {QStringLiteral("reconnect_max_ms"), 1000LL}});
        const QList<ConfigProblem> problems = Scpi::ScpiFactory().checkConfig(
            {QStringLiteral("dmm"), QStringLiteral("scpi-instrument"), table});
        QStringList lines;
        for (const ConfigProblem &problem : problems)
            lines << problem.key + ": " + problem.message;
        QCOMPARE(lines,
            (QStringList{QStringLiteral("host: key \"host\" is needed for transport \"tcp\""),
                QStringLiteral("write_terminator: key \"write_terminator\" has a bad \\x escape "
                               "(two hex digits expected)"),
                QStringLiteral("read_terminator: key \"read_terminator\" has an unknown escape "
                               "\\q (known: \\n \\r \\t \\\\ \\xHH)"),
                QStringLiteral("reconnect_max_ms: key \"reconnect_max_ms\" must not be less "
                               "than reconnect_min_ms")}));
        // create() refuses the first of them with the same words.
        QCOMPARE(errorOf([&] {
            delete Scpi::ScpiFactory().create(
                {QStringLiteral("dmm"), QStringLiteral("scpi-instrument"), table});
        }),
            QStringLiteral("device \"dmm\": ") + problems[0].message);
        QVariantMap serial = config({{QStringLiteral("channels"), channels},
            {QStringLiteral("transport"), QStringLiteral("serial")}});
        const QList<ConfigProblem> serialProblems = Scpi::ScpiFactory().checkConfig(
            {QStringLiteral("dmm"), QStringLiteral("scpi-instrument"), serial});
        QCOMPARE(serialProblems.size(), 1);
        QCOMPARE(serialProblems[0].key, QStringLiteral("serial_port"));
        QCOMPARE(errorOf([&] {
            delete Scpi::ScpiFactory().create(
                {QStringLiteral("dmm"), QStringLiteral("scpi-instrument"), serial});
        }),
            QStringLiteral("device \"dmm\": ") + serialProblems[0].message);
    }
};

QTEST_GUILESS_MAIN(TestScpiInstrument)
#include "tst_scpiinstrument.moc"
