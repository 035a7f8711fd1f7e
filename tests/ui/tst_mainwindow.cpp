// SPDX-License-Identifier: MIT
// The main window, driven with real mouse clicks and key presses on the offscreen platform.
#include "testsupport.h"

#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTest>
#include <QTimer>

using Benchtop::Ui::MainWindow;

namespace {

/// Clicks `action` the way a user does: its menu in the menu bar, then the action in the menu.
void clickMenuAction(MainWindow &window, QAction *action)
{
    QMenuBar *bar = window.menuBar();
    QMenu *menu = nullptr;
    for (QAction *top : bar->actions()) {
        if (top->menu() && top->menu()->actions().contains(action))
            menu = top->menu();
    }
    QVERIFY(menu);
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->actionGeometry(menu->menuAction()).center());
    QTRY_VERIFY(menu->isVisible());
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void showsAnEmptyLabAndTheLoopStatus()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), QStringLiteral("Benchtop"));
        QVERIFY(!window.windowIcon().isNull());
        auto *empty = window.findChild<QLabel *>(QStringLiteral("emptyLabLabel"));
        QVERIFY(empty && empty->isVisible());
        QVERIFY(empty->text().contains(QStringLiteral("No lab is open")));
        auto *loop = window.findChild<QLabel *>(QStringLiteral("loopStatusLabel"));
        QVERIFY(loop && loop->isVisible());
    }

    void quitFromTheFileMenuClosesTheWindow()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        clickMenuAction(window, window.quitAction());
        QTRY_VERIFY(!window.isVisible());
    }

    void quitShortcut()
    {
        MainWindow window;
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(window.quitAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));
        QTest::keyClick(&window, Qt::Key_Q, Qt::ControlModifier);
        QTRY_VERIFY(!window.isVisible());
    }

    void aboutShowsTheVersion()
    {
        QApplication::setApplicationVersion(QStringLiteral("9.8.7"));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QString aboutText;
        // The about box is modal: read and close it from the event loop it runs.
        QTimer::singleShot(0, &window, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            aboutText = box->text();
            box->accept();
        });
        clickMenuAction(window, window.aboutAction());
        QTRY_VERIFY(!aboutText.isEmpty());
        QVERIFY(aboutText.contains(QStringLiteral("9.8.7")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
