// SPDX-License-Identifier: MIT
#include "pluginregistry.h"

#include "driverfactory.h"

#include <device/device.h>
#include <device/deviceerror.h>
#include <device/diagnostics.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QPluginLoader>

#include <algorithm>
#include <cmath>
#include <exception>

namespace Benchtop {

Q_LOGGING_CATEGORY(lcPlugins, "benchtop.plugins")

struct PluginRegistry::Plugin {
    PluginInfo info;
    std::unique_ptr<QPluginLoader> loader; ///< null for a linked factory
    QObject *root = nullptr; ///< the factory object once loaded (or linked)
    DriverFactory *factory = nullptr;
    QString loadError; ///< why loading failed, once it has; then never retried

    const DriverInfo *driver(const QString &kind) const
    {
        for (const DriverInfo &d : info.drivers) {
            if (d.kind == kind)
                return &d;
        }
        return nullptr;
    }
};

namespace {

// Messages are shown on one line (a list entry, a status bar, --list-plugins).
QString oneLine(const QString &text)
{
    return text.simplified();
}

// QPluginLoader says "Failed to extract plugin meta data from '<path>': '<path>' is not a
// valid ELF object (...)"; the refusal already carries the path, so keep what is wrong.
QString describeMetadataFailure(const QString &errorString, const QString &path)
{
    QString reason = errorString;
    const QString prefix
        = QStringLiteral("Failed to extract plugin meta data from '%1': ").arg(path);
    if (reason.startsWith(prefix))
        reason = reason.mid(prefix.size());
    const QString subject = QStringLiteral("'%1' is ").arg(path);
    if (reason.startsWith(subject))
        reason = reason.mid(subject.size());
    return oneLine(reason);
}

QString wrongIid(const QString &iid)
{
    return QStringLiteral("wrong plugin IID %1: a Benchtop driver plugin has IID %2")
        .arg(quoted(iid), quoted(QStringLiteral(BENCHTOP_DRIVER_FACTORY_IID)));
}

QString canonicalOrClean(const QString &path)
{
    const QString canonical = QFileInfo(path).canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(path) : canonical;
}

/// Why loading plugins from `dir` lets someone else's code in, or empty: the working
/// directory (whatever folder Benchtop happens to be started in), or a folder every user may
/// write to (the sticky bit of /tmp does not stop anyone from adding a file).
QString unsafeFolder(const QString &dir)
{
    if (canonicalOrClean(dir) == canonicalOrClean(QDir::currentPath()))
        return QStringLiteral("is the working directory");
    if (QFileInfo(dir).permissions() & QFileDevice::WriteOther)
        return QStringLiteral("is writable by every user");
    return {};
}

// Whether parsePluginMetadata rejected `metaData` for its ABI number: its own kind of refusal
// (rebuild the plugin), where anything else is malformed metadata.
bool isOtherAbi(const QJsonObject &metaData)
{
    const QJsonValue abi = metaData.value(QLatin1String("abi"));
    return abi.isDouble() && std::floor(abi.toDouble()) == abi.toDouble()
        && abi.toDouble() != kPluginAbi;
}

} // namespace

PluginRegistry::PluginRegistry() = default;

// The loaders go, the libraries stay: nothing is ever unloaded, since devices (and their
// vtables) may outlive the registry.
PluginRegistry::~PluginRegistry() = default;

QStringList PluginRegistry::defaultSearchPaths()
{
    QStringList paths;
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        paths << QDir::cleanPath(appDir + QLatin1String("/../" BENCHTOP_INSTALL_PLUGIN_SUBDIR));
        // Running from the build tree: bin/, or a sibling such as tests/ or bench/. Not deeper,
        // so that a package unpacked inside the build folder (the packaging test) sees only its
        // own plugins.
        const QString app = canonicalOrClean(appDir);
        const QString buildBin = canonicalOrClean(QStringLiteral(BENCHTOP_BUILD_BIN_DIR));
        const QString buildRoot = canonicalOrClean(QFileInfo(buildBin).path());
        if (app == buildBin || canonicalOrClean(QFileInfo(app).path()) == buildRoot)
            paths << QDir::cleanPath(QStringLiteral(BENCHTOP_BUILD_PLUGIN_DIR));
    }
    const QStringList fromEnvironment
        = qEnvironmentVariable("BENCHTOP_PLUGIN_PATH").split(QLatin1Char(':'), Qt::SkipEmptyParts);
    for (const QString &dir : fromEnvironment)
        paths << QDir::cleanPath(QDir(dir).absolutePath());
    paths.removeDuplicates();
    return paths;
}

