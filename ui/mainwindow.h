// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

#include <memory>
#include <vector>

class QLabel;

namespace Benchtop {
class DeviceHandle;
}

namespace Benchtop::Ui {

class DeviceTable;

/// The application's main window. Until the device model lands it shows an empty lab and the
/// state of the device loop; its menus and layout are the ones the full application keeps.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    /// Shows the devices of the lab `title` (taking the handles) and the lab's errors, if any.
    void showLab(const QString &title, std::vector<std::unique_ptr<DeviceHandle>> handles,
        const QStringList &errors);

    QAction *quitAction() const { return m_quitAction; }
    QAction *aboutAction() const { return m_aboutAction; }

private:
    void createMenus();
    void showAbout();
    void updateLoopStatus();

    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QLabel *m_loopStatus = nullptr;
    DeviceTable *m_table = nullptr;
};

} // namespace Benchtop::Ui
