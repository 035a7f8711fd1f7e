// SPDX-License-Identifier: MIT
#pragma once

#include <QLatin1String>
#include <QString>

namespace Benchtop {

/// Names become file names (`<kind>/<name>-state.toml`) and column entries: 64 is generous.
inline constexpr qsizetype kMaxDeviceNameLength = 64;

/// The table of a lab file that holds the lab's own settings (`[benchtop]`), not a device: no
/// device may be called so.
inline constexpr QLatin1String kLabSettingsTable("benchtop");

/// What the device-name rule says of a name.
enum class DeviceNameRule {
    Fine,
    Empty,
    TooLong, ///< more than kMaxDeviceNameLength characters
    BadCharacter, ///< a character other than A-Z, a-z, 0-9, '-' and '_'
    Reserved, ///< kLabSettingsTable
};

/// The one device-name rule, for lab files, the Add device form and the yaq dialog alike: one
/// to kMaxDeviceNameLength ASCII letters, digits, '-' and '_' (so that a name is a bare TOML key,
/// a file name and a yaq name as it is), and not kLabSettingsTable. The first rule broken, in
/// the order of DeviceNameRule.
DeviceNameRule checkDeviceName(const QString &name);

/// checkDeviceName(name) == DeviceNameRule::Fine.
bool isValidDeviceName(const QString &name);

/// Why `name` cannot name a device, worded as a lab file's error (`device name "my stage" may
/// only contain letters (A-Z, a-z), digits, "-" and "_"`); empty when it can.
QString deviceNameProblem(const QString &name);

} // namespace Benchtop