void PluginRegistry::addSearchPath(const QString &dir)
{
    const QString path = QDir::cleanPath(QDir(dir).absolutePath());
    QMutexLocker lock(&m_mutex);
    if (!m_searchPaths.contains(path))
        m_searchPaths << path;
}

QStringList PluginRegistry::searchPaths() const
{
    QMutexLocker lock(&m_mutex);
    return m_searchPaths;
}

void PluginRegistry::scan()
{
    const QStringList dirs = searchPaths();
    for (const QString &dir : dirs) {
        const QDir folder(dir);
        if (!folder.exists()) {
            qCDebug(lcPlugins) << "skipping missing plugin folder" << dir;
            continue;
        }
        if (const QString why = unsafeFolder(dir); !why.isEmpty()) {
            const QString warning = QStringLiteral("plugin folder %1 %2: any code put there "
                                                   "runs inside Benchtop")
                                        .arg(dir, why);
            QMutexLocker lock(&m_mutex);
            if (!m_warnings.contains(warning)) {
                m_warnings << warning;
                qCWarning(lcPlugins).noquote() << warning;
            }
        }
        const QFileInfoList files = folder.entryInfoList(
            {QStringLiteral("*.so"), QStringLiteral("*.so.*")}, QDir::Files, QDir::Name);
        for (const QFileInfo &file : files) {
            QMutexLocker lock(&m_mutex);
            inspectLocked(file.absoluteFilePath());
        }
    }
}

PluginRegistry::Result PluginRegistry::addFile(const QString &path)
{
    QMutexLocker lock(&m_mutex);
    return inspectLocked(path);
}

PluginRegistry::Result PluginRegistry::inspectLocked(const QString &path)
{
    const QFileInfo file(path);
    const QString canonical = file.canonicalFilePath();
    if (canonical.isEmpty()) {
        const QString absolute = file.absoluteFilePath();
        if (auto seen = m_seenFiles.constFind(absolute); seen != m_seenFiles.cend())
            return seen.value();
        return m_seenFiles
            .insert(absolute,
                refuseLocked(
                    absolute, QStringLiteral("no such file"), Result::ErrorReason::NoSuchFile))
            .value();
    }
    if (auto seen = m_seenFiles.constFind(canonical); seen != m_seenFiles.cend())
        return seen.value();
    const Result result = [&] {
        if (!QFileInfo(canonical).isFile())
            return refuseLocked(
                canonical, QStringLiteral("not a file"), Result::ErrorReason::NotAFile);
        return inspectPluginLocked(canonical);
    }();
    m_seenFiles.insert(canonical, result);
    return result;
}

PluginRegistry::Result PluginRegistry::inspectPluginLocked(const QString &canonical)
{
    auto plugin = std::make_unique<Plugin>();
    plugin->loader = std::make_unique<QPluginLoader>(canonical);
    // Every symbol resolved at load: a missing one fails load() with the linker's message,
    // where lazy binding would kill the process at the first call. PreventUnloadHint is
    // QPluginLoader's default, which setLoadHints() would otherwise drop.
    plugin->loader->setLoadHints(QLibrary::ResolveAllSymbolsHint | QLibrary::PreventUnloadHint);

    // Reads the file's metadata section without loading it.
    const QJsonObject metaData = plugin->loader->metaData();
    if (metaData.isEmpty()) {
        return refuseLocked(canonical,
            describeMetadataFailure(plugin->loader->errorString(), canonical),
            Result::ErrorReason::NotAPlugin);
    }
    // QPluginLoader would load a plugin of any IID; the cast to DriverFactory would then fail.
    const QString iid = metaData.value(QLatin1String("IID")).toString();
    if (iid != QLatin1String(BENCHTOP_DRIVER_FACTORY_IID))
        return refuseLocked(canonical, wrongIid(iid), Result::ErrorReason::WrongIid);
    const QJsonObject ours = metaData.value(QLatin1String("MetaData")).toObject();
    QString error;
    std::optional<PluginInfo> info = parsePluginMetadata(ours, &error);
    if (!info)
        return refuseMetadataLocked(canonical, ours, error);
    info->path = canonical;
    plugin->info = std::move(*info);
    return acceptLocked(std::move(plugin));
}

