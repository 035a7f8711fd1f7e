// SPDX-License-Identifier: MIT
#pragma once

// What a run produces: a stream of documents named as in Bluesky's event model (RunStart,
// Descriptor, Event, RunStop), so that a user who knows that model recognises them. The engine
// (core/run/runengine) makes them on the device thread; writers (HDF5/NeXus, CSV, the JSON-lines
// journal) and widgets consume them. They are plain values, copied across threads.
//
// An Event's data are a vector aligned with its Descriptor's dataKeys rather than a map: at
// 100,000 points/s a map per point is the largest cost a writer would pay.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

#include <variant>
#include <vector>

namespace Benchtop::Run {

/// One column of a stream: what a Descriptor says about a value each Event carries.
struct DataKey {
    QString name; ///< the column's name, unique in its stream: "stage-x" or "dmm.voltage"
    /// "number" (double), "integer" (qint64), "boolean", "string", or "array" (a QList<double>
    /// per point, of `shape`)
    QString dtype;
    QList<int> shape; ///< empty for a scalar; {1024} for a 1024-point spectrum
    QString units; ///< empty when the device declares none
    QString source; ///< where it comes from: "device.value", e.g. "stage-x.position"
    QString device; ///< the device that measures or moves it
    /// "axis" (a value the plan sets), "detector" (a sensor's channel read at each point) or
    /// "record" (an extra value the plan asked to record)
    QString role;
    /// For dtype "string" with a known set of values (an is-discrete device's identifiers):
    /// the values, so a writer may store each point as an index into them. Empty otherwise.
    QStringList choices;
};

/// The configuration of one device of the lab, as the run found it.
struct DeviceConfiguration {
    QString name;
    QString driver;
    QStringList traits;
    QVariantMap config; ///< its lab table, normalized
    QVariantMap state; ///< its state at the start (position, slot, ...)
    QVariantMap identity; ///< make, model, serial, firmware (Device::id())
};

/// The first document of a run.
struct RunStart {
    QString uid; ///< a UUID v4, without braces
    qint64 scanId = 0; ///< from the counter kept in the data folder
    double time = 0; ///< seconds since the Unix epoch
    QString planKind; ///< "count", "scan", "list_scan", "grid_scan", "adaptive_scan", "time_series"
    QString planPath; ///< as given; empty when the plan came as text
    QByteArray planText; ///< verbatim
    QString labPath;
    QByteArray labText; ///< verbatim
    QVariantMap metadata; ///< the plan's [metadata] table: sample, operator, comment, user keys
    /// The expanded shape, slowest axis first: {3, 4} for a 3×4 grid, {N} for N points; empty
    /// when the point count is not known in advance (adaptive, count until stopped).
    QList<int> shape;
    QStringList axes; ///< the axis columns' names, slowest first (hints.dimensions)
    QStringList detectors; ///< the detector devices
    qint64 expectedPoints = -1; ///< -1 when not known in advance
    QString program; ///< "Benchtop"
    QString programVersion;
};

/// Describes one stream of events: "primary" (one event per point) or "baseline" (a reading of
/// every readable device at the start and at the end).
struct Descriptor {
    QString uid;
    QString runStart; ///< the RunStart's uid
    QString name; ///< "primary" or "baseline"
    double time = 0;
    QList<DataKey> dataKeys;
    /// Every device of the lab, not only those of the plan.
    QList<DeviceConfiguration> configuration;
};

/// One point of a stream.
struct Event {
    QString descriptor; ///< the Descriptor's uid
    qint64 seqNum = 0; ///< 1, 2, 3, ... in its stream, without gaps
    double time = 0; ///< seconds since the Unix epoch, when the point was complete
    std::vector<QVariant> data; ///< aligned with the Descriptor's dataKeys
    std::vector<double> timestamps; ///< when each value was measured (Unix seconds), aligned too
    /// For a grid: the point's index along each axis, slowest first. Empty otherwise.
    std::vector<int> gridIndex;
};

/// A run waited for a device (fault, lost link, a suspender's condition); recorded when it ends.
struct Suspension {
    QString runStart;
    double start = 0; ///< Unix seconds
    double end = 0;
    QString device; ///< the device waited for; empty for a condition on a value
    QString reason;
};

/// The last document of a run.
struct RunStop {
    QString uid;
    QString runStart;
    double time = 0;
    QString exitStatus; ///< "success", "abort" or "fail"
    QString reason; ///< "completed", "stopped", or what failed or why it was aborted
    qint64 numEvents = 0; ///< events of the primary stream
};

using Document = std::variant<RunStart, Descriptor, Event, Suspension, RunStop>;

} // namespace Benchtop::Run
