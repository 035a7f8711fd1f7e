// SPDX-License-Identifier: MIT
// The scpi-instrument driver on a serial line without hardware: socat makes a pseudo-terminal
// pair, the SCPI responder of tests/peers answers on one end (serial_pair.py --responder), the
// driver opens the other. Replies garbled, split across reads, without terminator and late;
// then the cable pulled and plugged back in.
#include "peerprocess.h"
#include "scpitestsupport.h"

#include <device/awaitables.h>
#include <device/dispatch.h>
#include <lab/labcheck.h>
#include <lab/labfile.h>
#include <plugins/driverinfo.h>

#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::ScpiTest;

namespace {
QVariantMap measured(Device &device)
{
    return Test::waitFor(Benchtop::measureOnce(device));
}

/// `text` checked as the lab loader and `benchtop --check` check it: scpi.json's schemas, then
/// the driver's own rules; every problem, one per line.
QStringList labProblems(const QByteArray &text)
{
    LabParseResult parsed = parseLabText(text, QStringLiteral("lab.toml"));
    QStringList problems;
    for (const LabError &error : std::as_const(parsed.errors))
        problems << error.toString();
    QString error;
    const std::optional<PluginInfo> plugin = parsePluginMetadata(metadata(), &error);
    if (!plugin)
        return {error};
    Scpi::ScpiFactory factory;
    const QList<LabError> errors = checkLab(parsed.lab,
        LabDrivers(plugin->drivers,
            [&factory](const DeviceSettings &settings) { return factory.checkConfig(settings); }));
    for (const LabError &labError : errors)
        problems << labError.toString();
    return problems;
}
} // namespace

class TestScpiSerial : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    Test::PeerProcess m_pair;

    void startPair()
    {
        const QString ready = m_pair.start(QStringLiteral("serial_pair.py"),
            {m_dir.path(), QStringLiteral("--responder"), QStringLiteral("dmm")});
        QVERIFY2(ready == m_dir.path(), qPrintable(m_pair.error()));
    }
    Test::DevicePtr<Scpi::ScpiInstrument> startDmm()
    {
        return startInstrument({{QStringLiteral("transport"), QStringLiteral("serial")},
            {QStringLiteral("serial_port"), m_dir.filePath(QStringLiteral("ttyA"))},
            {QStringLiteral("baud"), 115200LL}, {QStringLiteral("poll_ms"), 0LL},
            {QStringLiteral("timeout_ms"), 300LL}, {QStringLiteral("settle_ms"), 400LL},
            {QStringLiteral("error_query"), QString()}, // faults must hit the measurement
            {QStringLiteral("reconnect_min_ms"), 50LL}, {QStringLiteral("reconnect_max_ms"), 200LL},
            {QStringLiteral("channels"),
                QVariantMap{{QStringLiteral("voltage"), QStringLiteral("MEAS:VOLT:DC?")}}}});
    }
    static void waitConnected(const Device &device)
    {
        QTRY_VERIFY_WITH_TIMEOUT(device.link() == LinkState::Connected, 15000);
    }

private Q_SLOTS:
    void init()
    {
        Test::failOnQtWarnings();
        QLoggingCategory::setFilterRules(
            QStringLiteral("benchtop.io.warning=false\nbenchtop.scpi.warning=false\n"
                           "benchtop.device.call.warning=false"));
        QVERIFY(m_dir.isValid());
    }
    void cleanup() { m_pair.terminate(); }

    // A serial instrument that is also served over yaq (`port`) has no TCP port of its own to
    // be confused with: it needs no `tcp_port`. A TCP one given `port` alone is still taken for
    // a lab from before `port` was the yaq port, and refused.
    void aServedSerialInstrumentNeedsNoTcpPort()
    {
        QCOMPARE(labProblems(R"([dmm]
driver = "scpi-instrument"
port = 38000
transport = "serial"
serial_port = "/dev/ttyUSB0"
channels = { voltage = "MEAS:VOLT:DC?" }
)")
                     .join(QLatin1Char('\n')),
            QString());
        const QStringList tcp = labProblems(R"([dmm]
driver = "scpi-instrument"
port = 5025
host = "192.168.1.20"
channels = { voltage = "MEAS:VOLT:DC?" }
)");
        QCOMPARE(tcp.size(), 1);
        QVERIFY2(tcp.first().contains(QLatin1String("tcp_port = 5025")), qPrintable(tcp.first()));
    }

    void identityAndMeasurementOverSerial()
    {
        startPair();
        auto dmm = startDmm();
        waitConnected(*dmm);
        QCOMPARE(dmm->values().value(QStringLiteral("identity")).toString(),
            QStringLiteral("BENCHTOP SIM-DMM34401, serial DMM0001, firmware 1.2.3"));
        QCOMPARE(measured(*dmm).value(QStringLiteral("voltage")).toDouble(), 1.2345);
    }

    void faultyRepliesAndTheNextOneInStep_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("error"); // "" when the measurement must still succeed
        QTest::newRow("split across reads") << "SIM:SPLIT 40"
                                            << "";
        QTest::newRow("garbled") << "SIM:GARBLE"
                                 << "is not text";
        QTest::newRow("no terminator") << "SIM:NOTERM"
                                       << "(no terminator)";
        QTest::newRow("late") << "SIM:DELAY 500"
                              << "no reply to \"MEAS:VOLT:DC?\" within 300 ms";
    }
    void faultyRepliesAndTheNextOneInStep()
    {
        QFETCH(QString, fault);
        QFETCH(QString, error);
        startPair();
        auto dmm = startDmm();
        waitConnected(*dmm);
        invoke(*dmm, QStringLiteral("write"), {fault});
        if (error.isEmpty()) {
            QCOMPARE(measured(*dmm).value(QStringLiteral("voltage")).toDouble(), 1.2345);
        } else {
            const QString failure = errorOf([&] { measured(*dmm); });
            QVERIFY2(failure.contains(error), qPrintable(failure));
        }
        invoke(*dmm, QStringLiteral("write"), {QStringLiteral("SIM:DELAY 0")});
        invoke(*dmm, QStringLiteral("write"), {QStringLiteral("SIM:SPLIT 0")});
        QCOMPARE(measured(*dmm).value(QStringLiteral("voltage")).toDouble(), 1.2345);
        QCOMPARE(measured(*dmm).value(QStringLiteral("measurement_id")).toInt(),
            error.isEmpty() ? 2 : 1);
    }

    // The USB-serial adapter pulled out and plugged back in: the port goes away under the
    // driver, which shows it, fails calls at once, and reopens the port once it is back.
    void theCablePulledAndPluggedBackIn()
    {
        startPair();
        auto dmm = startDmm();
        waitConnected(*dmm);
        m_pair.terminate(); // socat ends: the pty the driver holds is gone
        QTRY_VERIFY_WITH_TIMEOUT(dmm->link() != LinkState::Connected, 10000);
        QVERIFY2(errorOf([&] {
            invoke(*dmm, QStringLiteral("measure"), {false});
        }).startsWith(QLatin1String("dmm is ")),
            qPrintable(errorOf([&] { invoke(*dmm, QStringLiteral("measure"), {false}); })));
        startPair();
        waitConnected(*dmm);
        QCOMPARE(measured(*dmm).value(QStringLiteral("voltage")).toDouble(), 1.2345);
    }
};

QTEST_GUILESS_MAIN(TestScpiSerial)
#include "tst_scpiserial.moc"
