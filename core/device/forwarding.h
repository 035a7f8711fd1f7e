// SPDX-License-Identifier: MIT
#pragma once

#include "messagedefinition.h"
#include "propertyinfo.h"

#include <QCoroTask>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QVariant>

namespace Benchtop {

/// A device whose messages are answered elsewhere — a yaq daemon on another computer — rather
/// than by trait interfaces in this process. Its traits, messages and properties are what that
/// peer declares (Device::traits(), properties() and messageDefinitions() return them), and a call
/// goes to the peer and so cannot return at once: DeviceHost::callAsync, handles and the yaq server
/// await forward(); the synchronous invoke() refuses it. A driver's device derives from Device
/// and this, and lists it in Q_INTERFACES.
///
/// Thread affinity: the device's thread, like every Device.
class ForwardsMessages {
public:
    virtual ~ForwardsMessages() = default;
    virtual QStringList forwardedTraits() const = 0;
    /// The peer's messages as its protocol document declares them (the traits' follow the
    /// message table's effect and awaited answer where the name is a trait message's).
    virtual QList<MessageDefinition> forwardedMessages() const = 0;
    virtual QList<PropertyInfo> forwardedProperties() const = 0;
    /// Calls `message` on the peer; resumes with its response (an invalid QVariant for null).
    /// Throws DeviceError with the peer's error, or when the peer cannot be reached in time.
    /// When it resumes, the device's busy() already reflects what the call started, so that
    /// untilIdle() right after it waits for that. The device may be destroyed (restarted,
    /// removed) while a call is suspended here: a forward() must then resume with an exception
    /// without touching it.
    virtual QCoro::Task<QVariant> forward(QString message, QVariantList args) = 0;
};

/// The device's forwarding interface, or null for a device that answers its messages itself.
ForwardsMessages *forwardingOf(QObject *device);
const ForwardsMessages *forwardingOf(const QObject *device);

} // namespace Benchtop

Q_DECLARE_INTERFACE(Benchtop::ForwardsMessages, "dev.benchtop.ForwardsMessages")
