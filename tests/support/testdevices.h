// SPDX-License-Identifier: MIT
#pragma once

// Small drivers for tests of the device model and host: each exercises one behaviour with no
// simulation around it.

#include <async/errors.h>
#include <async/sleep.h>
#include <device/device.h>
#include <device/deviceerror.h>
#include <device/measurementrunner.h>
#include <device/positionstate.h>
#include <device/sensorstate.h>
#include <device/traits.h>

#include <QCoroSignal>

#include <chrono>
#include <functional>

namespace Benchtop::Test {

using namespace std::chrono_literals;

/// has-position + has-limits + is-stoppable, whose motion ends only when the test says so.
/// With config `stall = true` every motion fails instead, 5 ms after it started, reported in
/// the value `error` as "<name>: stalled" (a driver's background work failing).
class TestStage
    : public Device
    , public PositionState
    , public HasLimits
    , public IsStoppable {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition Benchtop::HasLimits Benchtop::IsStoppable)
public:
    explicit TestStage(DeviceSettings settings)
        : Device(std::move(settings))
        , PositionState(this)
    {
        publishPosition(0.0);
        publishDestination(0.0);
        setPersistentKeys({StateKey::Position, StateKey::Destination});
        const QVariantList limits = config().value(QStringLiteral("limits")).toList();
        if (limits.size() == 2)
            m_limits = {limits[0].toDouble(), limits[1].toDouble()};
        m_policy = outOfLimitsFromString(config().value(QStringLiteral("out_of_limits")).toString())
                       .value_or(OutOfLimits::Closest);
        if (config().value(QStringLiteral("stall")).toBool())
            declareErrorValue();
    }

    QString units() const override { return QStringLiteral("mm"); }
    Limits limits() const override { return m_limits; }
    OutOfLimits outOfLimits() const override { return m_policy; }
    void stop() override
    {
        publishDestination(position());
        setBusy(false);
    }
    /// The hardware reports where it is on its own (NaN: its encoder is lost).
    void report(double position)
    {
        publishPosition(position);
        publishDestination(position);
    }
    /// The motion ends: the stage is at its destination.
    void arrive()
    {
        publishPosition(destination());
        setBusy(false);
    }

protected:
    void move(double) override
    {
        setBusy(true);
        if (!config().value(QStringLiteral("stall")).toBool())
            return;
        clearError();
        spawn("stalling move", [this]() -> QCoro::Task<> {
            co_await Async::sleep(5ms);
            reportError(name() + QStringLiteral(": stalled"));
            setBusy(false);
        });
    }

private:
    Limits m_limits;
    OutOfLimits m_policy = OutOfLimits::Closest;
};

/// Counts update_state ticks at `period_ms` (a device polling at its rate).
class TickingDevice : public Device {
    Q_OBJECT
public:
    using Device::Device;
    int ticks = 0;

protected:
    QCoro::Task<> updateState() override
    {
        const auto period
            = std::chrono::milliseconds(config().value(QStringLiteral("period_ms"), 10).toInt());
        for (;;) {
            co_await Async::sleep(period);
            ++ticks;
            setValue(QStringLiteral("ticks"), ticks);
        }
    }
};

/// update_state throws after `fail_after_ms`.
class ThrowingDevice : public Device {
    Q_OBJECT
public:
    using Device::Device;

protected:
    QCoro::Task<> updateState() override
    {
        co_await Async::sleep(std::chrono::milliseconds(
            config().value(QStringLiteral("fail_after_ms"), 1000).toInt()));
        throw DeviceError(QStringLiteral("simulated hardware error"));
    }
};

/// A misbehaving driver: one step of its update_state holds the device loop (calls `hold`, a
/// blocking function the test gives) instead of awaiting.
class LoopHoggingDevice : public Device {
    Q_OBJECT
public:
    LoopHoggingDevice(DeviceSettings settings, std::function<void()> hold)
        : Device(std::move(settings))
        , m_hold(std::move(hold))
    {
    }

protected:
    QCoro::Task<> updateState() override
    {
        co_await Async::sleep(1ms);
        m_hold(); // wrong on purpose: a driver must never block the loop
        for (;;)
            co_await Async::sleep(10ms);
    }

private:
    std::function<void()> m_hold;
};

/// Something outside the toolkit that a misbehaving driver waits on.
class Releaser : public QObject {
    Q_OBJECT
Q_SIGNALS:
    void released();
};

/// A misbehaving driver: swallows its cancellation and then waits on a raw QCoro signal await
/// (not a cancellation point) until `releaser` fires.
class StubbornDevice : public Device {
    Q_OBJECT
public:
    StubbornDevice(DeviceSettings settings, Releaser *releaser)
        : Device(std::move(settings))
        , m_releaser(releaser)
    {
    }

protected:
    QCoro::Task<> updateState() override
    {
        try {
            for (;;)
                co_await Async::sleep(10ms);
        } catch (const Async::Cancelled &) {
            // wrong on purpose: a driver must rethrow
        }
        co_await qCoro(m_releaser, &Releaser::released);
    }

private:
    Releaser *m_releaser;
};

/// has-digital-io with one input "foot" that the test presses.
class TestPanel
    : public Device
    , public HasDigitalIo {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasDigitalIo)
public:
    using Device::Device;
    QStringList inputNames() const override { return {QStringLiteral("foot")}; }
    QStringList outputNames() const override { return {QStringLiteral("led")}; }
    bool input(const QString &) const override { return false; }
    bool output(const QString &) const override { return m_led; }
    void setOutput(const QString &, bool on) override { m_led = on; }
    void press(const QString &line) { emitInputEvent(line, InputEvent::Pressed); }

private:
    bool m_led = false;
};

/// is-sensor + has-measure-trigger: a measurement takes `integration_ms`, then reads `id * 10`.
class TestSensor
    : public Device
    , public SensorState
    , public MeasurementRunner {
    Q_OBJECT
    Q_INTERFACES(Benchtop::IsSensor Benchtop::HasMeasureTrigger)
public:
    explicit TestSensor(DeviceSettings settings)
        : Device(std::move(settings))
        , SensorState(this)
        , MeasurementRunner(this, this)
    {
        setChannels({{QStringLiteral("value"), QStringLiteral("V"), {}}});
    }

protected:
    QCoro::Task<QVariantMap> acquire() override
    {
        const int id = nextMeasurementId();
        co_await Async::sleep(
            std::chrono::milliseconds(config().value(QStringLiteral("integration_ms"), 5).toInt()));
        co_return QVariantMap{{QStringLiteral("value"), id * 10.0}};
    }
};

} // namespace Benchtop::Test
