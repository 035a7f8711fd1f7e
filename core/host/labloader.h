// SPDX-License-Identifier: MIT
#pragma once

#include "devicehost.h"

#include <lab/labcheck.h>
#include <lab/laberror.h>
#include <lab/labfile.h>

#include <QHash>

#include <algorithm>

namespace Benchtop {

class PluginRegistry;

/// A lab file read and checked against the registry's drivers: what `benchtop --check`
/// reports, and what the application opens.
struct LoadedLab {
    Lab lab;
    QList<LabError> errors; ///< every problem, errors and warnings, in file order
    /// One entry per device table, in file order, including devices with errors (whose
    /// creation then fails with their errors, so they show in fault rather than vanish).
    QList<DeviceSettings> devices;
    QHash<QString, QStringList> deviceErrors; ///< device → its error lines (not its warnings)
    /// No errors (warnings allowed).
    bool ok() const
    {
        return std::none_of(
            errors.cbegin(), errors.cend(), [](const LabError &e) { return e.isError(); });
    }
};

/// What the registry's drivers check a lab against: their schemas and their own checks
/// (PluginRegistry::checkConfig). The registry must outlive the result.
LabDrivers labDriversOf(PluginRegistry &registry);

/// Reads `path` (a file or a ":/" resource) and checks it (checkLab with labDriversOf), loading
/// the plugins of the kinds it uses for their own checks. Blocking file I/O: call it before the
/// devices run, or on a blocking-call thread.
LoadedLab loadLab(const QString &path, PluginRegistry &registry);
/// Reads lab text (a lab that has no file yet) and checks it; errors name `displayPath`.
LoadedLab loadLabText(const QByteArray &text, const QString &displayPath, PluginRegistry &registry);

/// The host's view of the registry. A device's lab errors go to DeviceHost::open() as its table
/// errors, not here: a restart that re-reads a fixed table must create it.
DeviceHost::Drivers driversFrom(PluginRegistry &registry);

/// For DeviceHost restart: re-reads the lab at `path` and returns `name`'s settings, or throws
/// std::runtime_error with the errors that stop it (the file's, or that device's).
DeviceHost::SettingsSource reloaderFor(QString path, PluginRegistry &registry);
/// For DeviceHost restart: the same from a lab that is kept as text (`load` reads it again).
DeviceHost::SettingsSource reloaderFor(std::function<LoadedLab()> load, QString displayPath);

} // namespace Benchtop
