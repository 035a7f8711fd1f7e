// SPDX-License-Identifier: MIT
// Connect to yaq daemon…: the scanner against real yaq daemons served in-process (Benchtop's
// DeviceServer over test devices, on ports of yaq's range found free) and peers that are not yaq
// daemons; the dialog clicked through as a person would, adding to a fake lab and, from the
// window's menu, to a real session with the yaq plugin.
#include "testdevices.h"
#include "windowclicks.h"
#include "windowtestsupport.h"

#include "dialogs/yaqconnectdialog.h"
#include "dialogs/yaqscanner.h"
#include "mainwindow.h"

#include <device/deviceerror.h>
#include <host/devicehandle.h>
#include <host/devicehost.h>
#include <host/devicethread.h>
#include <yaq/server/deviceserver.h>

#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::Ui;
using Benchtop::UiTest::clickMenuAction;
using namespace std::chrono_literals;

namespace {

constexpr int kWindow = 10; ///< ports scanned by most tests

bool portIsFree(quint16 port)
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, port);
}

/// Two yaq daemons (a stage and a sensor of a DeviceHost) and two peers that are not: one
/// answers the handshake with bytes that are not yaq, one never answers; on ports of a window of
/// yaq's range that was free:
///   first+0 free · +2 stage · +5 meter · +7 garbage · +8 silent · the others free.
/// The daemons run on this thread, or on a thread of their own (as another process's would, they
/// then answer while this thread waits, e.g. for a lab to close).
struct Daemons {
    enum Where { ThisThread, OwnThread };

    std::unique_ptr<DeviceHost> ownHost;
    std::vector<std::unique_ptr<Yaq::DeviceServer>> ownServers;
    DeviceThread thread;
    QTcpServer garbage;
    QTcpServer silent;
    quint16 first = 0;

    quint16 last() const { return quint16(first + kWindow - 1); }
    quint16 freePort() const { return first; }
    quint16 stagePort() const { return quint16(first + 2); }
    quint16 meterPort() const { return quint16(first + 5); }
    quint16 garbagePort() const { return quint16(first + 7); }
    quint16 silentPort() const { return quint16(first + 8); }

