// SPDX-License-Identifier: MIT
#pragma once

#include <device/device.h>
#include <device/measurementrunner.h>
#include <device/sensorstate.h>
#include <device/traits.h>

#include <chrono>

namespace ExampleDriver {

/// `example-meter`: a voltmeter (is-sensor, has-measure-trigger, is-stoppable) whose one channel,
/// `voltage`, reads a slow sine wave plus an offset. SensorState publishes its readings and
/// MeasurementRunner runs measure(loop), so the driver writes only acquire(): one reading.
///
/// Config: integration_ms, how long a reading takes. Own message: set_offset(offset = 0), the
/// volts added to every later reading.
class ExampleMeter final
    : public Benchtop::Device
    , public Benchtop::SensorState
    , public Benchtop::MeasurementRunner
    , public Benchtop::IsStoppable {
    Q_OBJECT
    // Every trait the JSON lists, so that Benchtop finds it across the plugin boundary.
    Q_INTERFACES(Benchtop::IsSensor Benchtop::HasMeasureTrigger Benchtop::IsStoppable)
public:
    explicit ExampleMeter(Benchtop::DeviceSettings settings);
    ~ExampleMeter() override;

    void stop() override { stopMeasuring(); }

    QList<Benchtop::MessageDefinition> ownMessages() const override;
    QVariant invokeOwn(const QString &message, const QVariantList &args) override;

protected:
    QCoro::Task<QVariantMap> acquire() override;

private:
    std::chrono::milliseconds m_integration;
    double m_offset = 0;
};

} // namespace ExampleDriver
