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

/// The lab's own settings: its `[benchtop]` table (kLabSettingsTable), which is not a device.
/// checkLab checks it against labSettingsSchema().
struct LabSettings {
    bool present = false; ///< the file has the table
    /// Its keys, converted as a device's are (see LabDevice::config); after checkLab without
    /// errors, normalized.
    QVariantMap values;
    int line = 0; ///< where the table starts
    int column = 0;
    QHash<QString, QPair<int, int>> keyPositions; ///< as LabDevice::keyPositions
};

/// A lab: the devices of a lab file, in the order the file lists them, and its own settings.
struct Lab {
    QString path; ///< as given (a file path, a ":/resource" path, or a display name)
    QList<LabDevice> devices;
    LabSettings settings;
    /// The text it was read from (empty when the file could not be read): what saving it back
    /// edits (lab/labedit.h).
    QByteArray text;

    /// The device named `name`, or nullptr. The pointer lives as long as `devices` is unchanged.
    const LabDevice *device(const QString &name) const;
};

/// What parseLabText and parseLabFile read.
struct LabParseResult {
    Lab lab;
    QList<LabError> errors; ///< in file order
    bool ok() const { return errors.isEmpty(); }
};

/// Reads and parses a lab file. Reads with QFile, so ":/..." resource paths work. A file that
/// cannot be read gives one error naming it (`FILE: cannot read the lab file: reason`).
/// Blocking (it reads a file); the lab is small, so the GUI thread may call it at start.
LabParseResult parseLabFile(const QString &path);

/// Parses lab text; errors name `displayPath`. A TOML syntax error (including a table defined
/// twice) is the only error and leaves the lab empty. Otherwise every problem of the file's
/// structure is reported (a value that is not a table, a device name that breaks the rule of
/// lab/devicename.h, a missing or non-string `driver`, a `port` that is not a port number from 1
/// to 65535 or is another device's, a date) and the lab still holds every table, so that
/// checkLab (lab/labcheck.h) can report the schema errors of the same file too. The table
/// `[benchtop]` goes to Lab::settings, not to the devices. Never throws.
LabParseResult parseLabText(const QByteArray &text, const QString &displayPath);

/// One value as a lab file's table would hold it after `key = `, written alone (the Add device
/// form's text for one setting): `25`, `[0, 10]`, `{ foot = "stage.home" }`, converted as
/// LabDevice::config says. When `text` is not exactly one TOML value on one line, or holds a date
/// or a time, returns nullopt and sets `problem` to what follows the key in a message: `must be
/// written on one line`, `is not a TOML value: <the parser's reason>`, `is a date; dates and
/// times are not supported`. Never throws.
std::optional<QVariant> parseLabValue(const QString &text, QString *problem);

/// Looks up a driver kind's schema; nullopt when no loaded plugin offers that kind.
using DriverLookup = std::function<std::optional<DriverInfo>(const QString &kind)>;

} // namespace Benchtop
