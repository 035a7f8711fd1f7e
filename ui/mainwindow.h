// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

class QLabel;

namespace Benchtop::Ui {

/// The application's main window. Until the device model lands it shows an empty lab and the
/// state of the device loop; its menus and layout are the ones the full application keeps.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    QAction *quitAction() const { return m_quitAction; }
    QAction *aboutAction() const { return m_aboutAction; }

private:
    void createMenus();
    void showAbout();

    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QLabel *m_loopStatus = nullptr;
};

} // namespace Benchtop::Ui
