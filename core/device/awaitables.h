// SPDX-License-Identifier: MIT
#pragma once

#include <QCoroTask>
#include <QVariantMap>

namespace Benchtop {

class Device;

// The coroutine forms of the trait calls, for code that wants to wait for the outcome. Each is
// a cancellation point; cancelling it does not stop the device (call stop() for that). They
// throw DeviceError if the device refuses, is in fault or falls into fault meanwhile, or if the
// call's background work failed: a driver reports that in its value `error` (a string, cleared
// when such a call starts), as the SCPI and Modbus drivers do.

/// set_position, then resumes when the motion has ended; returns the final position.
QCoro::Task<double> moveTo(Device &device, double position);
/// home, then resumes when homing has ended; returns the position.
QCoro::Task<double> homeAndWait(Device &device);
/// measure (one shot), then resumes with that measurement (its `measurement_id` is the one
/// measure() returned). Throws DeviceError if the measurement was stopped before it ended.
QCoro::Task<QVariantMap> measureOnce(Device &device);
/// set_identifier, then resumes when the move has ended; returns the identifier reached.
QCoro::Task<QString> moveToIdentifier(Device &device, const QString &identifier);

} // namespace Benchtop
