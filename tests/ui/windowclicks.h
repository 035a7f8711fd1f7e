// SPDX-License-Identifier: MIT
#pragma once

// Clicks on the main window the way a user makes them, for tests of the whole window: a menu of
// the menu bar then its action, a device's row in the device list.

#include "devicelist/devicelistmodel.h"
#include "mainwindow.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QTableView>
#include <QTest>

namespace Benchtop::UiTest {

/// Clicks `action`: its menu in the menu bar, then the action in the menu.
inline void clickMenuAction(Ui::MainWindow &window, QAction *action)
{
    QVERIFY(action);
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

/// Clicks the window's action whose object name is `name`, as clickMenuAction(window, action).
inline void clickMenuAction(Ui::MainWindow &window, const char *name)
{
    auto *action = window.findChild<QAction *>(QLatin1String(name));
    QVERIFY2(action, name);
    clickMenuAction(window, action);
}

/// Clicks the device's row in the list (with `modifiers`, e.g. Ctrl to add to the selection).
inline void clickDevice(
    Ui::MainWindow &window, const QString &name, Qt::KeyboardModifiers modifiers = {})
{
    auto *list = window.findChild<QTableView *>(QStringLiteral("deviceList"));
    QVERIFY(list);
    const int row = window.deviceModel()->rowOf(name);
    QVERIFY2(row >= 0, qPrintable(name));
    const QRect rect = list->visualRect(window.deviceModel()->index(row, 0));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, modifiers, rect.center());
}

} // namespace Benchtop::UiTest
