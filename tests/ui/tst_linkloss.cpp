// SPDX-License-Identifier: MIT
// An instrument's link lost, as the window shows it (issue 18 item 8): a measurement loop that
// ends because the link dropped says so in the log and in the panel, and while the device
// reconnects its panel counts down to the next attempt. Against the SCPI simulator of
// tests/peers and a closed loopback port.
#include "peerprocess.h"
#include "windowtestsupport.h"

#include "devicepage.h"
#include "log/eventlog.h"
#include "mainwindow.h"
#include "panels/devicepanel.h"

#include <device/traits.h>
#include <host/devicehandle.h>

#include <QLabel>
#include <QLoggingCategory>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QTcpServer>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::UiTest;
using Benchtop::Ui::MainWindow;

namespace {

QByteArray dmmLab(const QString &port, const QByteArray &more = {})
{
    return "[dmm]\n"
           "driver = \"scpi-instrument\"\n"
           "host = \"127.0.0.1\"\n"
           "tcp_port = "
        + port.toUtf8()
        + "\n"
          "poll_ms = 0\n"
          "timeout_ms = 1000\n"
          "connect_timeout_ms = 1000\n"
          "channels = { voltage = \"MEAS:VOLT:DC?\" }\n"
          "units = { voltage = \"V\" }\n"
        + more;
}

bool logHas(
    MainWindow &window, Ui::EventLog::Category category, const QString &device, const QString &text)
{
    Ui::EventLog *log = window.log();
    for (int row = 0; row < log->rowCount(); ++row) {
        const Ui::EventLog::Entry &entry = log->entry(row);
        if (entry.category == category && entry.device == device && entry.message.contains(text))
            return true;
    }
    return false;
}

/// A loopback port nothing listens on (taken, then given back).
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

/// The attempt and the seconds the status line counts down to, or {0, -1} when it shows none.
std::pair<int, double> countdownIn(const QString &status)
{
    static const QRegularExpression shown(
        QStringLiteral(R"(reconnecting \(attempt (\d+), next in (\d+\.\d) s\))"));
    const QRegularExpressionMatch match = shown.match(status);
    if (!match.hasMatch())
        return {0, -1.0};
    return {match.captured(1).toInt(), match.captured(2).toDouble()};
}

} // namespace

class TestLinkLoss : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        failOnQtWarnings();
        // The driver logs the loss, the failed reading and each failed attempt as warnings:
        // expected here; the tests check what the window says of them.
        QLoggingCategory::setFilterRules(
            QStringLiteral("benchtop.io.warning=false\nbenchtop.scpi.warning=false\n"
                           "benchtop.device.call.warning=false"));
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void aLoopEndedByTheLostLinkIsSaidInTheLogAndThePanel()
    {
        PeerProcess peer;
        const QString port = peer.start(
            QStringLiteral("scpi_tcp.py"), {QStringLiteral("--model"), QStringLiteral("dmm")});
        QVERIFY2(!port.isEmpty(), qPrintable(peer.error()));
        // A long wait before reconnecting: the loop's end is seen with the link still down.
        WindowFixture fixture(dmmLab(port, "reconnect_min_ms = 30000\nreconnect_max_ms = 60000\n"));
        QVERIFY(fixture.registry.addFile(QStringLiteral(BENCHTOP_SCPI_PLUGIN_FILE)));
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        DeviceHandle *dmm = fixture.session->handle(QStringLiteral("dmm"));
        QVERIFY(dmm);
        QTRY_VERIFY_WITH_TIMEOUT(dmm->snapshot().link == LinkState::Connected, 15000);
        Ui::DevicePage *page = window.openPanel(QStringLiteral("dmm"));
        QVERIFY(page);
        auto *panel = page->findChild<Ui::DevicePanel *>();
        QVERIFY(panel);
        // The sections follow the device's description, which may come after the tab opened.
        QPushButton *loop = nullptr;
        QLabel *ended = nullptr;
        QTRY_VERIFY((loop = panel->findChild<QPushButton *>(QStringLiteral("loopButton")))
            && (ended = panel->findChild<QLabel *>(QStringLiteral("loopEndedLabel"))));
        QVERIFY(ended->isHidden());

        QTRY_VERIFY(loop->isVisible() && loop->isEnabled()); // shown, and the device takes calls
        QTest::mouseClick(loop, Qt::LeftButton);
        QVERIFY(loop->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(
            dmm->snapshot().values.value(StateKey::MeasurementId).toInt() >= 3, 10000);
        peer.kill(); // the instrument switched off mid-loop

        QTRY_VERIFY_WITH_TIMEOUT(
            logHas(window, Ui::EventLog::Category::Fault, QStringLiteral("dmm"),
                QStringLiteral("loop ended: link to dmm lost (")),
            10000);
        QTRY_VERIFY(ended->isVisible());
        QVERIFY2(ended->text().startsWith(QLatin1String("loop ended: link to dmm lost (")),
            qPrintable(ended->text()));
        QTRY_VERIFY(!loop->isChecked()); // the Loop toggle follows the device
        // One entry for one loop, however many snapshots follow.
        QTest::qWait(300);
        int said = 0;
        for (int row = 0; row < window.log()->rowCount(); ++row)
            said += window.log()->entry(row).message.startsWith(QLatin1String("loop ended"));
        QCOMPARE(said, 1);
    }

    void reconnectingCountsDownToTheNextAttempt()
    {
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        // Waits of 1.5 s, then 3 s (each ±20%: the backoff's jitter), up to 60 s.
        WindowFixture fixture(
            dmmLab(QString::number(port), "reconnect_min_ms = 1500\nreconnect_max_ms = 60000\n"));
        QVERIFY(fixture.registry.addFile(QStringLiteral(BENCHTOP_SCPI_PLUGIN_FILE)));
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        DeviceHandle *dmm = fixture.session->handle(QStringLiteral("dmm"));
        QVERIFY(dmm);
        Ui::DevicePage *page = window.openPanel(QStringLiteral("dmm"));
        QVERIFY(page);
        auto *panel = page->findChild<Ui::DevicePanel *>();
        QVERIFY(panel);
        auto *status = panel->findChild<QLabel *>(QStringLiteral("statusLabel"));
        QVERIFY(status);

        for (const int attempt : {1, 2}) {
            QTRY_VERIFY_WITH_TIMEOUT(countdownIn(status->text()).first == attempt, 10000);
            const double wait = dmm->snapshot().values.value(StateKey::ReconnectWait).toDouble();
            const double first = 1.5 * (attempt == 1 ? 1 : 2);
            QVERIFY2(wait >= first * 0.8 - 0.001 && wait <= first * 1.2 + 0.001,
                qPrintable(QString::number(wait)));
            const double shown = countdownIn(status->text()).second;
            QVERIFY2(shown <= wait + 0.05, qPrintable(status->text()));
            QVERIFY2(status->text().startsWith(QLatin1String("disconnected: ")),
                qPrintable(status->text()));
            // It counts down.
            QTRY_VERIFY(countdownIn(status->text()).first != attempt
                || countdownIn(status->text()).second < shown);
        }
    }
};

QTEST_MAIN(TestLinkLoss)
#include "tst_linkloss.moc"
