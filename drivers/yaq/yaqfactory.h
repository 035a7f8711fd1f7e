// SPDX-License-Identifier: MIT
#pragma once

#include <plugins/driverfactory.h>

#include <QObject>

namespace Benchtop::YaqDriver {

/// The `yaq` plugin's root object: kind `yaq`, a RemoteDevice.
class YaqFactory
    : public QObject
    , public DriverFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID BENCHTOP_DRIVER_FACTORY_IID FILE "yaq.json")
    Q_INTERFACES(Benchtop::DriverFactory)
public:
    Device *create(const DeviceSettings &settings) override;
    /// checkYaqConfig: `address` is `host:port`.
    QList<ConfigProblem> checkConfig(const DeviceSettings &settings) const override;
};

} // namespace Benchtop::YaqDriver
