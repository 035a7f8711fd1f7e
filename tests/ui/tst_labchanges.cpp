// SPDX-License-Identifier: MIT
// Changing the lab from the window, driven with real clicks and keys on the offscreen platform:
// adding and removing mark it modified (a `*` in the title), quitting or opening another lab then
// asks (Save, Discard, Cancel), a device in fault for a typo comes up once the file is fixed
// (Restart, Reload), the status bar counts every device (added ones, disconnected ones), and
// removing a busy device asks first.
#include "windowclicks.h"
#include "windowtestsupport.h"

#include "devicelist/devicelistmodel.h"
#include "dialogs/adddevicedialog.h"
#include "log/eventlog.h"
#include "mainwindow.h"

#include <host/devicehandle.h>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::UiTest;
using Benchtop::Ui::MainWindow;

namespace {

const QByteArray kLab = R"(
[stage]
driver = "sim-motor"
speed = 20.0
acceleration = 400.0

[meter]
driver = "sim-sensor"
channels = ["voltage"]
integration_ms = 20
)";

/// kLab with a typo in a key of the stage: it starts in fault.
QByteArray withTypo()
{
    return QByteArray(kLab).replace("speed = 20.0", "sped = 20.0");
}

QString shownStatus(MainWindow &window, const QString &device)
{
    const int row = window.deviceModel()->rowOf(device);
    if (row < 0)
        return {};
    return window.deviceModel()
        ->index(row, Ui::DeviceListModel::StatusColumn)
        .data(Ui::DeviceListModel::StatusRole)
        .toString();
}

QString deviceCount(MainWindow &window)
{
    return window.findChild<QLabel *>(QStringLiteral("deviceCountLabel"))->text();
}

/// Devices ▸ Add device… for a sim-sensor named `name`, and its OK button clicked.
void addSensorFromTheForm(MainWindow &window, const char *name)
{
    clickMenuAction(window, "addDeviceAction");
    Ui::AddDeviceDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.addDeviceDialog()) && dialog->isVisible());
    auto *kinds = dialog->findChild<QComboBox *>("kindCombo");
    kinds->setCurrentIndex(kinds->findText(QStringLiteral("sim-sensor"), Qt::MatchStartsWith));
    QVERIFY(kinds->currentIndex() >= 0);
    auto *nameEdit = dialog->findChild<QLineEdit *>("nameEdit");
    nameEdit->clear();
    QTest::keyClicks(nameEdit, QLatin1String(name));
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(window.deviceModel()->rowOf(QLatin1String(name)) >= 0);
}

/// The window's message box named `name` once it shows.
QMessageBox *shownBox(MainWindow &window, const char *name)
{
    QMessageBox *box = nullptr;
    if (!QTest::qWaitFor([&] {
            box = window.findChild<QMessageBox *>(QLatin1String(name));
            return box && box->isVisible();
        }))
        return nullptr;
    return box;
}

void clickAnswer(QMessageBox *box, QMessageBox::StandardButton answer)
{
    QVERIFY(box);
    QTest::mouseClick(box->button(answer), Qt::LeftButton);
}

/// A key pressed as a user does: to the widget that has the focus in the window.
void pressKey(MainWindow &window, Qt::Key key, Qt::KeyboardModifiers modifiers = {})
{
    QWidget *focus = QApplication::focusWidget();
    QTest::keyClick(focus && focus->window() == &window ? focus : &window, key, modifiers);
}

/// Ctrl+Q, with the window active (a menu or a dialog had it). The offscreen platform can
/// leave a menu that just closed as the application's active window, where keys go nowhere.
void pressQuit(MainWindow &window)
{
    window.activateWindow();
    QTRY_COMPARE(QApplication::activeWindow(), static_cast<QWidget *>(&window));
    pressKey(window, Qt::Key_Q, Qt::ControlModifier);
}

} // namespace

