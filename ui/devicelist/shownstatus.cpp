// SPDX-License-Identifier: MIT
#include "shownstatus.h"

#include <device/devicesnapshot.h>

#include <QCoreApplication>

namespace Benchtop::Ui {

ShownStatus shownStatus(const DeviceSnapshot &snapshot, Heard heard)
{
    // Old news first: whatever the last snapshot said may have changed since.
    if (heard == Heard::TooLongAgo)
        return ShownStatus::Stale;
    if (heard == Heard::Never)
        return ShownStatus::Connecting;
    // A lost link explains a fault better than the fault's own reason does (the reason is
    // still shown with it).
    if (snapshot.link == LinkState::Disconnected)
        return ShownStatus::Disconnected;
    switch (snapshot.status) {
    case DeviceStatus::Fault:
        return ShownStatus::Fault;
    case DeviceStatus::Stopped:
        return ShownStatus::Stopped;
    case DeviceStatus::Ready:
        break;
    }
    if (snapshot.link == LinkState::Connecting)
        return ShownStatus::Connecting;
    return snapshot.busy ? ShownStatus::Busy : ShownStatus::Idle;
}

namespace {

// The words, marked for translation where displayName() translates them.
const char *wordOf(ShownStatus status)
{
    switch (status) {
    case ShownStatus::Idle:
        return QT_TRANSLATE_NOOP("ShownStatus", "idle");
    case ShownStatus::Busy:
        return QT_TRANSLATE_NOOP("ShownStatus", "busy");
    case ShownStatus::Stopped:
        return QT_TRANSLATE_NOOP("ShownStatus", "stopped");
    case ShownStatus::Fault:
        return QT_TRANSLATE_NOOP("ShownStatus", "fault");
    case ShownStatus::Connecting:
        return QT_TRANSLATE_NOOP("ShownStatus", "connecting");
    case ShownStatus::Disconnected:
        return QT_TRANSLATE_NOOP("ShownStatus", "disconnected");
    case ShownStatus::Stale:
        return QT_TRANSLATE_NOOP("ShownStatus", "stale");
    }
    return "";
}

} // namespace

QString toString(ShownStatus status)
{
    return QString::fromLatin1(wordOf(status));
}

QString displayName(ShownStatus status)
{
    return QCoreApplication::translate("ShownStatus", wordOf(status));
}

QColor dotColour(ShownStatus status)
{
    switch (status) {
    case ShownStatus::Idle:
        return QColor(0x2e, 0xa0, 0x43); // green
    case ShownStatus::Busy:
        return QColor(0x1f, 0x78, 0xd1); // blue
    case ShownStatus::Stopped:
        return QColor(0x80, 0x80, 0x80); // grey
    case ShownStatus::Fault:
        return QColor(0xd7, 0x26, 0x1e); // red
    case ShownStatus::Connecting:
        return QColor(0xd9, 0x9a, 0x06); // amber
    case ShownStatus::Disconnected:
        return QColor(0xe0, 0x5a, 0x00); // orange
    case ShownStatus::Stale:
        return QColor(0x8e, 0x6c, 0xb8); // violet: unlike every live state
    }
    return {};
}

bool isAlarming(ShownStatus status)
{
    return status == ShownStatus::Fault || status == ShownStatus::Disconnected
        || status == ShownStatus::Stale;
}

} // namespace Benchtop::Ui
