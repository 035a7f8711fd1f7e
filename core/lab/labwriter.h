// SPDX-License-Identifier: MIT
#pragma once

#include <device/devicesettings.h>
#include <lab/labfile.h>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QVariant>

namespace Benchtop {

/// A lab file holding `devices` in their order: one `[name]` table each, `driver` first, then
/// `port` when it is not 0, then its config keys. When `driverFor` is given, keys whose value
/// equals the schema's default are left out (the file says what was chosen, not what every driver
/// defaults to). Keys and values are written by tomlLine (lab/tomlwriter.h).
QByteArray labText(const QList<DeviceSettings> &devices, const DriverLookup &driverFor = {});

} // namespace Benchtop
