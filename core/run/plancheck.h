// SPDX-License-Identifier: MIT
#pragma once

// Checking a plan against a lab's devices before anything moves (docs/runs.md, "What is
// checked"): what the plan asks of each device against what the device is, taken from the
// running devices as PlanDevice values so that the check itself is pure and runs anywhere.

#include <device/limits.h>
#include <lab/laberror.h>
#include <run/plan.h>

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace Benchtop {
class Device;
class DeviceHost;
} // namespace Benchtop

namespace Benchtop::Run {

/// What the plan check (and the engine) needs to know of one device of the lab.
struct PlanDevice {
    QString name;
    QString kind; ///< its driver kind, for messages
    QStringList traits; ///< yaq trait names (Trait::...)
    /// Why it cannot be used now (in fault, or not created), empty when it can.
    QString fault;
    /// has-limits: the limits in force (configured ∩ hardware); unbounded without the trait (or
    /// when the device forwards to a peer, whose limits are not known here).
    Limits limits;
    QString positionUnits; ///< has-position
    std::optional<double> position; ///< has-position: where it was when described
    QStringList identifiers; ///< is-discrete: the named positions
    /// has-turret: the turrets' identifiers; slot i is identifier i, so their number is the
    /// slot count.
    QStringList turretIdentifiers;
    QStringList values; ///< the names of every value it publishes (Device::values() keys)
    QStringList channels; ///< is-sensor: its channels (recordable as "device.channel" too)
    QMap<QString, QList<int>> channelShapes; ///< is-sensor: channel → shape (empty: a scalar)
    QVariantMap channelUnits; ///< is-sensor: channel → units

    bool has(const char *trait) const { return traits.contains(QLatin1String(trait)); }
    /// Whether `name` can be recorded as "device.name": a published value or a channel.
    bool publishes(const QString &name) const
    {
        return values.contains(name) || channels.contains(name);
    }
};

/// `device` as the plan check sees it. On the device's thread.
PlanDevice describePlanDevice(const Device &device);
/// Every device of `host`, in lab order; one that is not running (its creation failed) has only
/// its name and `fault`. On the device thread (the host's).
QList<PlanDevice> describePlanDevices(const DeviceHost &host);

/// Checks a plan that parsed without errors (planfile.h) against `devices`; returns every
/// problem, located in the plan file as the parser's errors are, sorted:
/// - a detector, a `record`'s device, an axis's device or the target's device that is not in
///   the lab (the closest name suggested), or is in fault;
/// - an axis device without has-position, is-discrete or has-turret; numbers (or start/stop) for
///   a device without has-position (or, for a has-turret device, numbers that are not slots);
///   identifiers for a device without is-discrete or has-turret;
/// - a detector without is-sensor; a `record` value the device does not publish (closest name
///   suggested); an adaptive target that is not a scalar channel of its detector;
/// - a point of an absolute axis outside its device's limits, naming the axis, the point's
///   (1-based) index along the axis and its value, and the limits; an identifier the device does
///   not have; a slot out of range.
/// Relative axes are checked at the start of the run, against where their device is then:
/// checkRelativeAxes(). On success (and only then) the values of has-turret slot axes become
/// ints (PlanPoint's convention), which is why `plan` is not const. Pure; any thread.
QList<LabError> checkPlan(Plan &plan, const QList<PlanDevice> &devices);

/// The points of the relative axes of `plan` (checked by checkPlan) against their devices'
/// limits, each offset added to PlanDevice::position (describe the devices at the start of the
/// run, before the first move). An axis whose device has no known position is an error. Pure.
QList<LabError> checkRelativeAxes(const Plan &plan, const QList<PlanDevice> &devices);

} // namespace Benchtop::Run
