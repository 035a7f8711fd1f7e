// SPDX-License-Identifier: MIT
#pragma once

#include <device/devicesettings.h>
#include <lab/labfile.h>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace Benchtop {

/// A lab file holding `devices` in their order: one `[name]` table each, `driver` first, then
/// `port` when it is not 0, then its config keys. When `driverFor` is given, keys whose value
/// equals the schema's default are left out (the file says what was chosen, not what every driver
/// defaults to). Keys and values are written by tomlLine (lab/tomlwriter.h).
QByteArray labText(const QList<DeviceSettings> &devices, const DriverLookup &driverFor = {});

/// The lines of `device`'s table as labText writes them, without its `[name]` header and line
/// breaks: `driver = "..."`, then `port = N` when it is not 0, then each config key that is
/// written (see labText).
QStringList labTableLines(const DeviceSettings &device, const DriverLookup &driverFor = {});

/// Whether two values are equal as a lab file would hold them: numbers by value whatever their
/// Qt type (`10` and `10.0`), lists element by element (a QStringList equals a QVariantList of
/// the same strings), tables key by key.
bool sameLabValue(const QVariant &a, const QVariant &b);

/// Whether two tables say the same: name, kind, port, and each config key (a key one of them
/// leaves out counts as the schema's default, when `driverFor` knows the kind).
bool sameLabTable(
    const DeviceSettings &a, const DeviceSettings &b, const DriverLookup &driverFor = {});

} // namespace Benchtop
