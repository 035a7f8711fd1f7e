// SPDX-License-Identifier: MIT
#pragma once

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
/// The handle is not owned; when it is destroyed the plot stops updating. Thread affinity: the
/// handle's thread (the GUI thread).
class DevicePlot : public QWidget {
    Q_OBJECT
public:
    explicit DevicePlot(DeviceHandle *handle, QWidget *parent = nullptr);
    ~DevicePlot() override;

    LivePlot *plot() const noexcept { return m_plot; }
    DeviceHandle *handle() const noexcept { return m_handle; }
    /// Whether a property gets a series: hinted, of type Double or Int.
    static bool isPlotted(const PropertyInfo &property);

private:
    void rebuild();
    void sample();
    void plotRows(const Readings &readings);

    QPointer<DeviceHandle> m_handle;
    LivePlot *m_plot;
    QStringList m_stateKeys; ///< of the plotted properties, which are also their series' keys
    /// The readings' columns of m_stateKeys (-1: none), for the readings' keys m_readingKeys.
    QList<qsizetype> m_columns;
    QStringList m_readingKeys;
};

} // namespace Benchtop::Ui