PluginRegistry::Result PluginRegistry::addLinked(
    QObject *factory, const QJsonObject &metaData, const QString &label)
{
    QMutexLocker lock(&m_mutex);
    auto *driverFactory = qobject_cast<DriverFactory *>(factory);
    if (!driverFactory) {
        return refuseLocked(label,
            factory ? QStringLiteral("the linked object (%1) is not a Benchtop::DriverFactory")
                          .arg(QLatin1String(factory->metaObject()->className()))
                    : QStringLiteral("no factory object"),
            Result::ErrorReason::NotAFactory);
    }
    // Also take what QPluginLoader::metaData() and QStaticPlugin::metaData() return: the
    // plugin's JSON is then under "MetaData", next to the IID, which must be ours.
    QJsonObject ours = metaData;
    if (metaData.contains(QLatin1String("IID")) && metaData.contains(QLatin1String("MetaData"))) {
        const QString iid = metaData.value(QLatin1String("IID")).toString();
        if (iid != QLatin1String(BENCHTOP_DRIVER_FACTORY_IID))
            return refuseLocked(label, wrongIid(iid), Result::ErrorReason::WrongIid);
        ours = metaData.value(QLatin1String("MetaData")).toObject();
    }
    QString error;
    std::optional<PluginInfo> info = parsePluginMetadata(ours, &error);
    if (!info)
        return refuseMetadataLocked(label, ours, error);
    auto plugin = std::make_unique<Plugin>();
    info->path = label;
    plugin->info = std::move(*info);
    plugin->root = factory;
    plugin->factory = driverFactory;
    return acceptLocked(std::move(plugin));
}

PluginRegistry::Result PluginRegistry::acceptLocked(std::unique_ptr<Plugin> plugin)
{
    for (const DriverInfo &driver : plugin->info.drivers) {
        if (const Plugin *earlier = m_byKind.value(driver.kind)) {
            return refuseLocked(plugin->info.path,
                QStringLiteral("driver kind %1 is already provided by %2")
                    .arg(quoted(driver.kind), earlier->info.path),
                Result::ErrorReason::KindTaken);
        }
    }
    for (const DriverInfo &driver : plugin->info.drivers)
        m_byKind.insert(driver.kind, plugin.get());
    qCDebug(lcPlugins).noquote() << "plugin" << plugin->info.name << plugin->info.version << "from"
                                 << plugin->info.path;
    Result accepted{.plugin = plugin->info};
    m_plugins.push_back(std::move(plugin));
    return accepted;
}

PluginRegistry::Result PluginRegistry::refuseLocked(
    const QString &path, const QString &reason, Result::ErrorReason why)
{
    qCInfo(lcPlugins).noquote() << "refused" << path << "-" << reason;
    const PluginRefusal refusal{path, oneLine(reason)};
    m_refusals << refusal;
    return {.errorText = refusal.reason, .errorReason = why};
}

PluginRegistry::Result PluginRegistry::refuseMetadataLocked(
    const QString &path, const QJsonObject &metaData, const QString &error)
{
    if (isOtherAbi(metaData))
        return refuseLocked(path, error, Result::ErrorReason::OtherAbi);
    return refuseLocked(path, QStringLiteral("malformed metadata: ") + error,
        Result::ErrorReason::MalformedMetadata);
}

QList<PluginInfo> PluginRegistry::plugins() const
{
    QMutexLocker lock(&m_mutex);
    QList<PluginInfo> result;
    for (const auto &plugin : m_plugins)
        result << plugin->info;
    return result;
}

QStringList PluginRegistry::warnings() const
{
    QMutexLocker lock(&m_mutex);
    return m_warnings;
}

QList<PluginRefusal> PluginRegistry::refusals() const
{
    QMutexLocker lock(&m_mutex);
    return m_refusals;
}

std::optional<DriverInfo> PluginRegistry::driver(const QString &kind) const
{
    QMutexLocker lock(&m_mutex);
    if (const Plugin *plugin = m_byKind.value(kind))
        return *plugin->driver(kind);
    return std::nullopt;
}

QStringList PluginRegistry::kinds() const
{
    QMutexLocker lock(&m_mutex);
    QStringList result = m_byKind.keys();
    result.sort();
    return result;
}

