// SPDX-License-Identifier: MIT
#include "labloader.h"

#include <device/deviceerror.h>
#include <plugins/pluginregistry.h>

#include <stdexcept>

namespace Benchtop {

namespace {

/// A device-specific error names its device first (`device "x": ...`).
QString deviceOf(const LabError &error)
{
    static const QLatin1String prefix("device \"");
    if (!error.message.startsWith(prefix))
        return {};
    const qsizetype end = error.message.indexOf(QLatin1Char('"'), prefix.size());
    return end < 0 ? QString() : error.message.mid(prefix.size(), end - prefix.size());
}

/// Checks what was read against the registry's drivers.
LoadedLab checked(LabParseResult parsed, const PluginRegistry &registry)
{
    LoadedLab loaded;
    loaded.lab = std::move(parsed.lab);
    loaded.errors = std::move(parsed.errors);
    QList<DriverInfo> drivers;
    for (const QString &kind : registry.kinds()) {
        if (std::optional<DriverInfo> info = registry.driver(kind))
            drivers << *info;
    }
    loaded.errors << checkLab(loaded.lab, drivers);
    std::stable_sort(loaded.errors.begin(), loaded.errors.end(),
        [](const LabError &a, const LabError &b) { return a.line < b.line; });
    for (const LabError &error : std::as_const(loaded.errors)) {
        const QString device = deviceOf(error);
        if (!device.isEmpty())
            loaded.deviceErrors[device] << error.toString();
    }
    for (const LabDevice &device : std::as_const(loaded.lab.devices))
        loaded.devices << DeviceSettings{device.name, device.kind, device.config, device.port};
    return loaded;
}

} // namespace

LoadedLab loadLab(const QString &path, const PluginRegistry &registry)
{
    return checked(parseLabFile(path), registry);
}

LoadedLab loadLabText(
    const QByteArray &text, const QString &displayPath, const PluginRegistry &registry)
{
    return checked(parseLabText(text, displayPath), registry);
}

DeviceHost::Drivers driversFrom(PluginRegistry &registry, QHash<QString, QStringList> deviceErrors)
{
    DeviceHost::Drivers drivers;
    drivers.create = [&registry, errors = std::move(deviceErrors)](
                         const DeviceSettings &settings) -> std::unique_ptr<Device> {
        auto it = errors.constFind(settings.name);
        if (it != errors.cend())
            throw DeviceError(it->join(QLatin1Char('\n')));
        return registry.create(settings);
    };
    drivers.driverFor = [&registry](const QString &kind) { return registry.driver(kind); };
    return drivers;
}

DeviceHost::SettingsSource reloaderFor(QString path, PluginRegistry &registry)
{
    return reloaderFor([path, &registry] { return loadLab(path, registry); }, path);
}

DeviceHost::SettingsSource reloaderFor(std::function<LoadedLab()> load, QString displayPath)
{
    return [load = std::move(load), path = std::move(displayPath)](
               const QString &name) -> DeviceSettings {
        LoadedLab loaded = load();
        QStringList problems = loaded.deviceErrors.value(name);
        for (const LabError &error : std::as_const(loaded.errors)) {
            if (deviceOf(error).isEmpty())
                problems << error.toString(); // the file's own errors stop everything
        }
        if (!problems.isEmpty())
            throw std::runtime_error(problems.join(QLatin1Char('\n')).toStdString());
        for (const DeviceSettings &settings : std::as_const(loaded.devices)) {
            if (settings.name == name)
                return settings;
        }
        throw std::runtime_error(QStringLiteral("%1: device \"%2\" is no longer in the lab")
                                     .arg(path, name)
                                     .toStdString());
    };
}

} // namespace Benchtop
