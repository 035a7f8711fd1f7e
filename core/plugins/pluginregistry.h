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

    /// What addFile() or addLinked() made of a plugin, as KCoreAddons' KPluginFactory::Result
    /// says it: the plugin when it was accepted, otherwise why not, so that a caller need not
    /// look for its file among refusals(). True when the plugin was accepted.
    struct Result {
        /// Why a plugin was refused, in the order the registry checks (docs/plugin-abi.md).
        enum class ErrorReason {
            None, ///< accepted
            NoSuchFile,
            NotAFile,
            NotAPlugin, ///< not a library, or a library without Qt plugin metadata
            WrongIid, ///< a Qt plugin of another kind
            OtherAbi, ///< built for another plugin ABI
            MalformedMetadata,
            KindTaken, ///< one of its driver kinds is already provided by an earlier plugin
            NotAFactory, ///< addLinked(): the object is not a DriverFactory
        };

        std::optional<PluginInfo> plugin; ///< the accepted plugin: its path, name and kinds
        QString errorText; ///< why it was refused, one line, as refusals() lists it
        ErrorReason errorReason = ErrorReason::None;

        explicit operator bool() const { return plugin.has_value(); }
    };

    /// Inspects one file a user picked, whatever its name. A file inspected before is not
    /// inspected again: its first result is returned again, and a refusal is recorded once.
    Result addFile(const QString &path);

    /// Registers a factory linked into the program (tests; static builds) with its plugin's
    /// "MetaData" object (the JSON of Q_PLUGIN_METADATA), or with the whole object that
    /// QStaticPlugin::metaData() returns (then its IID is checked too). `label` stands for the
    /// file path in plugins() and refusals(). The registry does not own `factory`, which must
    /// outlive it and implement DriverFactory. A refusal is recorded in refusals() too.
    Result addLinked(QObject *factory, const QJsonObject &metaData, const QString &label);

    /// The accepted plugins, in the order they were found.
    QList<PluginInfo> plugins() const;
    /// The refused files, in the order they were found (for lists such as `--list-plugins`;
    /// addFile() and addLinked() say themselves why they refused).
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

    Result inspectLocked(const QString &path);
    Result inspectPluginLocked(const QString &canonical);
    Result acceptLocked(std::unique_ptr<Plugin> plugin);
    Result refuseLocked(const QString &path, const QString &reason, Result::ErrorReason why);
    Result refuseMetadataLocked(
        const QString &path, const QJsonObject &metaData, const QString &error);
    QString loadLocked(Plugin &plugin);

    mutable QMutex m_mutex;
    QStringList m_searchPaths;
    std::vector<std::unique_ptr<Plugin>> m_plugins;
    QHash<QString, Plugin *> m_byKind;
    QList<PluginRefusal> m_refusals;
    QStringList m_warnings;
    QHash<QString, Result> m_seenFiles; ///< canonical (or, if gone, absolute) path -> result
};

} // namespace Benchtop
