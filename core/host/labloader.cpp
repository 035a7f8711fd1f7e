// SPDX-License-Identifier: MIT
#include "labloader.h"

#include <plugins/pluginregistry.h>

#include <stdexcept>

namespace Benchtop {

LabDrivers labDriversOf(PluginRegistry &registry)
{
    QList<DriverInfo> kinds;
    for (const QString &kind : registry.kinds()) {
        if (std::optional<DriverInfo> info = registry.driver(kind))
            kinds << *info;
    }
    return {std::move(kinds),
        [&registry](const DeviceSettings &settings) { return registry.checkConfig(settings); }};
}

namespace {

/// Checks what was read against the registry's drivers.
LoadedLab checked(LabParseResult parsed, PluginRegistry &registry)
{
    LoadedLab loaded;
    loaded.lab = std::move(parsed.lab);
    loaded.errors = std::move(parsed.errors);
    loaded.errors << checkLab(loaded.lab, labDriversOf(registry));
    std::stable_sort(loaded.errors.begin(), loaded.errors.end(),
        [](const LabError &a, const LabError &b) { return a.line < b.line; });
    for (const LabError &error : std::as_const(loaded.errors)) {
        if (error.isError() && !error.device.isEmpty())
            loaded.deviceErrors[error.device] << error.toString();
    }
    for (const LabDevice &device : std::as_const(loaded.lab.devices))
        loaded.devices << DeviceSettings{device.name, device.kind, device.config, device.port};
    return loaded;
}

} // namespace

LoadedLab loadLab(const QString &path, PluginRegistry &registry)
{
    return checked(parseLabFile(path), registry);
}

LoadedLab loadLabText(const QByteArray &text, const QString &displayPath, PluginRegistry &registry)
{
    return checked(parseLabText(text, displayPath), registry);
}

DeviceHost::Drivers driversFrom(PluginRegistry &registry)
{
    DeviceHost::Drivers drivers;
    drivers.create = [&registry](const DeviceSettings &settings) -> std::unique_ptr<Device> {
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
            if (error.isError() && error.device.isEmpty())
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
