// SPDX-License-Identifier: MIT
#pragma once

#include "panelheader.h"

#include <host/devicehandle.h>
#include <widgetframeclient.h>

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace Benchtop::Ui {

class DeviceActions;
class PanelSection;

/// One device's controls, composed from its traits and property metadata (never per driver):
/// a header (name, kind, status), a message line, then a section per trait family —
/// PositionSection (has-position), DiscreteSection (is-discrete, has-turret), SensorSection
/// (is-sensor), DigitalIoSection (has-digital-io) — and a collapsed AdvancedSection. Rebuilt
/// when the handle's description changes; kept live from its snapshots. While the device
/// refuses calls (fault, stopped, link down) the controls are disabled.
///
/// Cost: a snapshot updates only labels whose text changed, and never the layout. The header
/// (status, and whether controls are enabled) follows every snapshot; the sections' readouts
/// (positions, measured values) are refreshed on the shared FrameClock (Lane::Readouts) at most
/// kReadoutInterval apart, and at once for a prompt delivery (a change of status, busy, fault or
/// link, as the handle says: so that what the status says and what the numbers say always
/// agree), or while a call of the panel awaits its answer and for the first snapshot after it.
/// Whatever the rate, the latest snapshot is the one shown: a refresh reads the handle's
/// snapshot when it runs, so updates that stop leave their last value on screen. A hidden panel
/// ignores snapshots and catches up when shown; one scrolled out of sight skips its refresh and
/// catches up when painted again (WidgetFrameClient). So a thousand panels of fast devices cost
/// almost nothing while one is on screen, and a bounded share of each frame while all are.
///
/// Calls never block the GUI thread: they run as tasks owned by the panel, abandoned (not
/// cancelled on the device) when it is destroyed. The handle is not owned and may be destroyed
/// first (the panel then refuses calls).
///
/// Object names (for tests and style sheets): the header's nameLabel, kindLabel, statusLabel;
/// messageLabel (the last refusal, device error or notice); each section's, documented in its
/// header: positionSection (targetSpin, goButton, stopButton, homeButton, stepSpin,
/// stepDownButton, stepUpButton, positionLabel, destinationLabel, limitsLabel),
/// identifierSection / turretSection (identifierCombo, identifierLabel, turretCombo,
/// turretLabel, discreteStopButton), sensorSection (measureButton, loopButton,
/// measurementIdLabel, lastMeasuredLabel, channelValue:<channel>), digitalIoSection
/// (output:<line>, input:<line>, inputEvent:<line>), advancedSection (advancedToggle,
/// advancedContent, property:<name>, edit:<name>, set:<name>, config:<key>, value:<key>).
class DevicePanel : public QWidget {
    Q_OBJECT
public:
    /// The shortest time between two refreshes of the readouts: 20 Hz. A number that changes
    /// faster cannot be read (people read a few values a second at most), and 20 Hz still
    /// looks continuous for a counter or a stage in motion, so more would only cost frames.
    static constexpr std::chrono::milliseconds kReadoutInterval{50};

    explicit DevicePanel(DeviceHandle *handle, QWidget *parent = nullptr);
    ~DevicePanel() override;

    DeviceHandle *handle() const { return m_handle; }

Q_SIGNALS:
    /// Every operator action, as a short sentence ("Go to 5.000 mm", "Measure", "Home",
    /// "Loop on", "Set red on"), emitted when it is sent.
    void operatorAction(const QString &device, const QString &what);
    /// Every input the panel refused (out of limits) and every error a call returned.
    void inputRefused(const QString &device, const QString &reason);
    /// Everything the panel told the operator that is not a refusal ("moving to the limit
    /// instead"), for the log too.
    void notified(const QString &device, const QString &text);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void rebuild();
    void refresh();
    void onSnapshot(DeviceHandle::Delivery delivery);
    void refreshStatus();
    void showReadouts();
    void showMessage(const QString &text, bool refusal);
    bool isStale() const;

    QPointer<DeviceHandle> m_handle;
    QString m_deviceName;
    PanelHeader *m_header = nullptr;
    QLabel *m_message = nullptr;
    bool m_messageIsNotice = false; ///< the message shown came from notify(), not a refusal
    QWidget *m_body = nullptr; ///< the sections; replaced as a whole on rebuild
    QVBoxLayout *m_layout = nullptr;
    QList<PanelSection *> m_sections;
    DeviceActions *m_actions = nullptr;
    QTimer m_staleCheck;
    quint64 m_shownSequence = 0;
    PanelStatus m_status = PanelStatus::Waiting;
    QString m_shownReason; ///< what the header shows
    QString m_shownIdentity;
    int m_shownAttempt = 0; ///< the reconnection attempt the header counts down to
    qint64 m_shownAttemptAt = 0;
    int m_shownStalls = 0;
    bool m_headerShown = false;
    bool m_showNextAtOnce = false; ///< a call was just answered: show its effect at once
    bool m_shownAny = false;
    bool m_controlsEnabled = true;
    bool m_stale = false;
    WidgetFrameClient m_readouts; ///< the readouts' frames
};

} // namespace Benchtop::Ui