QString PluginRegistry::loadLocked(Plugin &plugin)
{
    if (plugin.factory || !plugin.loadError.isEmpty())
        return plugin.loadError;
    QPluginLoader &loader = *plugin.loader;
    if (!loader.load()) {
        plugin.loadError = QStringLiteral("plugin %1 failed to load: %2")
                               .arg(plugin.info.path, oneLine(loader.errorString()));
        return plugin.loadError;
    }
    plugin.root = loader.instance();
    if (!plugin.root) {
        plugin.loadError = QStringLiteral("plugin %1 has no root object: %2")
                               .arg(plugin.info.path, oneLine(loader.errorString()));
        return plugin.loadError;
    }
    plugin.factory = qobject_cast<DriverFactory *>(plugin.root);
    if (!plugin.factory) {
        plugin.loadError
            = QStringLiteral("plugin %1: its root object (%2) is not a Benchtop::DriverFactory")
                  .arg(plugin.info.path, QLatin1String(plugin.root->metaObject()->className()));
    }
    return plugin.loadError;
}

std::unique_ptr<Device> PluginRegistry::create(const DeviceSettings &settings)
{
    const QString who = QStringLiteral("device %1").arg(quoted(settings.name));
    DriverFactory *factory = nullptr;
    DriverInfo driver;
    {
        QMutexLocker lock(&m_mutex);
        Plugin *plugin = m_byKind.value(settings.kind);
        if (!plugin) {
            QStringList known = m_byKind.keys();
            known.sort();
            throw DeviceError(QStringLiteral("%1: unknown driver kind %2 (%3)")
                                  .arg(who, quoted(settings.kind),
                                      known.isEmpty() ? QStringLiteral("no driver plugin is known")
                                                      : QStringLiteral("known kinds: %1")
                                                            .arg(known.join(QLatin1String(", ")))));
        }
        driver = *plugin->driver(settings.kind);
        const QString loadError = loadLocked(*plugin);
        if (!loadError.isEmpty())
            throw DeviceError(QStringLiteral("%1: %2").arg(who, loadError));
        factory = plugin->factory;
    }

    // Outside the lock: a driver may take its time, and may even consult the registry.
    const QString by = QStringLiteral("%1: driver %2").arg(who, quoted(settings.kind));
    Device *created = nullptr;
    try {
        created = factory->create(settings);
    } catch (const std::exception &e) {
        throw DeviceError(
            QStringLiteral("%1 failed: %2").arg(by, oneLine(QString::fromLocal8Bit(e.what()))));
    } catch (...) {
        throw DeviceError(
            QStringLiteral("%1 failed with an exception that is not a std::exception").arg(by));
    }
    std::unique_ptr<Device> device(created);
    if (!device)
        throw DeviceError(QStringLiteral("%1 returned no device").arg(by));

    QString wrong;
    if (device->kind() != settings.kind || device->name() != settings.name) {
        wrong = QStringLiteral("%1 returned a device of kind %2 named %3")
                    .arg(by, quoted(device->kind()), quoted(device->name()));
    } else {
        const QStringList offered = device->traits();
        QStringList missing;
        for (const QString &trait : std::as_const(driver.traits)) {
            if (!offered.contains(trait))
                missing << trait;
        }
        if (!missing.isEmpty()) {
            wrong = QStringLiteral("%1 returned a device that lacks the declared trait%2 %3")
                        .arg(by, missing.size() > 1 ? QStringLiteral("s") : QString(),
                            missing.join(QLatin1String(", ")));
        }
    }
    if (!wrong.isEmpty()) {
        device->stopTasksNow(); // the contract before destroying a device
        throw DeviceError(wrong);
    }
    return device;
}

QList<ConfigProblem> PluginRegistry::checkConfig(const DeviceSettings &settings)
{
    DriverFactory *factory = nullptr;
    {
        QMutexLocker lock(&m_mutex);
        Plugin *plugin = m_byKind.value(settings.kind);
        if (!plugin || !loadLocked(*plugin).isEmpty())
            return {}; // creating the device says why it cannot be
        factory = plugin->factory;
    }
    // Outside the lock, as create().
    const QString failed
        = QStringLiteral("the check of driver %1 failed").arg(quoted(settings.kind));
    try {
        return factory->checkConfig(settings);
    } catch (const std::exception &e) {
        return {ConfigProblem::error(
            {}, QStringLiteral("%1: %2").arg(failed, oneLine(QString::fromLocal8Bit(e.what()))))};
    } catch (...) {
        return {ConfigProblem::error(
            {}, failed + QStringLiteral(" with an exception that is not a std::exception"))};
    }
}

} // namespace Benchtop
