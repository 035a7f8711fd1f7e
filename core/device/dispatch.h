// SPDX-License-Identifier: MIT
#pragma once

#include "messagedefinition.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace Benchtop {

class Device;

/// Calls the message `message` of `device` with positional `args` ("set_position", {5.0})
/// and returns its response (an invalid QVariant for yaq's null). This is how handles, bindings
/// and the network reach a device without knowing its driver. Call on the device's thread.
///
/// The message is looked up in the trait message table (messagetable.h), then among the
/// getters of the device's declared values and its own declared messages. Its arguments are
/// checked against the declaration (count, types; defaults filled in) before the driver is
/// called, and so is readiness: an acting message (Effect::Acts) is refused unless the device
/// is ready and its link is up. This is the one place readiness is checked; drivers do not
/// check it again.
///
/// Throws UnknownMessage for a message the device does not offer, DeviceError for wrong
/// arguments (naming the message and parameter) or a device that is not ready, and whatever
/// the driver throws. A device that forwards its messages (ForwardsMessages) is refused: its
/// calls must be awaited (callMessage(), awaitables.h). Server messages (shutdown, ...) are not
/// the device's and are not handled here.
QVariant invoke(Device &device, const QString &message, const QVariantList &args = {});

/// The messages `device` answers, sorted by name: those of its traits, its declared values'
/// getters and its own messages — or, for a device that forwards, its peer's.
QList<MessageDefinition> messageDefinitions(const Device &device);
/// Their names.
QStringList messagesOf(const Device &device);
/// The definition of `message` as `device` answers it, or nullopt when it does not.
std::optional<MessageDefinition> messageDefinition(const Device &device, const QString &message);

/// `args` checked against `definition`'s parameters: converted to their types, defaults filled
/// in. Throws DeviceError naming `device`, the message and the parameter.
QVariantList checkedArguments(
    const QString &device, const MessageDefinition &definition, const QVariantList &args);

} // namespace Benchtop
