// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>
#include <QVariantMap>

namespace Benchtop {

/// Where a device is in its life. A device in Fault refuses calls until it is restarted.
enum class DeviceStatus {
    Ready, ///< running: its tasks run and it takes calls
    Fault, ///< an exception escaped one of its tasks, or it could not be created
    Stopped, ///< shut down
};

QString toString(DeviceStatus status);

/// The state of a device's link to its instrument (a socket, a serial line). Drivers with no
/// link stay Connected. Orthogonal to DeviceStatus: a Ready device may be reconnecting.
enum class LinkState {
    Connected,
    Connecting, ///< (re)connecting; calls fail at once meanwhile
    Disconnected, ///< the peer went away
};

QString toString(LinkState link);

/// A copy of everything a device publishes, taken on the device's thread and handed to other
/// threads by value. `sequence` increases with every change, so a receiver can tell a newer
/// snapshot from an older one.
struct DeviceSnapshot {
    QString name;
    QString kind;
    DeviceStatus status = DeviceStatus::Ready;
    QString fault; ///< the reason, while status is Fault
    bool busy = false;
    LinkState link = LinkState::Connected;
    QVariantMap values; ///< state keys of its traits: position, destination, measured, ...
    quint64 sequence = 0;
    /// How often one of its steps held the device loop past the watchdog's threshold, and the
    /// longest hold in milliseconds (DeviceHost::Options::watchdog); kept across restarts.
    int loopStalls = 0;
    qint64 longestStallMs = 0;
};

} // namespace Benchtop

Q_DECLARE_METATYPE(Benchtop::DeviceSnapshot)
