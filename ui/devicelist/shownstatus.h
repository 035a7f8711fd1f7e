// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QString>

namespace Benchtop {
struct DeviceSnapshot;
}

namespace Benchtop::Ui {

/// What the window shows for a device, from its last snapshot and from how recently the handle
/// heard from it. One word, so an operator reads a list of devices at a glance.
enum class ShownStatus {
    Idle, ///< ready and not busy
    Busy, ///< ready and moving, measuring, homing...
    Stopped, ///< shut down
    Fault, ///< refuses calls until restarted; the snapshot's fault says why
    Connecting, ///< its link is (re)connecting, or the handle has not heard from it yet
    Disconnected, ///< its link is down, whatever its status (a lost link usually ends in fault)
    Stale, ///< nothing heard for too long: what the snapshot says may no longer be true
};

/// How recently a handle heard from its device, measured against the stale limit.
enum class Heard {
    Never, ///< no snapshot yet, and not for long
    Recently,
    TooLongAgo, ///< or never, for longer than the stale limit
};

ShownStatus shownStatus(const DeviceSnapshot &snapshot, Heard heard);

/// The status as one lower-case word ("idle", "fault", ...): stable, not translated, what
/// DeviceListModel::statusChanged carries and its StatusRole holds.
QString toString(ShownStatus status);

/// The status as the window shows it: toString()'s word, translated.
QString displayName(ShownStatus status);

/// The colour of the status's dot; mid-tone, so it reads on light and dark backgrounds alike.
QColor dotColour(ShownStatus status);

/// Whether the status asks for attention, so its whole row is tinted.
bool isAlarming(ShownStatus status);

} // namespace Benchtop::Ui
