// SPDX-License-Identifier: MIT
#pragma once

#include "devicepage.h"
#include "log/loopnotes.h"
#include "log/motionnotes.h"
#include "log/statuslog.h"
#include "plot/labhistory.h"

#include <async/taskgroup.h>
#include <lab/laberror.h>
#include <session/labsession.h>

#include <QCoroTask>
#include <QMainWindow>
#include <QPointer>

#include <functional>

class QLabel;
class QMessageBox;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace Benchtop {
class DeviceHandle;
struct LabDevice;
} // namespace Benchtop

namespace Benchtop::Ui {

class AddDeviceDialog;
class DeviceListModel;
class EventLog;
class LoopStatus;
class YaqConnectDialog;

/// The application's window: the device list (a dock, left), one tab per opened device with
/// its panel and live plot (a DevicePage, centre), the log (a dock, bottom; what it says of
/// status changes is StatusLog's policy), and the device loop's health in the status bar
/// (LoopStatus). Every menu command goes through the LabSession and never waits on a device.
/// The layout (docks, open tabs) is remembered per lab with QSettings.
///
/// The title names the lab and shows `*` while it has unsaved changes (a device added or
/// removed); quitting, opening another lab or reloading it then asks first whether to save them
/// (Save, Discard, Cancel). Removing a busy device asks first too. File ▸ Save lab writes the
/// lab back to its file, keeping the file's comments and layout (LabSession::saveAs).
///
/// Object names tests rely on: deviceList, labErrors, panelTabs, emptyLabLabel, logPane,
/// loopStatusLabel, deviceCountLabel, stopToolBar, stopAllButton, the dialogs
/// unsavedChangesDialog and removeBusyDialog, and the actions openLabAction, reloadLabAction,
/// saveLabAction, saveLabAsAction, saveLogAction, loadPluginAction, addDeviceAction,
/// connectYaqAction, removeDeviceAction, restartDeviceAction, stopAllAction, measureAllAction,
/// quitAction, aboutAction.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(LabSession &session, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens the lab at `path` (closing the open one) and shows it; its errors go to the log
    /// and under the device list. When the open lab has unsaved changes it first asks whether
    /// to save them, and opens nothing on Cancel (the question does not wait: the lab opens
    /// once it is answered).
    void openLab(const QString &path);
    /// File ▸ Reload lab: opens the lab's file again (asking first, as openLab() does).
    void reloadLab();
    /// Closes the window without asking about unsaved changes (they are lost): for a signal
    /// from a service manager, or a script's timer, that nobody is there to answer.
    void closeWithoutAsking();
    /// Loads one plugin file: its kinds are usable at once. A refusal is explained in a dialog
    /// (not waited for: it is window-modal) and in the log. Returns whether it was accepted.
    bool loadPluginFile(const QString &path);
    /// Saves the lab to `path` (with ".toml" added when it has no extension) and makes it the
    /// lab's file; a failure is explained in the log and
    /// a dialog (not waited for). Returns whether it was saved.
    bool saveLabTo(const QString &path);
    /// Writes the log to `path` as text (EventLog::toFileText); a failure is explained in the log
    /// and a dialog (not waited for). Returns whether it was saved.
    bool saveLogTo(const QString &path);
    /// Opens (or brings forward) the tab of `device`; returns its page, or null.
    DevicePage *openPanel(const QString &device);
    /// The devices selected in the list (or the current tab's, when none is).
    QStringList selectedDevices() const;

    EventLog *log() const { return m_log; }
    DeviceListModel *deviceModel() const { return m_model; }
    QTabWidget *panelTabs() const { return m_tabs; }
    /// Every device's recent readings, kept from the lab's start: a panel's plot starts with them.
    const LabHistory &history() const { return m_history; }
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
    void showOpenedLab(const QList<LabError> &problems);
    void showTitle();
    /// Runs `proceed` now when the lab has no unsaved changes; else asks (window-modal, not
    /// waited for) whether to save them, and runs it after Save (once saved) or Discard.
    void settleChangesThen(const QString &question, std::function<void()> proceed);
    /// Asks for a file and saves the lab to it; false when cancelled or not saved.
    bool chooseFileAndSave();
    void addDeviceView(DeviceHandle *handle);
    /// Logs the end of a positioner's move (MotionNotes) and of a loop that ended by itself
    /// (LoopNotes).
    void logMotion(DeviceHandle *handle);
    void removeDeviceView(const QString &name);
    void clearLab();
    void closeTab(int index);
    /// The list's selection and the current tab follow each other: selecting rows opens their
    /// panels and makes the last clicked current; a tab made current selects its row.
    void openSelectedPanels();
    void selectCurrentTabsDevice(int index);
    void updateCounts();
    void logStatus(const QString &device, const QString &status, const QString &reason);
    void saveLayout();
    void restoreLayout();
    QString settingsGroup() const;

    void chooseLab();
    void saveLab();
    void saveLabAs();
    void saveLog();
    void choosePlugin();
    void showAddDevice();
    void showConnectYaq();
    /// The open lab's devices, as the Add dialogs check a new one against them.
    QList<LabDevice> labDevices() const;
    /// Logs `action` for each of `devices` and runs `operation` on it; a refusal is logged.
    void onEach(const QStringList &devices, const QString &action, const char *task,
        std::function<QCoro::Task<LabSession::Result>(const QString &name)> operation);
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
    LoopStatus *m_loopStatus = nullptr;
    QLabel *m_deviceCount = nullptr;
    QPointer<AddDeviceDialog> m_addDialog;
    /// The driver kind Add device… last showed: the next one opens on it.
    QString m_addKind;
    QPointer<YaqConnectDialog> m_yaqDialog;
    QPointer<QMessageBox> m_unsavedQuestion;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_restartAction = nullptr;
    /// Every device's recent readings, from the lab's start: a panel opened later plots them.
    LabHistory m_history;
    StatusLog m_statusLog;
    MotionNotes m_motionNotes;
    LoopNotes m_loopNotes;
    bool m_layoutRestored = false;
    bool m_closeSettled = false; ///< the unsaved changes were answered for: close at once
    bool m_syncingSelection = false; // while one of list and tabs follows the other
    Async::TaskGroup m_tasks{QStringLiteral("window")}; // last: destroyed first
};

} // namespace Benchtop::Ui
