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
class DeviceArrayPlots;
class DevicePlot;

/// One opened device, as a tab of the window shows it: its DevicePanel in a scroll area, at the
/// panel's natural width, beside its plots, which take the rest of the width: the DevicePlot of
/// its numbers over time above the DeviceArrayPlots of its spectra (a sensor's 1-D array
/// channels), one over the other in a splitter. A device gets no empty axes: a plot with nothing
/// to draw (no numbers for the time plot, no arrays for the array plots) is hidden, and so is the
/// column when both are (a digital panel). All follow the device's description, which may arrive
/// later (a device still connecting): the panel's width is taken again once its layout has
/// settled, and the plots are shown or hidden again. Named "device:<name>". GUI thread only;
/// `handle` must outlive it.
class DevicePage : public QSplitter {
    Q_OBJECT
public:
    /// The plot starts with `history` (not kept) when given: the device's recent past.
    explicit DevicePage(
        DeviceHandle *handle, QWidget *parent = nullptr, const DeviceHistory *history = nullptr);

    DevicePanel *panel() const { return m_panel; }
    DevicePlot *plot() const { return m_plot; }
    DeviceArrayPlots *arrayPlots() const { return m_arrays; }
    /// The column of plots beside the panel: plot() above arrayPlots().
    QSplitter *plots() const { return m_plots; }

private:
    void fitPanel();
    void showPlotsIfUseful();

    DeviceHandle *m_handle;
    QScrollArea *m_scroll = nullptr;
    DevicePanel *m_panel = nullptr;
    QSplitter *m_plots = nullptr;
    DevicePlot *m_plot = nullptr;
    DeviceArrayPlots *m_arrays = nullptr;
};

} // namespace Benchtop::Ui
