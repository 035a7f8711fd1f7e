// SPDX-License-Identifier: MIT
#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;

namespace Benchtop {
struct DeviceSnapshot;
}

namespace Benchtop::Ui {

/// What the header says about a device, most serious first.
enum class PanelStatus {
    Waiting, ///< no snapshot yet
    Fault,
    Stopped,
    Disconnected,
    Connecting,
    NotResponding, ///< no snapshot, not even a keep-alive, for a while
    Busy,
    Ready,
};

/// The status a snapshot calls for; `stale`: nothing heard for several keep-alive periods.
PanelStatus panelStatus(const DeviceSnapshot &snapshot, bool stale);
/// Whether controls may act on a device in this status (not while it refuses calls).
bool acceptsCalls(PanelStatus status);

/// The top of a device panel: the device's name, its driver kind, the instrument's identity
/// when its driver reads one (`*IDN?`), and a status line (ready / busy / fault: reason /
/// disconnected: reason / ...) in a colour that reads on light and dark themes.
///
/// Object names: nameLabel, kindLabel, identityLabel, statusLabel, stallsLabel.
class PanelHeader : public QWidget {
    Q_OBJECT
public:
    explicit PanelHeader(QWidget *parent = nullptr);

    void setDevice(const QString &name, const QString &kind);
    /// Shows `status`; `reason` is shown with Fault, Disconnected and Connecting (when not
    /// empty). Cheap when nothing changed.
    void showStatus(PanelStatus status, const QString &reason);
    /// While Disconnected, the next attempt to reconnect: its number (0: none waits) and when it
    /// starts (ms since the epoch, UTC; the device's `reconnect_at_ms`). The status line then
    /// ends "; reconnecting (attempt N, next in S s)", S counting down every 100 ms.
    void showNextAttempt(int attempt, qint64 atMs);
    /// The instrument's make, model, serial and firmware; hidden when empty.
    void setIdentity(const QString &identity);
    /// How often the device held the device loop past the watchdog's threshold, and the
    /// longest hold (DeviceSnapshot::loopStalls); hidden while zero.
    void setLoopStalls(int count, qint64 longestMs);

private:
    void showStatusText();

    QLabel *m_name = nullptr;
    QLabel *m_kind = nullptr;
    QLabel *m_identity = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_stalls = nullptr;
    PanelStatus m_shown = PanelStatus::Waiting;
    QString m_reason;
    int m_attempt = 0;
    qint64 m_attemptAtMs = 0;
    QTimer m_countdown; ///< runs while an attempt is counted down to
};

} // namespace Benchtop::Ui
