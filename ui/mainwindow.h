// SPDX-License-Identifier: MIT
#pragma once

#include "log/stallnotes.h"

#include <async/loopwatchdog.h>
#include <async/taskgroup.h>
#include <host/loophealth.h>

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace Benchtop {
class DeviceHandle;
class LabSession;
} // namespace Benchtop

namespace Benchtop::Ui {

class AddDeviceDialog;
class DeviceListModel;
class EventLog;
class YaqConnectDialog;

/// The application's window: the device list (a dock, left), one tab per opened device with
/// its panel and live plot (centre), the log (a dock, bottom), and the device loop's health in
/// the status bar. Every menu command goes through the LabSession and never waits on a device.
/// The layout (docks, open tabs) is remembered per lab with QSettings.
///
/// Object names tests rely on: deviceList, labErrors, panelTabs, emptyLabLabel, logPane,
/// loopStatusLabel, deviceCountLabel, and the actions openLabAction, saveLabAsAction,
/// loadPluginAction, addDeviceAction, connectYaqAction, removeDeviceAction, restartDeviceAction,
/// stopAllAction, measureAllAction, quitAction, aboutAction.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(LabSession &session, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens the lab at `path` (closing the open one) and shows it; its errors go to the log
    /// and under the device list.
    void openLab(const QString &path);
    /// Loads one plugin file: its kinds are usable at once. A refusal is explained in a dialog
    /// (not waited for: it is window-modal) and in the log. Returns whether it was accepted.
    bool loadPluginFile(const QString &path);
    /// Saves the lab to `path` and makes it the lab's file; a failure is explained in the log and
    /// a dialog (not waited for). Returns whether it was saved.
    bool saveLabTo(const QString &path);
    /// Opens (or brings forward) the tab of `device`; returns its page, or null.
    QWidget *openPanel(const QString &device);
    /// The devices selected in the list (or the current tab's, when none is).
    QStringList selectedDevices() const;

    EventLog *log() const { return m_log; }
    DeviceListModel *deviceModel() const { return m_model; }
    QTabWidget *panelTabs() const { return m_tabs; }
    /// The Add device dialog while it is open.
    AddDeviceDialog *addDeviceDialog() const;
    /// The Connect to yaq daemon dialog while it is open.
    YaqConnectDialog *yaqConnectDialog() const;

    QAction *quitAction() const { return m_quitAction; }
    QAction *aboutAction() const { return m_aboutAction; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void createDocks();
    void showOpenedLab(const QStringList &errors);
    void addDeviceView(DeviceHandle *handle);
    void removeDeviceView(const QString &name);
    void clearLab();
    void closeTab(int index);
    void openSelectedPanels();
    void showHealth(const LoopHealth &health);
    void showStall(const Async::LoopStall &stall);
    void showStallTime();
    void endStall(const Async::LoopStall &stall);
    void updateCounts();
    void logStatus(const QString &device, const QString &status, const QString &reason);
    void saveLayout();
    void restoreLayout();
    QString settingsGroup() const;

    void chooseLab();
    void saveLabAs();
    void choosePlugin();
    void showAddDevice();
    void showConnectYaq();
    void removeSelected();
    void restartSelected();
    void stopAll();
    void measureAll();
    void showAbout();

    LabSession &m_session;
    EventLog *m_log = nullptr;
    DeviceListModel *m_model = nullptr;
    QTableView *m_list = nullptr;
    QPlainTextEdit *m_labErrors = nullptr;
    QStackedWidget *m_centre = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_loopStatus = nullptr;
    QLabel *m_deviceCount = nullptr;
    QPointer<AddDeviceDialog> m_addDialog;
    QPointer<YaqConnectDialog> m_yaqDialog;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_restartAction = nullptr;
    LoopHealth m_health;
    StallNotes m_stallNotes;
    Async::LoopStall m_stall; ///< the one going on, while m_stallTicker runs
    std::chrono::steady_clock::time_point m_stallReportedAt;
    QTimer m_stallTicker;
    std::optional<Async::LoopStall> m_lastStall; ///< shown beside the health for a minute
    std::chrono::steady_clock::time_point m_lastStallEnded;
    QHash<QString, QString> m_loggedStatus; ///< per device: the status the log last saw
    QHash<QString, QString> m_loggedReason; ///< per device: and its reason
    bool m_layoutRestored = false;
    Async::TaskGroup m_tasks{QStringLiteral("window")}; // last: destroyed first
};

} // namespace Benchtop::Ui
