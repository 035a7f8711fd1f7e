// SPDX-License-Identifier: MIT
#pragma once

#include <plugins/driverfactory.h>

#include <QObject>

namespace Benchtop::Modbus {

/// The root object of the `modbus` plugin: creates `modbus-tcp` devices. Its metadata
/// (modbus.json) declares the kind, its traits and its config schema.
class ModbusFactory
    : public QObject
    , public DriverFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID BENCHTOP_DRIVER_FACTORY_IID FILE "modbus.json")
    Q_INTERFACES(Benchtop::DriverFactory)
public:
    explicit ModbusFactory(QObject *parent = nullptr);

    /// Creates a `modbus-tcp` device. Throws DeviceError for another kind or an unusable
    /// config (`device "plc": channels.temperature: ...`). The caller owns the result.
    Device *create(const DeviceSettings &settings) override;
    /// ModbusSettings::check: what create() would refuse the table for.
    QList<ConfigProblem> checkConfig(const DeviceSettings &settings) const override;
};

} // namespace Benchtop::Modbus
