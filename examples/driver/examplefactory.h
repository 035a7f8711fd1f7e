// SPDX-License-Identifier: MIT
#pragma once

#include "examplemeter.h"

#include <device/deviceerror.h>
#include <plugins/driverfactory.h>

#include <QObject>

namespace ExampleDriver {

/// The plugin's root object: Benchtop reads example.json out of the library without loading
/// it, and calls create() on a device thread for each lab table of a kind the JSON declares.
class ExampleFactory
    : public QObject
    , public Benchtop::DriverFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID BENCHTOP_DRIVER_FACTORY_IID FILE "example.json")
    Q_INTERFACES(Benchtop::DriverFactory)
public:
    Benchtop::Device *create(const Benchtop::DeviceSettings &settings) override
    {
        if (settings.kind == QLatin1String("example-meter"))
            return new ExampleMeter(settings);
        throw Benchtop::DeviceError(QStringLiteral("example: unknown kind %1").arg(settings.kind));
    }
};

} // namespace ExampleDriver
