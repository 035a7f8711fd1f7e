// SPDX-License-Identifier: MIT
#pragma once

#include "configproblem.h"
#include "driverinfo.h"

#include <device/devicesettings.h>

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QObject;

namespace Benchtop {

class Device;

/// The driver plugins Benchtop knows: what each offers (read from its metadata without loading
/// its code), the files it refused and why, and the factory that creates a device of a kind.
///
/// Plugin files come from search paths (scan()), single files a user picked (addFile()) and
/// factories linked into the program (addLinked()). A plugin is accepted only if its IID is
/// BENCHTOP_DRIVER_FACTORY_IID, its metadata's ABI number equals kPluginAbi and the rest of its
/// metadata is well formed (parsePluginMetadata()), and none of its driver kinds is already
/// provided by an earlier plugin (the earlier one wins). Every other file is a refusal with a
/// one-line reason; docs/plugin-abi.md lists them.
///
/// Loading is lazy: a plugin's library is loaded (resolving every symbol, so that a missing
/// one is an error instead of a crash later) on the first create() of one of its kinds, and is
/// never unloaded, so devices may outlive the registry.
///
/// Thread safety: every member may be called from any thread (the application scans on the
/// GUI thread and creates devices on the device thread). The factory's create() runs outside
/// the registry's lock, on the calling thread.
class PluginRegistry {
public:
    /// An empty registry: no search paths (add defaultSearchPaths() for the usual ones).
    PluginRegistry();
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry &) = delete;
    PluginRegistry &operator=(const PluginRegistry &) = delete;

    /// Where an installed or built Benchtop keeps its plugins, in this order:
    /// `<applicationDirPath>/../lib/benchtop/plugins` (the install layout); the build tree's
    /// plugin folder, only when the program runs from inside the build tree; then each entry of
    /// the environment variable BENCHTOP_PLUGIN_PATH (colon-separated). Without a
    /// QCoreApplication only BENCHTOP_PLUGIN_PATH's entries are returned.
    static QStringList defaultSearchPaths();

    /// Adds a folder for scan() to look in (made absolute; a repeated folder is ignored).
    void addSearchPath(const QString &dir);
    QStringList searchPaths() const;

    /// Inspects every file of every search path whose name looks like a shared library
    /// (`*.so`, `*.so.*`), not descending into subfolders. A missing folder is skipped; a file
    /// seen before (by canonical path, through any path or symlink) is not inspected again.
    void scan();

    /// Inspects one file a user picked, whatever its name. Returns true if it is (or already
    /// was) an accepted plugin; otherwise records a refusal (once per file) and returns false.
    bool addFile(const QString &path);

    /// Registers a factory linked into the program (tests; static builds) with its plugin's
    /// "MetaData" object (the JSON of Q_PLUGIN_METADATA), or with the whole object that
    /// QStaticPlugin::metaData() returns (then its IID is checked too). `label` stands for the
    /// file path in plugins() and refusals(). The registry does not own `factory`, which must
    /// outlive it and implement DriverFactory. Returns false and records a refusal otherwise.
    bool addLinked(QObject *factory, const QJsonObject &metaData, const QString &label);

    /// The accepted plugins, in the order they were found.
    QList<PluginInfo> plugins() const;
    /// The refused files, in the order they were found.
    QList<PluginRefusal> refusals() const;
    /// What scan() found unsafe about its folders, one line each: a folder that is the working
    /// directory, or that every user may write to (any of them could put code into Benchtop).
    /// Such folders are still searched, since a user asked for them, but never silently: the
    /// registry logs each as a warning, and `--list-plugins` and the window show them.
    QStringList warnings() const;
    /// The driver kind `kind` (nullopt if no accepted plugin offers it).
    std::optional<DriverInfo> driver(const QString &kind) const;
    /// Every driver kind offered, sorted.
    QStringList kinds() const;

    /// Creates the device `settings.name` of driver kind `settings.kind` on the calling thread,
    /// loading the kind's plugin first if it is not loaded yet. The caller owns the device
    /// (include <device/device.h> to destroy it); `settings.config` is passed on unchanged.
    ///
    /// Throws DeviceError, with a one-line reason naming the device, when the kind is unknown
    /// (listing the known ones), the plugin fails to load (with the loader's reason; a failed
    /// load is remembered and reported again without retrying), its root object is not a
    /// DriverFactory, the factory throws or returns nullptr, or the device's kind or name differ
    /// from the settings or it lacks a trait the metadata declares. Never crashes on a broken
    /// plugin it can detect.
    std::unique_ptr<Device> create(const DeviceSettings &settings);

    /// The driver's own check of one device's settings (DriverFactory::checkConfig; the lab
    /// checker's LabDrivers::checkDevice), loading the kind's plugin first if it is not loaded
    /// yet. No problems when the kind is unknown or its plugin cannot be loaded: creating the
    /// device says why. A check that throws gives one error saying so. Runs on the calling
    /// thread, outside the registry's lock.
    QList<ConfigProblem> checkConfig(const DeviceSettings &settings);

private:
    struct Plugin;

    bool inspectLocked(const QString &path);
    bool acceptLocked(std::unique_ptr<Plugin> plugin);
    void refuseLocked(const QString &path, const QString &reason);
    QString loadLocked(Plugin &plugin);

    mutable QMutex m_mutex;
    QStringList m_searchPaths;
    std::vector<std::unique_ptr<Plugin>> m_plugins;
    QHash<QString, Plugin *> m_byKind;
    QList<PluginRefusal> m_refusals;
    QStringList m_warnings;
    QHash<QString, bool> m_seenFiles; ///< canonical path -> accepted
};

} // namespace Benchtop
