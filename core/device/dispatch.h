// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <QVariant>

namespace Benchtop {

class Device;

/// Calls the yaq message `message` of `device` with positional `args` ("set_position", {5.0})
/// and returns its response (an invalid QVariant for yaq's null). Trait messages go to the
/// trait interfaces; others to Device::invokeOwn. This is how handles, bindings and the network
/// reach a device without knowing its driver. Call on the device's thread.
///
/// Throws UnknownMessage for a message the device does not offer, DeviceError for wrong
/// arguments (naming the message and parameter) or a device in fault, and whatever the driver
/// throws. `shutdown` is the host's, not the device's, and is not handled here.
QVariant invoke(Device &device, const QString &message, const QVariantList &args = {});

/// The trait messages `device` offers, sorted.
QStringList messagesOf(const Device &device);

} // namespace Benchtop
