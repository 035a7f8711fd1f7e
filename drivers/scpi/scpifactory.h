// SPDX-License-Identifier: MIT
#pragma once

#include <plugins/driverfactory.h>

#include <QObject>

namespace Benchtop::Scpi {

/// The `scpi` plugin's root object: kind scpi-instrument, an ScpiInstrument, or an ScpiSupply
/// when the table maps a setpoint. The transport comes from core, made from the same table.
class ScpiFactory
    : public QObject
    , public DriverFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID BENCHTOP_DRIVER_FACTORY_IID FILE "scpi.json")
    Q_INTERFACES(Benchtop::DriverFactory)
public:
    Device *create(const DeviceSettings &settings) override;
    /// ScpiConfig::check: what create() would refuse the table for, beyond its link.
    QList<ConfigProblem> checkConfig(const DeviceSettings &settings) const override;
};

} // namespace Benchtop::Scpi