class TestLabChanges : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        failOnQtWarnings();
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void addingMarksTheLabModifiedAndQuittingAsks()
    {
        WindowFixture fixture(kLab);
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(window.windowTitle(), QStringLiteral("lab.toml[*] — Benchtop"));
        QVERIFY(!window.isWindowModified());

        addSensorFromTheForm(window, "extra");
        QTRY_VERIFY(window.isWindowModified());

        // Cancel: nothing closes.
        pressQuit(window);
        QMessageBox *box = shownBox(window, "unsavedChangesDialog");
        QVERIFY(box);
        QVERIFY(box->text().contains("lab.toml"));
        clickAnswer(box, QMessageBox::Cancel);
        QTRY_VERIFY(!window.findChild<QMessageBox *>("unsavedChangesDialog"));
        QVERIFY(window.isVisible());
        QVERIFY(fixture.session->isOpen());
        QVERIFY(fixture.session->handle("extra"));

        // Discard: it closes, and the lab file is as it was.
        pressQuit(window);
        clickAnswer(shownBox(window, "unsavedChangesDialog"), QMessageBox::Discard);
        QTRY_VERIFY(!window.isVisible());
        QVERIFY(!fixture.session->isOpen());
        QFile file(fixture.labPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), kLab);
    }

    void saveAnswerSavesTheLabBeforeQuitting()
    {
        WindowFixture fixture(kLab);
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        clickDevice(window, "meter");
        clickMenuAction(window, "removeDeviceAction");
        QTRY_COMPARE(window.deviceModel()->rowOf("meter"), -1);
        QTRY_VERIFY(window.isWindowModified());

        clickMenuAction(window, "quitAction"); // File ▸ Quit, clicked
        QMessageBox *box = shownBox(window, "unsavedChangesDialog");
        QVERIFY(box);
        // Save asks for a file in a modal dialog: answer it from the event loop it runs.
        const QString saved = fixture.path("saved.toml");
        bool answered = false;
        QTimer poll;
        poll.setInterval(10);
        connect(&poll, &QTimer::timeout, this, [&] {
            auto *files = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
            if (!files)
                return;
            poll.stop();
            answered = true;
            files->selectFile(saved);
            static_cast<QDialog *>(files)->accept(); // QFileDialog::accept, protected there
        });
        poll.start();
        clickAnswer(box, QMessageBox::Save);
        QTRY_VERIFY(answered);
        QTRY_VERIFY(!window.isVisible());
        QVERIFY(!fixture.session->isOpen());
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("[stage]"));
        QVERIFY(!text.contains("[meter]"));
    }

    // Issue 18: File ▸ Save lab (Ctrl+S) writes the lab back to its file, keeping its comments
    // and layout; only the removed device's table goes.
    void saveKeepsTheLabFilesComments()
    {
        const QByteArray commented = "# My lab: this comment stays.\n" + kLab;
        WindowFixture fixture(commented);
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        clickDevice(window, "meter");
        clickMenuAction(window, "removeDeviceAction");
        QTRY_COMPARE(window.deviceModel()->rowOf("meter"), -1);
        QTRY_VERIFY(window.isWindowModified());

        window.activateWindow();
        QTRY_COMPARE(QApplication::activeWindow(), static_cast<QWidget *>(&window));
        pressKey(window, Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY(!window.isWindowModified());
        QFile file(fixture.labPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        file.close();
        QCOMPARE(saved, commented.left(commented.indexOf("\n[meter]")));

        // A device added, and File ▸ Save lab clicked: it is appended after the file's text.
        addSensorFromTheForm(window, "extra");
        QTRY_VERIFY(window.isWindowModified());
        clickMenuAction(window, "saveLabAction");
        QTRY_VERIFY(!window.isWindowModified());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray again = file.readAll();
        QVERIFY2(again.startsWith(saved + "\n[extra]\n"), again.constData());
        QCOMPARE(fixture.session->path(), fixture.labPath);
    }

    void openingAnotherLabAsksFirst()
    {
        WindowFixture fixture(kLab);
        const QString other = fixture.path("other.toml");
        WindowFixture::write(other, "[lamp]\ndriver = \"sim-sensor\"\n");
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        clickDevice(window, "meter");
        clickMenuAction(window, "removeDeviceAction");
        QTRY_VERIFY(window.isWindowModified());

        window.openLab(other);
        clickAnswer(shownBox(window, "unsavedChangesDialog"), QMessageBox::Cancel);
        QTRY_VERIFY(!window.findChild<QMessageBox *>("unsavedChangesDialog"));
        QCOMPARE(fixture.session->path(), fixture.labPath);
        QVERIFY(window.isWindowModified());

        window.openLab(other);
        clickAnswer(shownBox(window, "unsavedChangesDialog"), QMessageBox::Discard);
        QTRY_COMPARE(fixture.session->path(), other);
        QCOMPARE(window.windowTitle(), QStringLiteral("other.toml[*] — Benchtop"));
        QVERIFY(!window.isWindowModified());
        QCOMPARE(window.deviceModel()->rowCount(), 1);
    }

    // A typo in the stage's table puts it in fault; once the file is fixed, Ctrl+R on it brings
    // it up, and so does File ▸ Reload lab (F5).
    void restartOrReloadAfterFixingTheFileBringsTheDeviceUp()
    {
        WindowFixture fixture(withTypo());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^stage is in fault: "));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^stage is in fault: "));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^stage is in fault: "));
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTRY_COMPARE(shownStatus(window, "stage"), QStringLiteral("fault"));

        // Restart before the fix: still the typo.
        clickDevice(window, "stage");
        pressKey(window, Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY(fixture.session->handle("stage")->snapshot().fault.contains("re-read"));
        QCOMPARE(shownStatus(window, "stage"), QStringLiteral("fault"));

        WindowFixture::write(fixture.labPath, kLab);
        pressKey(window, Qt::Key_R, Qt::ControlModifier);
        QTRY_COMPARE(shownStatus(window, "stage"), QStringLiteral("idle"));
        QVERIFY(!window.isWindowModified());

        // The typo back, and the lab reloaded: in fault; fixed and reloaded: up again.
        WindowFixture::write(fixture.labPath, withTypo());
        pressKey(window, Qt::Key_F5);
        QTRY_COMPARE(shownStatus(window, "stage"), QStringLiteral("fault"));
        WindowFixture::write(fixture.labPath, kLab);
        clickMenuAction(window, "reloadLabAction");
        QTRY_COMPARE(shownStatus(window, "stage"), QStringLiteral("idle"));
        QTRY_COMPARE(shownStatus(window, "meter"), QStringLiteral("idle"));
    }

    void theDeviceCountFollowsAddAndRemove()
    {
        WindowFixture fixture(kLab);
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(deviceCount(window), QStringLiteral("2 devices"));
        addSensorFromTheForm(window, "extra");
        QTRY_COMPARE(shownStatus(window, "extra"), QStringLiteral("idle"));
        QCOMPARE(deviceCount(window), QStringLiteral("3 devices"));
        addSensorFromTheForm(window, "more");
        QCOMPARE(deviceCount(window), QStringLiteral("4 devices"));
        clickDevice(window, "extra");
        clickMenuAction(window, "removeDeviceAction");
        QTRY_COMPARE(window.deviceModel()->rowOf("extra"), -1);
        QCOMPARE(deviceCount(window), QStringLiteral("3 devices"));
    }

    void aDisconnectedDeviceIsCountedAsSuch()
    {
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression("^stage is in fault: .*stage: connection lost$"));
        WindowFixture fixture(QByteArray(kLab).replace(
            "acceleration = 400.0", "acceleration = 400.0\ndisconnect_after_s = 0.2"));
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE(shownStatus(window, "stage"), QStringLiteral("disconnected"));
        QTRY_COMPARE(deviceCount(window), QStringLiteral("2 devices · 1 disconnected"));
    }

    void removingABusyDeviceAsksFirst()
    {
        // Slow: its move lasts the whole test.
        WindowFixture fixture(QByteArray(kLab).replace("speed = 20.0", "speed = 2.0"));
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        DeviceHandle *stage = fixture.session->handle("stage");
        waitFor(stage->call("set_position", {90.0})); // 45 s at 2 mm/s
        QTRY_VERIFY(stage->snapshot().busy);

        clickDevice(window, "stage");
        clickMenuAction(window, "removeDeviceAction");
        QMessageBox *box = shownBox(window, "removeBusyDialog");
        QVERIFY(box);
        QVERIFY(box->text().contains("stage"));
        clickAnswer(box, QMessageBox::Cancel);
        QTRY_VERIFY(!window.findChild<QMessageBox *>("removeBusyDialog"));
        QVERIFY(window.deviceModel()->rowOf("stage") >= 0);
        QVERIFY(stage->snapshot().busy); // still moving

        clickMenuAction(window, "removeDeviceAction");
        box = shownBox(window, "removeBusyDialog");
        QVERIFY(box);
        QPushButton *remove = nullptr;
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::DestructiveRole)
                remove = qobject_cast<QPushButton *>(button);
        }
        QVERIFY(remove);
        QTest::mouseClick(remove, Qt::LeftButton);
        QTRY_COMPARE(window.deviceModel()->rowOf("stage"), -1);
        QVERIFY(!fixture.session->handle("stage"));

        // An idle device goes without a question.
        clickDevice(window, "meter");
        clickMenuAction(window, "removeDeviceAction");
        QTRY_COMPARE(window.deviceModel()->rowOf("meter"), -1);
        // (The stage's box may not be deleted yet: it is deleted later, once closed.)
        auto *asked = window.findChild<QMessageBox *>("removeBusyDialog");
        QVERIFY(!asked || !asked->isVisible());
    }
};

QTEST_MAIN(TestLabChanges)
#include "tst_labchanges.moc"