    explicit Daemons(Where where = ThisThread)
    {
        QObject::connect(&garbage, &QTcpServer::newConnection, &garbage, [this] {
            while (QTcpSocket *socket = garbage.nextPendingConnection()) {
                socket->write("SSH-2.0-OpenSSH_9.2 not yaq at all\r\n");
                socket->disconnectFromHost();
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        for (int attempt = 0; attempt < 200; ++attempt) {
            first = quint16(36000 + QRandomGenerator::global()->bounded(4000 - kWindow));
            bool free = true;
            for (int port = first; free && port <= last(); ++port)
                free = portIsFree(quint16(port));
            if (!free || !garbage.listen(QHostAddress::LocalHost, garbagePort())
                || !silent.listen(QHostAddress::LocalHost, silentPort())) {
                garbage.close();
                silent.close();
                continue;
            }
            if (where == ThisThread) {
                ownHost = makeHost();
                ownServers = serve(*ownHost, nullptr);
                return;
            }
            // Its servers are children of the host, destroyed with it on its thread.
            thread.start([this] {
                std::unique_ptr<DeviceHost> host = makeHost();
                serve(*host, host.get()); // empty: the host owns them
                return host;
            });
            return;
        }
        qFatal("no free window of %d ports in 36000-39999", kWindow);
    }

    static std::unique_ptr<DeviceHost> makeHost()
    {
        DeviceHost::Drivers drivers;
        drivers.create = [](const DeviceSettings &s) -> std::unique_ptr<Device> {
            if (s.kind == QLatin1String("stage"))
                return std::make_unique<TestStage>(s);
            return std::make_unique<TestSensor>(s);
        };
        auto host = std::make_unique<DeviceHost>(drivers, nullptr);
        host->open(
            {{"stage", "stage", {{"limits", QVariantList{0.0, 10.0}}}}, {"meter", "sensor", {}}});
        return host;
    }

    /// Serves the stage and the meter; `parent`: their owner, or null for the list's.
    std::vector<std::unique_ptr<Yaq::DeviceServer>> serve(DeviceHost &host, QObject *parent)
    {
        std::vector<std::unique_ptr<Yaq::DeviceServer>> servers;
        for (auto [name, port] : {std::pair{"stage", stagePort()}, {"meter", meterPort()}}) {
            auto server = std::make_unique<Yaq::DeviceServer>(host, name, nullptr, parent);
            QString error;
            if (!server->listen(QHostAddress::LocalHost, port, &error))
                qFatal("listen: %s", qPrintable(error)); // free a moment ago
            if (parent)
                (void)server.release();
            else
                servers.push_back(std::move(server));
        }
        return servers;
    }

    YaqScanner::Options window() const
    {
        YaqScanner::Options options;
        options.firstPort = first;
        options.lastPort = last();
        options.handshakeTimeout = 500ms;
        return options;
    }
};

/// The lab the dialog adds to, in the tests of the dialog alone.
struct FakeLab {
    QList<DeviceSettings> added;
    QString refusal; ///< when set, add() throws it

    QCoro::Task<> add(DeviceSettings settings)
    {
        if (!refusal.isEmpty())
            throw DeviceError(refusal);
        added << settings;
        co_return;
    }
    YaqConnectDialog::AddDevice function()
    {
        return [this](DeviceSettings settings) { return add(std::move(settings)); };
    }
};

QList<LabDevice> labWithStage()
{
    LabDevice stage;
    stage.name = QStringLiteral("stage");
    stage.kind = QStringLiteral("sim-motor");
    return {stage};
}

template<typename T>
T *child(const QWidget &dialog, const char *name)
{
    auto *widget = dialog.findChild<T *>(QLatin1String(name));
    if (!widget)
        qFatal("no child %s", name);
    return widget;
}

QString errorText(const QWidget &dialog)
{
    auto *label = child<QLabel>(dialog, "errorLabel");
    return label->isVisible() ? label->text() : QString();
}

void typeInto(QWidget *widget, const QString &text)
{
    QTest::keyClick(widget, Qt::Key_A, Qt::ControlModifier);
    if (text.isEmpty())
        QTest::keyClick(widget, Qt::Key_Backspace);
    else
        QTest::keyClicks(widget, text);
}

void clickAdd(const QWidget &dialog)
{
    QTest::mouseClick(child<QPushButton>(dialog, "addButton"), Qt::LeftButton);
}

/// Clicks Scan and waits until the scan has ended.
bool scan(YaqConnectDialog &dialog)
{
    QTest::mouseClick(child<QPushButton>(dialog, "scanButton"), Qt::LeftButton);
    return QTest::qWaitFor([&] { return !dialog.scanner()->isRunning(); }, 20000);
}

QRect rowRect(QTableWidget *table, int row)
{
    return table->visualRect(table->model()->index(row, 0));
}

int rowOfPort(QTableWidget *table, quint16 port)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0)->text() == QString::number(port))
            return row;
    }
    return -1;
}

QStringList rowTexts(QTableWidget *table, int row)
{
    QStringList texts;
    for (int column = 0; column < table->columnCount(); ++column)
        texts << table->item(row, column)->text();
    return texts;
}

QStringList ports(const QList<YaqDaemonInfo> &found)
{
    QStringList list;
    for (const YaqDaemonInfo &daemon : found)
        list << QString::number(daemon.port);
    return list;
}

const QByteArray kLab = R"(
[stage]
driver = "sim-motor"
)";

} // namespace

class TestYaqConnectDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    // --- the scanner ---

    void scanFindsExactlyTheDaemons()
    {
        Daemons daemons;
        YaqScanner scanner(daemons.window());
        QSignalSpy found(&scanner, &YaqScanner::daemonFound);
        QSignalSpy finished(&scanner, &YaqScanner::finished);
        QSignalSpy progress(&scanner, &YaqScanner::progress);
        scanner.start(QStringLiteral("localhost"));
        QVERIFY(scanner.isRunning());
        QVERIFY(finished.wait(10000));
        QVERIFY(!scanner.isRunning());
        QCOMPARE(scanner.address(), QHostAddress(QHostAddress::LocalHost));
        // Not the free ports, not the peer that speaks something else, not the silent one.
        QCOMPARE(ports(scanner.found()),
            (QStringList{
                QString::number(daemons.stagePort()), QString::number(daemons.meterPort())}));
        QCOMPARE(found.size(), 2);
        const YaqDaemonInfo &stage = scanner.found().at(0);
        QCOMPARE(stage.kind, QStringLiteral("stage"));
        QCOMPARE(stage.name, QStringLiteral("stage"));
        QVERIFY2(stage.traits.contains("has-position") && stage.traits.contains("has-limits"),
            qPrintable(stage.traits.join(',')));
        const YaqDaemonInfo &meter = scanner.found().at(1);
        QCOMPARE(meter.kind, QStringLiteral("sensor"));
        QCOMPARE(meter.name, QStringLiteral("meter"));
        QVERIFY(meter.traits.contains("is-sensor"));
        QCOMPARE(scanner.total(), kWindow);
        QCOMPARE(scanner.probed(), kWindow);
        QCOMPARE(progress.last().at(0).toInt(), kWindow);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(scanner.host(), QStringLiteral("localhost"));
    }

    void scansYaqsWholeRangeWithoutHoldingTheLoop()
    {
        Daemons daemons;
        YaqScanner scanner; // 36000–39999, 150 ms per attempt, 200 at once
        QCOMPARE(scanner.total(), 4000);
        QSignalSpy finished(&scanner, &YaqScanner::finished);
        QElapsedTimer sinceTick;
        qint64 longestGap = 0;
        QTimer ticker;
        ticker.setTimerType(Qt::PreciseTimer);
        connect(&ticker, &QTimer::timeout, this,
            [&] { longestGap = std::max(longestGap, sinceTick.restart()); });
        QElapsedTimer took;
        took.start();
        sinceTick.start();
        ticker.start(5);
        scanner.start(QStringLiteral("127.0.0.1"));
        QVERIFY(finished.wait(60000));
        ticker.stop();
        qInfo(
            "4000 ports in %lld ms; the loop's longest wait: %lld ms", took.elapsed(), longestGap);
        QCOMPARE(scanner.probed(), 4000);
        // Other daemons may run on this computer: ours are among those found.
        const QStringList found = ports(scanner.found());
        QVERIFY(found.contains(QString::number(daemons.stagePort())));
        QVERIFY(found.contains(QString::number(daemons.meterPort())));
        QVERIFY2(longestGap < 250, qPrintable(QString::number(longestGap)));
    }

    void cancelStopsAtOnce()
    {
        Daemons daemons;
        YaqScanner scanner;
        QSignalSpy finished(&scanner, &YaqScanner::finished);
        QSignalSpy progress(&scanner, &YaqScanner::progress);
        scanner.start(QStringLiteral("127.0.0.1"));
        QVERIFY(progress.wait(5000));
        scanner.cancel();
        QVERIFY(!scanner.isRunning());
        const qsizetype seen = progress.size();
        QTest::qWait(300);
        QCOMPARE(finished.size(), 0);
        QCOMPARE(progress.size(), seen);
        // And it can scan again.
        scanner.setOptions(daemons.window());
        scanner.start(QStringLiteral("127.0.0.1"));
        QVERIFY(finished.wait(10000));
        QCOMPARE(scanner.found().size(), 2);
    }

    void aHostThatCannotBeResolvedIsSaidSo()
    {
        YaqScanner scanner;
        QSignalSpy failed(&scanner, &YaqScanner::failed);
        QSignalSpy finished(&scanner, &YaqScanner::finished);
        scanner.start(QStringLiteral("no-such-host.invalid"));
        QVERIFY(failed.wait(30000));
        QVERIFY2(failed.first().first().toString().startsWith(
                     QStringLiteral("Cannot find the host \"no-such-host.invalid\": ")),
            qPrintable(failed.first().first().toString()));
        QVERIFY(!scanner.isRunning());
        QCOMPARE(finished.size(), 0);
    }

    // --- the dialog ---

    void scanPickAndAdd()
    {
        Daemons daemons;
        FakeLab lab;
        YaqConnectDialog dialog(labWithStage(), lab.function());
        dialog.scanner()->setOptions(daemons.window());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(child<QLineEdit>(dialog, "hostEdit")->text(), QStringLiteral("localhost"));
        QCOMPARE(child<QSpinBox>(dialog, "portSpin")->minimum(), 1);
        QCOMPARE(child<QSpinBox>(dialog, "portSpin")->maximum(), 65535);

        QVERIFY(scan(dialog));
        auto *table = child<QTableWidget>(dialog, "daemonTable");
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(rowTexts(table, 0).mid(0, 3),
            (QStringList{QString::number(daemons.stagePort()), "stage", "stage"}));
        QVERIFY(rowTexts(table, 0).at(3).contains("has-position"));
        QCOMPARE(rowTexts(table, 1).mid(0, 3),
            (QStringList{QString::number(daemons.meterPort()), "sensor", "meter"}));
        const QString status = child<QLabel>(dialog, "scanStatusLabel")->text();
        QVERIFY2(status.startsWith(QStringLiteral("2 yaq daemons on localhost (ports %1–%2)")
                                       .arg(daemons.first)
                                       .arg(daemons.last())),
            qPrintable(status));

        // Picking the stage: the lab has a "stage" already, so the name is the next free one.
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rowRect(table, 0).center());
        QCOMPARE(child<QSpinBox>(dialog, "portSpin")->value(), int(daemons.stagePort()));
        QCOMPARE(child<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("stage-1"));
        // Picking the meter instead replaces the name, which the user had not touched.
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rowRect(table, 1).center());
        QCOMPARE(child<QSpinBox>(dialog, "portSpin")->value(), int(daemons.meterPort()));
        QCOMPARE(child<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("meter"));

        QSignalSpy added(&dialog, &YaqConnectDialog::deviceAdded);
        clickAdd(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(lab.added.size(), 1, 10000);
        const DeviceSettings expected{
            "meter", "yaq", {{"address", QStringLiteral("localhost:%1").arg(daemons.meterPort())}}};
        QCOMPARE(lab.added.first().name, expected.name);
        QCOMPARE(lab.added.first().kind, expected.kind);
        QCOMPARE(lab.added.first().config, expected.config);
        QCOMPARE(added.size(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.settings().config, expected.config);
    }

    void doubleClickAddsWithTheNameTyped()
    {
        Daemons daemons;
        FakeLab lab;
        YaqConnectDialog dialog({}, lab.function());
        dialog.scanner()->setOptions(daemons.window());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(scan(dialog));
        auto *table = child<QTableWidget>(dialog, "daemonTable");
        const int row = rowOfPort(table, daemons.stagePort());
        QVERIFY(row >= 0);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rowRect(table, row).center());
        QCOMPARE(child<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("stage"));
        // A name the user typed is kept when another daemon is picked.
        typeInto(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("far_stage"));
        const int other = rowOfPort(table, daemons.meterPort());
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rowRect(table, other).center());
        QCOMPARE(child<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("far_stage"));
        // A double-click, as a person makes it (QTest's widget double-click is the second
        // press alone).
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rowRect(table, row).center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rowRect(table, row).center());
        QTRY_COMPARE_WITH_TIMEOUT(lab.added.size(), 1, 10000);
        QCOMPARE(lab.added.first().name, QStringLiteral("far_stage"));
        QCOMPARE(lab.added.first().config.value("address").toString(),
            QStringLiteral("localhost:%1").arg(daemons.stagePort()));
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void aPortWithoutADaemonIsRefused()
    {
        Daemons daemons;
        FakeLab lab;
        YaqConnectDialog dialog({}, lab.function());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *port = child<QSpinBox>(dialog, "portSpin");
        typeInto(port, QString::number(daemons.freePort()));
        typeInto(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("far"));
        clickAdd(dialog);
        const QString nothing
            = QStringLiteral("No yaq daemon at localhost:%1: ").arg(daemons.freePort());
        QTRY_VERIFY_WITH_TIMEOUT(errorText(dialog).startsWith(nothing), 10000);
        QVERIFY2(errorText(dialog).contains("refused"), qPrintable(errorText(dialog)));
        QVERIFY(dialog.isVisible());
        QVERIFY(child<QPushButton>(dialog, "addButton")->isEnabled());

        // A peer that is not a yaq daemon is no daemon either.
        typeInto(port, QString::number(daemons.garbagePort()));
        clickAdd(dialog);
        const QString notYaq
            = QStringLiteral("No yaq daemon at localhost:%1: ").arg(daemons.garbagePort());
        QTRY_VERIFY_WITH_TIMEOUT(errorText(dialog).startsWith(notYaq), 10000);
        QVERIFY(lab.added.isEmpty());
        QVERIFY(dialog.isVisible());

        // The right port, typed: added, named from the daemon since the name was cleared.
        typeInto(port, QString::number(daemons.meterPort()));
        typeInto(child<QLineEdit>(dialog, "nameEdit"), QString());
        clickAdd(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(lab.added.size(), 1, 10000);
        QCOMPARE(lab.added.first().name, QStringLiteral("meter"));
        QCOMPARE(lab.added.first().config.value("address").toString(),
            QStringLiteral("localhost:%1").arg(daemons.meterPort()));
    }

    void anInvalidNameIsRefused()
    {
        Daemons daemons;
        FakeLab lab;
        YaqConnectDialog dialog(labWithStage(), lab.function());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        typeInto(child<QSpinBox>(dialog, "portSpin"), QString::number(daemons.stagePort()));
        auto *name = child<QLineEdit>(dialog, "nameEdit");
        typeInto(name, QStringLiteral("my stage!"));
        clickAdd(dialog);
        // Refused at once, before any connection.
        QCOMPARE(errorText(dialog),
            QStringLiteral("The name \"my stage!\" may only contain letters (A-Z, a-z), digits, "
                           "\"-\" and \"_\"."));
        QVERIFY(name->hasFocus());
        typeInto(name, QStringLiteral("stage"));
        clickAdd(dialog);
        QCOMPARE(errorText(dialog),
            QStringLiteral("There is already a device called \"stage\" in this lab."));
        QTest::qWait(100);
        QVERIFY(lab.added.isEmpty());
        QVERIFY(dialog.isVisible());
    }

    void theLabsRefusalStaysInTheDialog()
    {
        Daemons daemons;
        FakeLab lab;
        lab.refusal = QStringLiteral("there is already a device meter in this lab");
        YaqConnectDialog dialog({}, lab.function());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        typeInto(child<QSpinBox>(dialog, "portSpin"), QString::number(daemons.meterPort()));
        typeInto(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("meter"));
        clickAdd(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(errorText(dialog),
            QStringLiteral("The lab did not add meter: there is already a device meter in this "
                           "lab"),
            10000);
        QVERIFY(dialog.isVisible());
        QVERIFY(child<QPushButton>(dialog, "addButton")->isEnabled());
    }

    void scanningAHostThatCannotBeResolved()
    {
        FakeLab lab;
        YaqConnectDialog dialog({}, lab.function());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        typeInto(child<QLineEdit>(dialog, "hostEdit"), QStringLiteral("no-such-host.invalid"));
        QVERIFY(scan(dialog));
        QVERIFY2(errorText(dialog).startsWith(
                     QStringLiteral("Cannot find the host \"no-such-host.invalid\"")),
            qPrintable(errorText(dialog)));
        QCOMPARE(child<QTableWidget>(dialog, "daemonTable")->rowCount(), 0);
        QCOMPARE(child<QPushButton>(dialog, "scanButton")->text(), QStringLiteral("&Scan"));
    }

    void theScanShowsProgressAndCanBeStopped()
    {
        Daemons daemons;
        FakeLab lab;
        YaqConnectDialog dialog({}, lab.function());
        YaqScanner::Options slow; // the whole range, one attempt at a time: long enough to stop
        slow.maxInFlight = 1;
        dialog.scanner()->setOptions(slow);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *button = child<QPushButton>(dialog, "scanButton");
        auto *status = child<QLabel>(dialog, "scanStatusLabel");
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(button->text(), QStringLiteral("S&top"));
        QTRY_VERIFY(
            status->text().startsWith(QStringLiteral("Scanning localhost ports 36000–39999… ")));
        QVERIFY2(status->text().endsWith(QStringLiteral("/4000")), qPrintable(status->text()));
        QVERIFY(child<QWidget>(dialog, "scanProgress")->isVisible());
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(!dialog.scanner()->isRunning());
        QCOMPARE(button->text(), QStringLiteral("&Scan"));
        QVERIFY2(status->text().startsWith(QStringLiteral("Scan stopped at ")),
            qPrintable(status->text()));
        QVERIFY(!child<QWidget>(dialog, "scanProgress")->isVisible());
    }

    void suggestedNames()
    {
        const QList<LabDevice> lab = labWithStage();
        QCOMPARE(YaqConnectDialog::suggestedName({36000, "thorlabs-elliptec", "my stage", {}}, lab),
            QStringLiteral("my-stage"));
        QCOMPARE(YaqConnectDialog::suggestedName({36000, "stage", "", {}}, lab),
            QStringLiteral("stage-1"));
        QCOMPARE(
            YaqConnectDialog::suggestedName({36000, "", "...", {}}, lab), QStringLiteral("yaq"));
        QCOMPARE(
            YaqConnectDialog::addressOf("localhost", 36001), QStringLiteral("localhost:36001"));
        QCOMPARE(YaqConnectDialog::addressOf("::1", 36001), QStringLiteral("[::1]:36001"));
    }

    // --- from the window ---

    void theWindowsMenuAddsADaemonToTheLab()
    {
        // First: it outlives the lab's devices, its clients. On a thread of its own, as another
        // process would be, so that it answers them while this thread closes the lab.
        Daemons daemons(Daemons::OwnThread);
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        UiTest::WindowFixture fixture(kLab);
        QVERIFY(fixture.registry.addFile(QStringLiteral(BENCHTOP_YAQ_PLUGIN_FILE)));
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        auto *action = window.findChild<QAction *>(QStringLiteral("connectYaqAction"));
        QVERIFY(action);
        QCOMPARE(action->text(), QStringLiteral("&Connect to yaq daemon…"));
        // In the Devices menu, right after Add device….
        QMenu *menu = nullptr;
        for (QAction *top : window.menuBar()->actions()) {
            if (top->menu() && top->menu()->actions().contains(action))
                menu = top->menu();
        }
        QVERIFY(menu);
        const QList<QAction *> actions = menu->actions();
        QCOMPARE(actions.at(actions.indexOf(action) - 1)->objectName(),
            QStringLiteral("addDeviceAction"));

        clickMenuAction(window, action);
        YaqConnectDialog *dialog = nullptr;
        QVERIFY(QTest::qWaitFor(
            [&] { return (dialog = window.yaqConnectDialog()) && dialog->isVisible(); }));
        QVERIFY(!child<QLabel>(*dialog, "unavailableLabel")->isVisible());
        dialog->scanner()->setOptions(daemons.window());
        QVERIFY(scan(*dialog));
        auto *table = child<QTableWidget>(*dialog, "daemonTable");
        QCOMPARE(table->rowCount(), 2);
        // The lab has a "stage": the daemon's stage becomes stage-1.
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
            rowRect(table, rowOfPort(table, daemons.stagePort())).center());
        QCOMPARE(child<QLineEdit>(*dialog, "nameEdit")->text(), QStringLiteral("stage-1"));
        clickAdd(*dialog);
        QTRY_VERIFY_WITH_TIMEOUT(!window.yaqConnectDialog(), 10000);

        const QList<DeviceSettings> &devices = fixture.session->devices();
        QCOMPARE(devices.size(), 2);
        QCOMPARE(devices.last().name, QStringLiteral("stage-1"));
        QCOMPARE(devices.last().kind, QStringLiteral("yaq"));
        QCOMPARE(devices.last().config,
            (QVariantMap{{"address", QStringLiteral("localhost:%1").arg(daemons.stagePort())}}));
        // Its panel opens, and the remote device comes up as the daemon's stage.
        QTRY_COMPARE(window.panelTabs()->tabText(window.panelTabs()->currentIndex()),
            QStringLiteral("stage-1"));
        DeviceHandle *handle = fixture.session->handle(QStringLiteral("stage-1"));
        QVERIFY(handle);
        QTRY_VERIFY_WITH_TIMEOUT(
            handle->description().traits.contains(QStringLiteral("has-position")), 10000);
    }

    void withoutTheYaqPluginAddIsDisabled()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        UiTest::WindowFixture fixture(kLab);
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.findChild<QAction *>(QStringLiteral("connectYaqAction"))->trigger();
        YaqConnectDialog *dialog = window.yaqConnectDialog();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(child<QLabel>(*dialog, "unavailableLabel")->isVisible());
        QVERIFY(child<QLabel>(*dialog, "unavailableLabel")->text().contains("yaq driver plugin"));
        QVERIFY(!child<QPushButton>(*dialog, "addButton")->isEnabled());
        QVERIFY(child<QPushButton>(*dialog, "scanButton")->isEnabled());
        dialog->reject();
    }
};

QTEST_MAIN(TestYaqConnectDialog)
#include "tst_yaqconnectdialog.moc"
