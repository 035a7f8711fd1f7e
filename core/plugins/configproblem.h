// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <utility>

namespace Benchtop {

/// One problem a driver finds in a device's settings that the schema cannot express (a limit
/// outside another, a name that must be one of a list's): what DriverFactory::checkConfig
/// returns. The lab checker adds the file, the position and the device, so that
/// `benchtop --check`, the Add device form and the lab loader all report it like any other.
struct ConfigProblem {
    enum class Severity {
        Error, ///< the device cannot run so: `--check` fails and the device is put in fault
        Warning, ///< worth saying, but the device runs: `--check` still exits 0
    };

    /// The setting it is about, or a path into it (`limits`, `limits[1]`, `units.ch1`): the
    /// checker points at that value in the lab file, and the form marks the setting. Empty for
    /// the device's table as a whole.
    QString key;
    /// One line saying what is wrong and, where it helps, what to do; without the device's name
    /// or a file position, e.g. `key "home_position" (200) is outside hw_limits [-110, 110]`.
    QString message;
    Severity severity = Severity::Error;

    static ConfigProblem error(QString key, QString message)
    {
        return {std::move(key), std::move(message), Severity::Error};
    }
    static ConfigProblem warning(QString key, QString message)
    {
        return {std::move(key), std::move(message), Severity::Warning};
    }
    bool isError() const { return severity == Severity::Error; }

    bool operator==(const ConfigProblem &) const = default;
};

/// For a driver's constructor, which checks with the same function as its factory's
/// checkConfig so that each rule is written once: throws DeviceError
/// (`device "x": <message>`, several errors joined by "; ") when `problems` holds an error.
/// Warnings are ignored.
void throwIfConfigErrors(const QString &device, const QList<ConfigProblem> &problems);

} // namespace Benchtop
