// SPDX-License-Identifier: MIT
#pragma once

#include <lab/laberror.h>
#include <plugins/driverinfo.h>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <functional>
#include <optional>

namespace Benchtop {

/// One device of a lab: a table of the lab file.
struct LabDevice {
    QString name; ///< the table's key: letters, digits, '-' and '_'
    QString kind; ///< its `driver`; empty when missing or not a string (an error says so)
    /// Its `port`: the TCP port benchtopd serves it on as a yaq daemon; 0 when it has none, or
    /// when the value is not a port number (an error says so). Not part of `config`.
    int port = 0;
    /// Every other key of the table. TOML values become: integer → qlonglong, float → double,
    /// boolean → bool, string → QString, array → QVariantList, table → QVariantMap. A value
    /// that could not be converted (a date) is an invalid QVariant, and an error says so.
    /// After checkLab, for a device without errors: the normalized config (see checkLab).
    QVariantMap config;
    int line = 0; ///< where the table starts (its `[name]` header, or its key when inline)
    int column = 0;
    /// (line, column) of each value, keyed by path: "speed", "limits[1]" for an element of an
    /// array, "bindings.foot" for a key of a nested table. `driver` and `port` are included.
    QHash<QString, QPair<int, int>> keyPositions;
};

/// A lab: the devices of a lab file, in the order the file lists them.
struct Lab {
    QString path; ///< as given (a file path, a ":/resource" path, or a display name)
    QList<LabDevice> devices;

    /// The device named `name`, or nullptr. The pointer lives as long as `devices` is unchanged.
    const LabDevice *device(const QString &name) const;
};

struct LabParseResult {
    Lab lab;
    QList<LabError> errors;
    bool ok() const { return errors.isEmpty(); }
};

/// Reads and parses a lab file. Reads with QFile, so ":/..." resource paths work. A file that
/// cannot be read gives one error naming it (`FILE: cannot read the lab file: reason`).
/// Blocking (it reads a file); the lab is small, so the GUI thread may call it at start.
LabParseResult parseLabFile(const QString &path);

/// Parses lab text; errors name `displayPath`. A TOML syntax error (including a table defined
/// twice) is the only error and leaves the lab empty. Otherwise every problem of the file's
/// structure is reported (a value that is not a table, a bad device name, a missing or
/// non-string `driver`, a `port` that is not a port number from 1 to 65535 or is another
/// device's, a date) and the lab still holds every table, so that checkLab can report the
/// schema errors of the same file too. Never throws.
LabParseResult parseLabText(const QByteArray &text, const QString &displayPath);

/// Looks up a driver kind's schema; nullopt when no loaded plugin offers that kind.
using DriverLookup = std::function<std::optional<DriverInfo>(const QString &kind)>;

/// Checks each device's config against the schema of its driver kind and returns every error
/// found (not just the first), each located at the offending value (or at the table when a key
/// is missing or the driver is unknown) and naming the device and key:
/// - an unknown driver kind (suggesting the closest of `knownKinds` when it is at most two
///   edits away, else listing them) or an unknown key (suggesting the closest schema key);
/// - a missing required key; a value of the wrong type ("must be a number, not a string"),
///   also for each element of an array or entry of a table;
/// - a number below the field's minimum or above its maximum; a string not among its options;
/// - a binding (ValueType::Bindings: input line → "device.message") that is not of that form,
///   names a device not in this lab, or a message that device's traits do not trigger;
/// - a `port` without `tcp_port` on a driver that has a `tcp_port` setting: a lab written when
///   `port` was that setting, which must not silently become the port the device is served on.
/// For each device without errors, `config` is replaced by the normalized config: every schema
/// key present, defaults filled in, values converted to the field's type (Int → qlonglong,
/// Double → double even when written as an integer, StringList → QStringList, DoubleList →
/// QVariantList of double, StringMap / Bindings → QVariantMap of QString, DoubleMap →
/// QVariantMap of double, Map as written). Devices with errors are left as they were.
/// Devices whose kind is empty, and values that are invalid QVariants, were already reported
/// by parseLabText and are skipped here. Never throws.
QList<LabError> checkLab(
    Lab &lab, const DriverLookup &driverFor, const QStringList &knownKinds = {});

/// checkLab against a list of driver kinds (the registry's): the lookup and the known kinds.
QList<LabError> checkLab(Lab &lab, const QList<DriverInfo> &drivers);

} // namespace Benchtop
