// SPDX-License-Identifier: MIT
#pragma once

#include "accelerationfilter.h"
#include "simdevice.h"

#include <device/sensorstate.h>

#include <chrono>

namespace Benchtop::Sim {

/// `sim-accelerometer`: a three-axis accelerometer polled at a fixed rate (is-sensor), after
/// seed 002's apoll: the readings are noisy, an AccelerationFilter drops changes smaller than
/// `threshold`, and `still` becomes true once no movement has been seen for `still_after_s`.
///
/// Config: rate_hz, threshold (g), still_after_s, noise (g, the standard deviation of the
/// sensor's noise; also the fault knob), and latency_ms, timeout_rate, disconnect_after_s, seed.
///
/// State: measured (x, y, z: the filtered vector in g, plus measurement_id), measurement_id
/// (one per poll, from 0), still (bool). No persistent keys.
///
/// Own messages (simulated handling of the board): `shake` [seconds = 1, amplitude_g = 0.5]
/// shakes it (every sample gets a random offset of up to the amplitude on each axis);
/// `tilt` x, y, z sets the resting vector (g) it reads when not shaken (default 0, 0, 1).
class SimAccelerometer final
    : public SimDevice
    , public SensorState {
    Q_OBJECT
    Q_INTERFACES(Benchtop::IsSensor)
public:
    /// Throws DeviceError for an unusable config.
    explicit SimAccelerometer(DeviceSettings settings, QObject *parent = nullptr);
    ~SimAccelerometer() override;

    QList<MessageDefinition> ownMessages() const override;
    QVariant invokeOwn(const QString &message, const QVariantList &args) override;

    bool isStill() const;
    /// Starts shaking for `duration` with up to `amplitude` g on each axis.
    void shake(std::chrono::milliseconds duration, double amplitude);
    void tilt(const AccelerationFilter::Vector &rest);
    double rateHz() const noexcept { return m_rateHz; }

protected:
    QCoro::Task<> updateState() override;

private:
    AccelerationFilter::Vector sample();

    double m_rateHz = 10;
    AccelerationFilter m_filter;
    AccelerationFilter::Vector m_rest{0, 0, 1};
    Async::TimePoint m_shakeUntil{};
    double m_shakeAmplitude = 0;
};

} // namespace Benchtop::Sim
