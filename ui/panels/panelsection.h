// SPDX-License-Identifier: MIT
#pragma once

#include <QGroupBox>

namespace Benchtop {
struct DeviceSnapshot;
}

namespace Benchtop::Ui {

class DeviceActions;

/// One part of a device panel, drawn for one trait family from the device's description and
/// kept live from its snapshots. Sections never call the device themselves: they go through
/// DeviceActions, which reports every action and every refusal.
class PanelSection : public QGroupBox {
    Q_OBJECT
public:
    PanelSection(const QString &title, DeviceActions *actions, QWidget *parent = nullptr);

    /// Shows the newest snapshot. Called often (up to every snapshot of a fast device while the
    /// panel is visible): change only what changed, and never the layout.
    virtual void showSnapshot(const DeviceSnapshot &snapshot) = 0;
    /// Enables or disables what acts on the device (disabled while it is in fault). The default
    /// disables the whole section.
    virtual void setControlsEnabled(bool enabled) { setEnabled(enabled); }

protected:
    DeviceActions *actions() const { return m_actions; }
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void matchLiveBackgrounds();

    DeviceActions *m_actions;
    bool m_backgroundsMatched = false;
};

} // namespace Benchtop::Ui
