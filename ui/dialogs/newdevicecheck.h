// SPDX-License-Identifier: MIT
#pragma once

#include <lab/labcheck.h>
#include <lab/labfile.h>

#include <QList>
#include <QString>
#include <QVariantMap>

namespace Benchtop::Ui {

/// One setting of a new device as a form writes it into the device's table: its key and the
/// TOML inline text of its value (`25`, `"mm"`, `[-50, 50]`, `{ foot = "stage.home" }`).
struct TomlEntry {
    QString key;
    QString text;

    bool operator==(const TomlEntry &) const = default;
};

/// Something wrong with one setting of the new device (or with the device as a whole), or
/// worth a warning.
struct SettingProblem {
    QString key; ///< the schema key it concerns (`limits` also for `limits[1]`); empty if none
    QString message; ///< one line for the user: no file position, no `device "x": ` prefix

    bool operator==(const SettingProblem &) const = default;
};

/// The outcome of checking a device before it is added to a lab.
struct NewDeviceCheck {
    QString nameProblem; ///< why the name cannot be used; empty when it can
    QList<SettingProblem> problems; ///< the errors, in the order of the form's entries
    /// What the driver's own check warns about; the device may be added all the same.
    QList<SettingProblem> warnings;
    /// The config as checkLab normalizes it (every schema key, defaults filled in, values of the
    /// field's type); empty unless ok().
    QVariantMap config;

    bool ok() const { return nameProblem.isEmpty() && problems.isEmpty(); }
};

/// The first of `base-1`, `base-2`, ... that no device of `existing` is called.
QString freeDeviceName(const QString &base, const QList<LabDevice> &existing);

/// Why `name` cannot name a new device of the lab holding `existing` (it is empty, breaks the
/// lab's device-name rule, lab/devicename.h, or is taken), as a sentence for the form, or an
/// empty string.
QString deviceNameProblem(const QString &name, const QList<LabDevice> &existing);

/// Checks a new device with the lab's one check (checkLab against `drivers`, their own checks
/// included), as a lab holding the `existing` devices (so that bindings may name them) and the
/// new one with `entries` would be checked, and keeps what concerns the new device. Each entry
/// must be one TOML value on one line (parseLabValue); one that is not is reported against its
/// key. Problems of the existing devices are not reported. Quick, but a driver's first check
/// loads its plugin; never throws.
NewDeviceCheck checkNewDevice(const QString &name, const QString &kind,
    const QList<TomlEntry> &entries, const QList<LabDevice> &existing, const LabDrivers &drivers);

} // namespace Benchtop::Ui
