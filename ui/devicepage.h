// SPDX-License-Identifier: MIT
#pragma once

#include <QSplitter>

class QScrollArea;

namespace Benchtop {
class DeviceHandle;
}

namespace Benchtop::Ui {

class DeviceHistory;
class DevicePanel;
class DevicePlot;

/// One opened device, as a tab of the window shows it: its DevicePanel in a scroll area, at the
/// panel's natural width, beside its DevicePlot, which takes the rest of the width. A device with
/// nothing to plot (a digital panel, a spectrum-only sensor) gets no empty axes: the plot is
/// hidden. Both follow the device's description, which may arrive later (a device still
/// connecting): the panel's width is taken again once its layout has settled, and the plot is
/// shown or hidden again. Named "device:<name>". GUI thread only; `handle` must outlive it.
class DevicePage : public QSplitter {
    Q_OBJECT
public:
    /// The plot starts with `history` (not kept) when given: the device's recent past.
    explicit DevicePage(
        DeviceHandle *handle, QWidget *parent = nullptr, const DeviceHistory *history = nullptr);

    DevicePanel *panel() const { return m_panel; }
    DevicePlot *plot() const { return m_plot; }

private:
    void fitPanel();
    void showPlotIfUseful();

    DeviceHandle *m_handle;
    QScrollArea *m_scroll = nullptr;
    DevicePanel *m_panel = nullptr;
    DevicePlot *m_plot = nullptr;
};

} // namespace Benchtop::Ui
