// SPDX-License-Identifier: MIT
#pragma once

#include <device/devicesettings.h>
#include <lab/laberror.h>
#include <lab/labfile.h>
#include <plugins/configproblem.h>
#include <plugins/driverinfo.h>

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace Benchtop {

/// What a lab is checked against: the schemas of the driver kinds, and the drivers' own checks.
struct LabDrivers {
    /// A driver's own check of one device (DriverFactory::checkConfig, reached through the
    /// plugin registry): given the device with its normalized config.
    using DeviceCheck = std::function<QList<ConfigProblem>(const DeviceSettings &settings)>;

    LabDrivers() = default;
    /// Schemas only, or with the drivers' own check. Not explicit: a list of schemas is a
    /// LabDrivers whose drivers check nothing of their own (tests, fuzzers).
    LabDrivers(QList<DriverInfo> kinds, DeviceCheck check = {})
        : kinds(std::move(kinds))
        , checkDevice(std::move(check))
    {
    }

    QList<DriverInfo> kinds; ///< the driver kinds offered (a misspelt kind is compared with these)
    DeviceCheck checkDevice; ///< may be empty: then no driver check runs

    /// The kind `kind`, or nullopt.
    std::optional<DriverInfo> driver(const QString &kind) const;
    QStringList kindNames() const;
};

/// The keys of the lab's own settings table, `[benchtop]` (kLabSettingsTable): reserved for what
/// Benchtop itself will take from a lab file (the address benchtopd binds to, the port runs are
/// served on, where data goes). They are checked (type and range; an unknown key is an error with
/// the closest known one suggested) and kept in Lab::settings; `data_dir` is read by
/// run/filenaming.h's dataFolder(), the others by nothing yet.
QList<ConfigField> labSettingsSchema();

/// The one check of a lab, for `benchtop --check`, the lab loader and the Add device form alike.
/// Returns every problem found (not just the first), each located at the offending value (or at
/// the table when a key is missing or the driver is unknown), naming the device and the key:
/// - an unknown driver kind (suggesting the closest of `drivers.kinds` when it is at most two
///   edits away, else listing them) or an unknown key (suggesting the closest schema key);
/// - each value against its schema field (ConfigField::check): a missing required key, a value
///   of the wrong type (also each element of an array or entry of a table), a number outside
///   the field's limits, a string not among its options, a range's shape, a binding's form;
/// - a binding that names a device not in this lab, or a message that device's traits do not
///   trigger;
/// - a `port` without `tcp_port` on a driver that has a `tcp_port` setting: a lab written when
///   `port` was that setting, which must not silently become the port the device is served on
///   (unless the device's `transport`, where the driver has one, is not "tcp": a serial
///   instrument has no TCP port to mistake it for);
/// - then, for each device whose values all fit its schema, the driver's own rules
///   (`drivers.checkDevice`), errors and warnings; a driver check that throws is an error;
/// - the `[benchtop]` table against labSettingsSchema().
/// For each device whose values all fit its schema, `config` is replaced by the normalized
/// config: every schema key present, defaults filled in, values converted as ConfigField::check
/// converts them. Other devices are left as they were. Devices whose kind is empty, and values
/// that are invalid QVariants, were already reported by parseLabText and are skipped here.
/// Sorted by position in the file. Never throws.
QList<LabError> checkLab(Lab &lab, const LabDrivers &drivers);

} // namespace Benchtop
