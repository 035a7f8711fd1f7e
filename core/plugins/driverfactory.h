// SPDX-License-Identifier: MIT
#pragma once

#include "configproblem.h"

#include <device/devicesettings.h>

#include <QObject>

namespace Benchtop {

class Device;

/// The plugin ABI number. A plugin's metadata must carry the same number, or the registry
/// refuses it without loading its code. Raise it whenever a change to Device, the trait
/// interfaces, DriverFactory or the async toolkit breaks plugins built against the old
/// headers, and record why in docs/plugin-abi.md.
inline constexpr int kPluginAbi = 3;

/// The root object of a driver plugin (Q_PLUGIN_METADATA(IID BENCHTOP_DRIVER_FACTORY_IID
/// FILE "<plugin>.json")). The JSON declares the plugin's driver kinds, their traits and their
/// config schemas; docs/plugin-abi.md describes it.
class DriverFactory {
public:
    virtual ~DriverFactory() = default;
    /// Creates a device of driver kind `settings.kind` (one the metadata declares) on the
    /// calling thread, which is the device thread. The caller owns the result. May throw
    /// (std::exception) when the device cannot be created; the host turns that into a fault.
    virtual Device *create(const DeviceSettings &settings) = 0;

    /// Checks what the schema cannot: the rules between one device's settings, or within one
    /// beyond its type and limits (a home position outside the travel, units for a channel that
    /// does not exist, a malformed address), so that `benchtop --check`, the Add device form and
    /// the lab loader report them before the device is created, each at its place in the lab
    /// file. `settings.config` has passed the schema check: every key of the kind's schema is
    /// there, of its type, within its limits, defaults filled in. Returns every problem found,
    /// errors and warnings (ConfigProblem); none by default. A driver whose constructor
    /// refuses the same settings should call the same function (throwIfConfigErrors), so that
    /// each rule is written once.
    ///
    /// Called on any thread (the GUI thread, `--check`), possibly while create() runs on the
    /// device thread, and often (for every device at each check): it must be reentrant, quick,
    /// and touch no hardware. May throw (std::exception); that is reported as an error.
    virtual QList<ConfigProblem> checkConfig(const DeviceSettings &settings) const
    {
        Q_UNUSED(settings);
        return {};
    }
};

} // namespace Benchtop

// Unversioned on purpose: the ABI number in the metadata versions it, so that a plugin of
// another ABI is refused with both numbers rather than as "not a Benchtop plugin".
#define BENCHTOP_DRIVER_FACTORY_IID "dev.benchtop.DriverFactory"
Q_DECLARE_INTERFACE(Benchtop::DriverFactory, BENCHTOP_DRIVER_FACTORY_IID)
