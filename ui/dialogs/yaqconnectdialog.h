// SPDX-License-Identifier: MIT
#pragma once

#include "yaqscanner.h"

#include <async/taskgroup.h>
#include <device/devicesettings.h>
#include <lab/labfile.h>

#include <QCoroTask>
#include <QDialog>
#include <QList>

#include <functional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace Benchtop::Ui {

/// "Connect to yaq daemon…": adds a device of the `yaq` driver (a yaq daemon elsewhere) to the
/// lab. The user gives the daemon's host and port, or scans the host (YaqScanner: yaq's ports
/// 36000–39999) and picks a daemon in the list (which fills the port and a name from the
/// daemon's `id` or kind; a double-click also adds it), and names the device. Add checks the
/// name as the Add device dialog does (deviceNameProblem), then connects to the daemon (a yaq
/// handshake: "No yaq daemon at host:port: …" when nothing answers as one), then adds
/// DeviceSettings{name, "yaq", {address = "host:port"}} through the `add` function given
/// (LabSession::addDevice in the window) and closes; every refusal stays in the dialog
/// ("errorLabel"). The dialog never blocks the GUI thread.
///
/// Children are named for tests: "hostEdit", "portSpin", "scanButton", "daemonTable",
/// "scanStatusLabel", "scanProgress", "nameEdit", "errorLabel", "addButton". GUI thread only.
class YaqConnectDialog : public QDialog {
    Q_OBJECT
public:
    /// Adds the device to the lab; resumes once it is there, or throws DeviceError saying why not.
    using AddDevice = std::function<QCoro::Task<>(DeviceSettings)>;

    /// `existing`: the devices of the open lab (a new device may not take their names).
    YaqConnectDialog(QList<LabDevice> existing, AddDevice add, QWidget *parent = nullptr);
    ~YaqConnectDialog() override;

    /// The scanner behind Scan (tests give it a smaller range).
    YaqScanner *scanner() const { return m_scanner; }
    /// When the yaq driver cannot be used (its plugin is not loaded): said in the dialog, and
    /// Add is disabled; scanning still works.
    void setUnavailable(const QString &reason);
    /// The device added, once the dialog has been accepted; empty before that.
    DeviceSettings settings() const { return m_settings; }

    /// "host:port" for the lab's `address` (an IPv6 address in brackets).
    static QString addressOf(const QString &host, quint16 port);
    /// A name for a device of `daemon`: its own name (from `id`), else its kind, made into a
    /// valid device name and one that no device of `existing` has.
    static QString suggestedName(const YaqDaemonInfo &daemon, const QList<LabDevice> &existing);

public Q_SLOTS:
    /// Checks the name, connects to the daemon and adds the device; closes only once it is added.
    void accept() override;
    /// Ignored while the lab is adding the device (it is quick); otherwise stops and closes.
    void reject() override;
    /// Scans the host, or stops the scan under way.
    void toggleScan();

Q_SIGNALS:
    void deviceAdded(const Benchtop::DeviceSettings &settings);

private:
    enum class Phase { Idle, Connecting, Adding };

    QCoro::Task<> connectAndAdd(QString host, quint16 port, QString name);
    void setPhase(Phase phase);
    void showScanProgress(int probed, int total);
    void showScanFinished();
    void showScanFailed(const QString &reason);
    void addDaemonRow(const YaqDaemonInfo &daemon);
    void pickRow(int row);
    void updateScanButton();
    void showError(const QString &message, bool nameAtFault = false);
    void clearError();

    QList<LabDevice> m_existing;
    AddDevice m_add;
    YaqScanner *m_scanner = nullptr;
    QLineEdit *m_hostEdit = nullptr;
    QSpinBox *m_portSpin = nullptr;
    QPushButton *m_scanButton = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_scanStatus = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_nameLabel = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    QLabel *m_unavailableLabel = nullptr;
    QLabel *m_errorLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_addButton = nullptr;
    QString m_scannedHost; ///< the host as typed when the shown results were scanned
    QString m_suggestedName; ///< replaced by the next pick only while the user kept it
    Phase m_phase = Phase::Idle;
    bool m_unavailable = false;
    DeviceSettings m_settings;
    Async::TaskGroup m_tasks{QStringLiteral("yaq connect dialog")}; // last: destroyed first
};

} // namespace Benchtop::Ui
