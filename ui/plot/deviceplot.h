// SPDX-License-Identifier: MIT
#pragma once

#include "devicehistory.h"

#include <host/devicehandle.h>

#include <QPointer>
#include <QWidget>

namespace Benchtop {
struct PropertyInfo;
} // namespace Benchtop

namespace Benchtop::Ui {

class LivePlot;

/// A live plot of one device: a series per numeric hinted property (a stage's position and
/// destination, each scalar channel of a sensor), fed with every reading the handle delivers
/// (DeviceHandle::readings(), several at once when deliveries are paced) at the time the device
/// published it, rebuilt when the device's description changes (a restart keeps the
/// history of the series that remain). Settable properties are drawn as steps (a destination
/// holds until set again), measured ones as lines. Spectra and other list-valued channels are not
/// plotted here: a trend of one number per snapshot would misrepresent them. The device's page
/// (DevicePage) draws each 1-D one as an array plot of its latest values instead
/// (DeviceArrayPlots).
///
/// Only measured readings are plotted (Readings::isMeasured()): when the device's link is lost
/// (or it faults, or stops) the series end there with a marker ("link lost 12:34:56",
/// LivePlot::breakAt()) and resume with the next measured reading; the last value is never
/// drawn on as if it were still being read. Given the device's recent past (a DeviceHistory,
/// kept while no plot was open), the plot starts with it.
///
/// The handle is not owned; when it is destroyed the plot stops updating. Thread affinity: the
/// handle's thread (the GUI thread).
class DevicePlot : public QWidget {
    Q_OBJECT
public:
    /// Starts with `history` (not kept) when given and it holds something, else with what the
    /// handle's snapshot shows now.
    explicit DevicePlot(
        DeviceHandle *handle, QWidget *parent = nullptr, const DeviceHistory *history = nullptr);
    ~DevicePlot() override;

    LivePlot *plot() const noexcept { return m_plot; }
    DeviceHandle *handle() const noexcept { return m_handle; }
    /// Whether a property gets a series: hinted, of type Double or Int.
    static bool isPlotted(const PropertyInfo &property);
    /// The label of the marker where readings stopped being measured at `outage`
    /// ("link lost 12:34:56", "fault 12:34:56", "stopped 12:34:56"; wall-clock time).
    static QString outageLabel(const DeviceHistory::Outage &outage);

private:
    void rebuild();
    void sample();
    void plotRows(const Readings &readings);
    void startWith(const DeviceHistory &history);

    QPointer<DeviceHandle> m_handle;
    LivePlot *m_plot;
    QStringList m_stateKeys; ///< of the plotted properties, which are also their series' keys
    /// The readings' columns of m_stateKeys (-1: none), for the readings' keys m_readingKeys.
    QList<qsizetype> m_columns;
    QStringList m_readingKeys;
    bool m_measuring = false; ///< the last row plotted was measured (no outage since)
};

} // namespace Benchtop::Ui
