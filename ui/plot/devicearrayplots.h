// SPDX-License-Identifier: MIT
#pragma once

#include <async/taskgroup.h>
#include <host/devicehandle.h>

#include <QList>
#include <QPointer>
#include <QVariant>
#include <QWidget>

#include <chrono>

class QVBoxLayout;

namespace Benchtop::Ui {

class ArrayPlot;

/// The array channels of one sensor, each as a live ArrayPlot, stacked top to bottom: every
/// channel published under `measured/` whose declared shape is 1-D (is-sensor's
/// get_channel_shapes; a 2-D image is not drawn as a line), against the axis its driver maps it
/// to (has-mapping: get_channel_mappings, get_mapping_units, get_mappings: "wavelength (nm)"),
/// or against its index when it has none.
///
/// The shapes and mappings are asked for (calls that never block) when the device's
/// description changes; until they are answered there are no plots. A mapping changes when the
/// device says so (a grating turned): while measurements arrive, get_mapping_id is asked at most
/// once every kMappingCheckInterval and the mappings again when it has changed. Each new
/// measurement (a new measurement id) hands each plot its array, which the plot draws at its
/// own pace (ArrayPlot).
///
/// The handle is not owned; when it is destroyed the plots stop updating. Object names:
/// arrayPlot:<channel>. Thread affinity: the handle's thread (the GUI thread).
class DeviceArrayPlots : public QWidget {
    Q_OBJECT
public:
    static constexpr std::chrono::seconds kMappingCheckInterval{1};

    explicit DeviceArrayPlots(DeviceHandle *handle, QWidget *parent = nullptr);
    ~DeviceArrayPlots() override;

    /// The plot of `channel`, or nullptr when it has none.
    ArrayPlot *plot(const QString &channel) const;
    QList<ArrayPlot *> plots() const;
    bool isEmpty() const { return m_plots.isEmpty(); }

Q_SIGNALS:
    /// Plots were added or removed (a page shows or hides this widget).
    void plotsChanged();

private:
    struct Channel {
        QString name;
        QString stateKey;
        ArrayPlot *plot = nullptr;
    };
    struct Mappings {
        QVariant id;
        QVariantMap channelMappings; ///< channel → list of mapping names
        QVariantMap units; ///< mapping → units
        QVariantMap values; ///< mapping → list of numbers
    };

    void rebuild();
    void fetchShapes();
    void showChannels(const QVariantMap &shapes);
    void fetchMappings();
    void checkMapping();
    void applyMappings(const Mappings &mappings);
    void onSnapshot();

    QPointer<DeviceHandle> m_handle;
    QVBoxLayout *m_layout;
    QList<Channel> m_plots;
    bool m_hasMapping = false;
    int m_generation = 0; ///< of the description; answers to an older one are dropped
    QVariant m_mappingId;
    bool m_mappingCallPending = false;
    std::chrono::steady_clock::time_point m_lastMappingCheck;
    QVariant m_lastMeasurementId;
    bool m_shownAny = false;
    Async::TaskGroup m_calls; // last: destroyed first, before what its tasks use
};

} // namespace Benchtop::Ui
