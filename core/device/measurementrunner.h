// SPDX-License-Identifier: MIT
#pragma once

#include "device.h"
#include "sensorstate.h"
#include "traits.h"

#include <async/taskhandle.h>

#include <QCoroTask>

#include <chrono>

namespace Benchtop {

class Device;
class DeviceError;

/// has-measure-trigger done once, as yaqd-core's HasMeasureTrigger: measure(loop), the ids, the
/// loop and its interval, busy, and stopping. A driver's device derives from it (and from
/// SensorState) and writes only acquire(), one measurement of every channel — yaqd-core's
/// `_measure`. Thread affinity: the device's.
///
/// - measure(loop) starts a measurement task and returns the id it will publish; busy until it
///   (or the loop) ends. Called while measuring it only sets the loop flag and returns the id
///   of the measurement in progress.
/// - Each acquire() that completes is published through SensorState::publish(). A loop starts
///   the next acquire() loopInterval() after the previous one started (at once when zero),
///   letting the device's other tasks run in between.
/// - stopMeasuring() ends at once: busy false, `measured` keeps the previous result, and the
///   stopped measurement's id goes to the next one. A driver's IsStoppable::stop() calls it.
/// - An exception escaping acquire() is the device's fault (Failure::Fault), or, with
///   Failure::ReportError, a DeviceError ends the measurement (and loop) and is published as
///   the value `error` (declared by the constructor), which measure() clears
///   (docs/decisions.md §20).
/// - A loop that ends by itself (its reading failed) says why in the log and in the value
///   `loop_ended` ("loop ended: link to dmm lost (…)" when the failure was Io::LinkDown or the
///   device's link is down, else "loop ended: …"), which the next measurement clears. A loop
///   ended by stop_looping or stop says nothing. A driver with a link shows it down as soon as
///   its transport reports the loss, so that a reading failing meanwhile is told right.
///
/// Readiness is not checked here: the message dispatch refuses calls to a device that is not
/// ready before they reach a trait (docs/devices.md).
class MeasurementRunner : public HasMeasureTrigger {
public:
    enum class Failure { Fault, ReportError };
    struct Options {
        Failure failure = Failure::Fault;
        std::chrono::milliseconds loopInterval{0};
    };

    /// `self` is the device deriving from this and `sensor` its SensorState (both `this` in
    /// its constructor).
    MeasurementRunner(Device *self, SensorState *sensor, Options options);
    MeasurementRunner(Device *self, SensorState *sensor)
        : MeasurementRunner(self, sensor, Options())
    {
    }

    // has-measure-trigger
    int measure(bool loop) override;
    void stopLooping() override { m_looping = false; }
    std::chrono::milliseconds loopInterval() const override { return m_options.loopInterval; }
    void setLoopInterval(std::chrono::milliseconds interval) override;

    /// Ends a measurement (loop) at once; see above.
    void stopMeasuring();
    bool isMeasuring() const noexcept { return m_measuring; }
    bool isLooping() const noexcept { return m_looping; }

protected:
    /// One measurement: channel → value for every channel. Runs as a task of the device; may
    /// suspend, and is cancelled at an await point when the measurement is stopped.
    virtual QCoro::Task<QVariantMap> acquire() = 0;
    /// Measuring started or ended. The default sets the device's busy to isMeasuring(); a device
    /// that is also busy for other reasons (a setpoint write) combines them here.
    virtual void measuringChanged();

private:
    QCoro::Task<> run(quint64 run);
    /// Sets the value `loop_interval` (seconds), which the panel shows.
    void publishLoopInterval();
    void finish();
    /// A loop ended because its reading failed with `failure`: said in the log and `loop_ended`.
    void loopFailed(const DeviceError &failure);

    Device &m_self;
    SensorState &m_sensor;
    Options m_options;
    quint64 m_run = 0; // increases with every measurement run started or stopped
    bool m_looping = false;
    bool m_measuring = false;
    Async::TaskHandle<void> m_task;
};

} // namespace Benchtop
