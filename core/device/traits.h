// SPDX-License-Identifier: MIT
#pragma once

// The trait interfaces. Their names, methods and state keys follow the yaq traits (yaq.fyi), so a
// device can be served over the yaq protocol without translation; is-stoppable and
// has-digital-io are Benchtop's own. A driver's device class derives from Device and from the
// traits it offers, and lists them in Q_INTERFACES so that qobject_cast finds them across the
// plugin boundary.
//
// Contract shared by every trait: calls are made on the device's thread, return quickly (yaq's
// synchronous RPC methods) and may start a task of the device; `busy` is true until that task
// ends. A refused request throws DeviceError with a message naming the device.

#include "limits.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <chrono>

namespace Benchtop {

/// yaq trait names, as they appear in plugin metadata, lab checks and the yaq protocol.
namespace Trait {
inline constexpr auto IsDaemon = "is-daemon";
inline constexpr auto HasPosition = "has-position";
inline constexpr auto HasLimits = "has-limits";
inline constexpr auto IsHomeable = "is-homeable";
inline constexpr auto HasTurret = "has-turret";
inline constexpr auto IsSensor = "is-sensor";
inline constexpr auto HasMeasureTrigger = "has-measure-trigger";
inline constexpr auto IsDiscrete = "is-discrete";
inline constexpr auto IsStoppable = "is-stoppable";
inline constexpr auto HasDigitalIo = "has-digital-io";
inline constexpr auto HasMapping = "has-mapping";
} // namespace Trait

/// The keys of the values a trait publishes (Device::values(), a snapshot's values), as yaq's
/// trait state names them. A driver publishes through these (or through the trait helpers of
/// traitsupport.h, which publish them for it), never by re-typing the strings.
namespace StateKey {
// has-position
inline const QString Position = QStringLiteral("position");
inline const QString Destination = QStringLiteral("destination");
// has-limits: the hardware's travel, [lower, upper]
inline const QString HwLimits = QStringLiteral("hw_limits");
// is-sensor: channel → value plus `measurement_id`; and the id alone
inline const QString Measured = QStringLiteral("measured");
inline const QString MeasurementId = QStringLiteral("measurement_id");
/// has-measure-trigger: the loop interval, in seconds.
inline const QString LoopInterval = QStringLiteral("loop_interval");
/// has-measure-trigger: why the last loop ended by itself ("loop ended: link to dmm lost (…)"),
/// present once one has; "" again when the next measurement starts.
inline const QString LoopEnded = QStringLiteral("loop_ended");
// is-discrete
inline const QString PositionIdentifier = QStringLiteral("position_identifier");
// has-turret
inline const QString Turret = QStringLiteral("turret");
// has-digital-io: line → bool; and each input line's last push-button event
inline const QString Inputs = QStringLiteral("inputs");
inline const QString Outputs = QStringLiteral("outputs");
inline const QString LastEvents = QStringLiteral("last_events");
// Every device: why its link is down ("" when up), and the failure of a call's background
// work ("" after a success; docs/decisions.md §20).
inline const QString LinkError = QStringLiteral("link_error");
inline const QString Error = QStringLiteral("error");
// Drivers that reconnect, while the link is down and the next attempt waits: its number (1 for
// the first after a loss or a failed first connection; 0 while none waits), when it starts
// (milliseconds since the epoch, UTC) and the whole wait in seconds (Device::setReconnectWait).
inline const QString ReconnectAttempt = QStringLiteral("reconnect_attempt");
inline const QString ReconnectAt = QStringLiteral("reconnect_at_ms");
inline const QString ReconnectWait = QStringLiteral("reconnect_wait_s");
} // namespace StateKey

/// Every trait name Benchtop knows, in a stable order.
QStringList knownTraits();

/// The messages of `traits` that take no argument and make the device act (home, measure,
/// stop, stop_looping): what a digital input can be bound to trigger.
QStringList triggerMessages(const QStringList &traits);

/// has-position. State keys: `position`, `destination`.
class HasPosition {
public:
    virtual ~HasPosition() = default;
    virtual QString units() const = 0;
    virtual double position() const = 0;
    virtual double destination() const = 0;
    /// Sets the destination and starts the motion; returns at once (busy until it ends). With
    /// has-limits the target first goes through the `out_of_limits` policy.
    virtual void setPosition(double position) = 0;
    /// Moves by `distance` from the current destination; returns the new destination.
    virtual double setRelative(double distance)
    {
        setPosition(destination() + distance);
        return destination();
    }
};

/// has-limits. Config keys `limits` ([lower, upper]) and `out_of_limits`; state key `hw_limits`.
class HasLimits {
public:
    virtual ~HasLimits() = default;
    /// The configured limits intersected with the hardware's.
    virtual Limits limits() const = 0;
    virtual OutOfLimits outOfLimits() const = 0;
    bool inLimits(double position) const { return limits().contains(position); }
};

/// is-homeable: home() starts a homing run and returns at once; busy until it has ended.
class IsHomeable {
public:
    virtual ~IsHomeable() = default;
    virtual void home() = 0;
};

/// has-turret: selects one of several named turrets (a spectrometer's gratings).
class HasTurret {
public:
    virtual ~HasTurret() = default;
    virtual QStringList turretIdentifiers() const = 0;
    virtual QString turret() const = 0;
    virtual void setTurret(const QString &identifier) = 0;
};

/// is-sensor. State keys: `measured` (channel → value, plus `measurement_id`).
class IsSensor {
public:
    virtual ~IsSensor() = default;
    virtual QStringList channelNames() const = 0;
    /// channel → units ("" when unitless).
    virtual QVariantMap channelUnits() const = 0;
    /// channel → shape; an empty shape is a scalar.
    virtual QMap<QString, QList<int>> channelShapes() const = 0;
    /// The latest measurement: one entry per channel and `measurement_id`.
    virtual QVariantMap measured() const = 0;
    /// The id of the latest measurement; ids increase by one per measurement, from 0.
    virtual int measurementId() const = 0;
};

/// has-measure-trigger: measure() starts one measurement (or a loop of them) and returns the id
/// the (first) measurement will get; busy until it (or the loop) has ended.
class HasMeasureTrigger {
public:
    virtual ~HasMeasureTrigger() = default;
    virtual int measure(bool loop) = 0;
    /// Ends a loop after the measurement in progress.
    virtual void stopLooping() = 0;
    /// The shortest time from the start of one measurement of a loop to the start of the next;
    /// zero (the default): each starts as soon as the one before has ended.
    virtual std::chrono::milliseconds loopInterval() const = 0;
    /// Throws DeviceError for a negative interval.
    virtual void setLoopInterval(std::chrono::milliseconds interval) = 0;
};

/// has-mapping (yaq): the axes of array channels — a spectrometer's wavelengths, a camera's
/// pixel positions. Each mapping is a named array of values with units; each channel names
/// the mapping of every axis of its shape. State keys: none (yaq's mappings are read by calls).
class HasMapping {
public:
    virtual ~HasMapping() = default;
    /// channel → one mapping name per axis of its shape (channels without one are left out).
    virtual QMap<QString, QStringList> channelMappings() const = 0;
    /// mapping → units ("" when unitless).
    virtual QVariantMap mappingUnits() const = 0;
    /// mapping → its values, one per point of the axis it maps.
    virtual QMap<QString, QList<double>> mappings() const = 0;
    /// Increases by one whenever mappings() changes (a grating turned), from 0.
    virtual int mappingId() const = 0;
};

/// is-discrete: named positions. State key `position_identifier`.
class IsDiscrete {
public:
    virtual ~IsDiscrete() = default;
    /// identifier → position, in the device's units.
    virtual QMap<QString, double> positionIdentifiers() const = 0;
    /// The identifier at the current position, or "" when between them.
    virtual QString identifier() const = 0;
    /// Starts a move to the named position; returns its position.
    virtual double setIdentifier(const QString &identifier) = 0;
};

/// The names of `identifiers` (identifier → position) in position order, as the slots of a
/// wheel are: a selector lists them so, not alphabetically. Ties keep alphabetical order.
QStringList identifiersInPositionOrder(const QMap<QString, double> &identifiers);

/// is-stoppable: ends a move, a homing run or a measurement loop. Afterwards the device is idle,
/// its destination is where it stopped, and a stopped measurement keeps its previous result.
class IsStoppable {
public:
    virtual ~IsStoppable() = default;
    virtual void stop() = 0;
};

/// has-digital-io: named input and output lines. Input events (debounced switch and push-button
/// events) arrive through Device::inputEvent. State keys `inputs`, `outputs` (line → bool).
class HasDigitalIo {
public:
    virtual ~HasDigitalIo() = default;
    virtual QStringList inputNames() const = 0;
    virtual QStringList outputNames() const = 0;
    virtual bool input(const QString &line) const = 0;
    virtual bool output(const QString &line) const = 0;
    virtual void setOutput(const QString &line, bool on) = 0;
};

} // namespace Benchtop

// Unversioned IIDs: the plugin ABI number (docs/plugin-abi.md) versions them all at once.
Q_DECLARE_INTERFACE(Benchtop::HasPosition, "dev.benchtop.HasPosition")
Q_DECLARE_INTERFACE(Benchtop::HasLimits, "dev.benchtop.HasLimits")
Q_DECLARE_INTERFACE(Benchtop::IsHomeable, "dev.benchtop.IsHomeable")
Q_DECLARE_INTERFACE(Benchtop::HasTurret, "dev.benchtop.HasTurret")
Q_DECLARE_INTERFACE(Benchtop::IsSensor, "dev.benchtop.IsSensor")
Q_DECLARE_INTERFACE(Benchtop::HasMeasureTrigger, "dev.benchtop.HasMeasureTrigger")
Q_DECLARE_INTERFACE(Benchtop::IsDiscrete, "dev.benchtop.IsDiscrete")
Q_DECLARE_INTERFACE(Benchtop::IsStoppable, "dev.benchtop.IsStoppable")
Q_DECLARE_INTERFACE(Benchtop::HasDigitalIo, "dev.benchtop.HasDigitalIo")
Q_DECLARE_INTERFACE(Benchtop::HasMapping, "dev.benchtop.HasMapping")
