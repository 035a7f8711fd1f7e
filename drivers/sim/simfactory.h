// SPDX-License-Identifier: MIT
#pragma once

#include <plugins/driverfactory.h>

#include <QObject>
#include <QStringList>

namespace Benchtop::Sim {

/// The root object of the `sim` plugin: creates the simulated instruments. Its metadata
/// (sim.json) declares every kind, its traits and its config schema.
///
/// Usable through QPluginLoader (the plugin) or linked directly (tests compile this file with
/// the benchtop_sim_devices library).
class SimFactory
    : public QObject
    , public DriverFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID BENCHTOP_DRIVER_FACTORY_IID FILE "sim.json")
    Q_INTERFACES(Benchtop::DriverFactory)
public:
    explicit SimFactory(QObject *parent = nullptr);

    /// Creates a device of kind `settings.kind` (one of kinds()). Throws DeviceError for an
    /// unknown kind or an unusable config. The caller owns the result.
    Device *create(const DeviceSettings &settings) override;

    /// checkSimConfig: the rules of each kind's settings that sim.json cannot say.
    QList<ConfigProblem> checkConfig(const DeviceSettings &settings) const override;

    /// The driver kinds it creates, as sim.json lists them.
    static QStringList kinds();
};

} // namespace Benchtop::Sim
