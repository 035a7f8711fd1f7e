// SPDX-License-Identifier: MIT
#pragma once

#include <device/devicesettings.h>
#include <lab/labfile.h>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QVariant>

namespace Benchtop {

/// A value as TOML inline text: `12.5`, `"text"`, `[0.0, 10.0]`, `{ foot = "stage.home" }`.
/// Integers stay integers and doubles keep a decimal point, so that reading the text back
/// gives the same types. An invalid or unsupported QVariant gives an empty string.
QString tomlValueText(const QVariant &value);

/// A lab file holding `devices` in their order: one `[name]` table each, `driver` first, then
/// `port` when it is not 0, then its config keys. When `driverFor` is given, keys whose value
/// equals the schema's default are left out (the file says what was chosen, not what every driver
/// defaults to).
QByteArray labText(const QList<DeviceSettings> &devices, const DriverLookup &driverFor = {});

} // namespace Benchtop
