// SPDX-License-Identifier: MIT
#pragma once

#include "samplebuffer.h"

#include <device/devicesnapshot.h>

#include <QList>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>
#include <vector>

namespace Benchtop {
class DeviceHandle;
class Readings;
} // namespace Benchtop

namespace Benchtop::Ui {

/// The recent past of one device's plotted readings (the properties DevicePlot::isPlotted()
/// picks), kept whether or not a plot shows the device, so that a plot opened later starts with
/// it (DevicePlot seeds itself from it): the kSpanS seconds before its newest measured reading,
/// and the times its readings stopped being measured (Outage: the link lost, a fault) in that
/// span or since.
///
/// Memory stays small and bounded: what is older than the newest reading by more than kSpanS is
/// dropped, and each kBucketS of a series keeps at most its minimum and maximum samples (plus
/// the newest), so a series takes at most 2 × kSpanS / kBucketS samples of 16 bytes (38 kB)
/// whatever its rate; a device at rest, a sample or two. Times are seconds on the steady clock
/// (LivePlot::secondsNow()). Not thread-safe: the GUI thread, as the handles it is fed from.
class DeviceHistory {
public:
    static constexpr double kSpanS = 120;
    static constexpr double kBucketS = 0.1;

    /// When a device's readings stopped being measured (Readings::isMeasured()): the first row
    /// that was not, and the device's link and status then.
    struct Outage {
        double t = 0;
        LinkState link = LinkState::Connected;
        DeviceStatus status = DeviceStatus::Ready;
    };

    /// Takes the rows `handle` delivered with its last snapshotChanged() (its readings()).
    /// Rows not measured add no sample; the first of them after a measured one is an outage.
    void record(const DeviceHandle &handle);

    /// The plotted state keys with samples held.
    QStringList keys() const;
    /// The samples of `key` held, oldest first: the minimum and maximum of each kBucketS,
    /// then the newest sample.
    std::vector<Sample> samples(const QString &key) const;
    /// The outages held, oldest first.
    const std::vector<Outage> &outages() const noexcept { return m_outages; }
    /// Whether the last row recorded was measured (false once an outage began, until a
    /// measured row comes again).
    bool isMeasuring() const noexcept { return m_measuring; }
    /// The samples held, all keys together (for tests and diagnostics).
    qsizetype sampleCount() const;

private:
    struct Series {
        QString key;
        qsizetype column = -1; ///< in the readings' columns
        std::deque<Sample> closed; ///< the extremes of the buckets before `bucket`, in order
        qint64 bucket = 0;
        std::optional<Sample> bucketMin;
        std::optional<Sample> bucketMax;
        std::optional<Sample> latest;
        void append(double t, double value);
        void closeBucket();
    };

    void follow(const DeviceHandle &handle, const Readings &readings);
    void prune(double newestS);

    std::vector<Series> m_series;
    QStringList m_readingKeys; ///< the readings' columns m_series were matched to
    std::vector<Outage> m_outages;
    bool m_measuring = false;
};

} // namespace Benchtop::Ui
