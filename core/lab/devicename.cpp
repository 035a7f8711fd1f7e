// SPDX-License-Identifier: MIT
#include "devicename.h"

#include <device/diagnostics.h>

#include <algorithm>

namespace Benchtop {

DeviceNameRule checkDeviceName(const QString &name)
{
    if (name.isEmpty())
        return DeviceNameRule::Empty;
    if (name.size() > kMaxDeviceNameLength)
        return DeviceNameRule::TooLong;
    // Every character tested: a pattern with "$" would also match before a final newline.
    const bool plain = std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'-' || c == u'_';
    });
    if (!plain)
        return DeviceNameRule::BadCharacter;
    if (name == kLabSettingsTable)
        return DeviceNameRule::Reserved;
    return DeviceNameRule::Fine;
}

bool isValidDeviceName(const QString &name)
{
    return checkDeviceName(name) == DeviceNameRule::Fine;
}

QString deviceNameProblem(const QString &name)
{
    switch (checkDeviceName(name)) {
    case DeviceNameRule::Fine:
        return {};
    case DeviceNameRule::TooLong:
        return QStringLiteral("device name %1 is too long: at most %2 characters")
            .arg(quoted(name))
            .arg(kMaxDeviceNameLength);
    case DeviceNameRule::Empty:
    case DeviceNameRule::BadCharacter:
        return QStringLiteral("device name %1 may only contain letters (A-Z, a-z), digits, \"-\" "
                              "and \"_\"")
            .arg(quoted(name));
    case DeviceNameRule::Reserved:
        return QStringLiteral("device name %1 is reserved: [%2] holds the lab's own settings")
            .arg(quoted(name), kLabSettingsTable);
    }
    return {};
}

} // namespace Benchtop
