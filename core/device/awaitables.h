// SPDX-License-Identifier: MIT
#pragma once

#include <QCoroTask>
#include <QVariantMap>

#include <functional>

namespace Benchtop {

class Device;

/// Calls `message` of `device` and gives its response: at once for a device that answers
/// itself (invoke(), dispatch.h), awaiting the peer for one that forwards its messages
/// (ForwardsMessages::forward, once the device is ready). Throws as invoke() does, or with the
/// peer's error.
QCoro::Task<QVariant> callMessage(Device &device, QString message, QVariantList args = {});

/// How callAndWait() reaches the device. The default is callMessage(); the device host passes
/// its own, which times the driver's calls for the loop's health.
using MessageCaller = std::function<QCoro::Task<QVariant>(QString message, QVariantList args)>;

/// Calls `message` and resumes once the device is idle again, with what the message table
/// says the call answers then (OnceIdle): the final position after set_position,
/// set_relative and home; the identifier reached after set_identifier; the measurement (a
/// map) after measure, which is always one shot; the call's own response otherwise. It is one
/// path for devices that answer themselves and devices that forward.
///
/// After an acting message (Effect::Acts) it throws DeviceError with the device's `error`
/// when the call's background work failed (docs/decisions.md §20). Throws DeviceError when the
/// device falls in fault, a measurement was stopped before it ended, or the device is
/// destroyed (restarted, removed) meanwhile. A cancellation point; cancelling it does not stop
/// the device (call stop for that).
QCoro::Task<QVariant> callAndWait(
    Device &device, QString message, QVariantList args = {}, MessageCaller call = {});

// Typed forms of callAndWait(), for code that drives one device.

/// set_position, then the final position.
QCoro::Task<double> moveTo(Device &device, double position);
/// home, then the position (0 for a device without has-position).
QCoro::Task<double> homeAndWait(Device &device);
/// measure (one shot), then that measurement (its `measurement_id` is the one measure()
/// returned).
QCoro::Task<QVariantMap> measureOnce(Device &device);
/// set_identifier, then the identifier reached.
QCoro::Task<QString> moveToIdentifier(Device &device, const QString &identifier);

} // namespace Benchtop
