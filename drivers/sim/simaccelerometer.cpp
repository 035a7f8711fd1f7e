// SPDX-License-Identifier: MIT
#include "simaccelerometer.h"

#include <async/sleep.h>
#include <device/deviceerror.h>

#include <cmath>
#include <random>

namespace Benchtop::Sim {

namespace {
const QString kStill = QStringLiteral("still");
const QStringList kAxes{QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")};
} // namespace

SimAccelerometer::SimAccelerometer(DeviceSettings settings, QObject *parent)
    : SimDevice(std::move(settings), parent)
    , SensorState(this)
    , m_rateHz(simConfig().number(QStringLiteral("rate_hz"), 0.1, 1000))
    , m_filter(simConfig().number(QStringLiteral("threshold"), 0, 100),
          std::chrono::duration_cast<Async::Clock::duration>(std::chrono::duration<double>(
              simConfig().number(QStringLiteral("still_after_s"), 0, 3600))))
{
    QList<SensorChannel> channels;
    for (const QString &axis : kAxes)
        channels << SensorChannel{axis, QStringLiteral("g"), {}};
    setChannels(channels);
    setValue(kStill, false);
}

SimAccelerometer::~SimAccelerometer()
{
    stopTasksNow();
}

bool SimAccelerometer::isStill() const
{
    return values().value(kStill).toBool();
}

void SimAccelerometer::shake(std::chrono::milliseconds duration, double amplitude)
{
    m_shakeUntil = Async::now() + duration;
    m_shakeAmplitude = amplitude;
}

void SimAccelerometer::tilt(const AccelerationFilter::Vector &rest)
{
    m_rest = rest;
}

QList<MessageDefinition> SimAccelerometer::ownMessages() const
{
    const QJsonValue number = QStringLiteral("double");
    return {{.name = QStringLiteral("shake"),
                .trait = kind(),
                .request = {parameter(QStringLiteral("seconds"), number, 1.0),
                    parameter(QStringLiteral("amplitude_g"), number, 0.5)},
                .doc = QStringLiteral("Shakes the board for `seconds`: every sample gets a random "
                                      "offset of up to `amplitude_g` on each axis."),
                .effect = Effect::Acts},
        {.name = QStringLiteral("tilt"),
            .trait = kind(),
            .request = {parameter(QStringLiteral("x"), number),
                parameter(QStringLiteral("y"), number), parameter(QStringLiteral("z"), number)},
            .doc = QStringLiteral("Sets the resting vector (g) read when not shaken."),
            .effect = Effect::Acts}};
}

QVariant SimAccelerometer::invokeOwn(const QString &message, const QVariantList &args)
{
    QList<double> numbers;
    for (const QVariant &arg : args) {
        if (!std::isfinite(arg.toDouble()))
            throw DeviceError(QStringLiteral("%1: %2 takes finite numbers").arg(name(), message));
        numbers << arg.toDouble();
    }
    if (message == QLatin1String("shake")) {
        if (numbers[0] < 0 || numbers[1] < 0)
            throw DeviceError(
                QStringLiteral("%1: shake: negative duration or amplitude").arg(name()));
        shake(std::chrono::milliseconds(qRound64(numbers[0] * 1000)), numbers[1]);
    } else {
        tilt({numbers[0], numbers[1], numbers[2]});
    }
    return {};
}

AccelerationFilter::Vector SimAccelerometer::sample()
{
    AccelerationFilter::Vector raw = m_rest;
    if (Async::now() < m_shakeUntil) {
        std::uniform_real_distribution<double> offset(-m_shakeAmplitude, m_shakeAmplitude);
        for (double &axis : raw)
            axis += offset(random());
    }
    for (double &axis : raw)
        axis = noisy(axis);
    return raw;
}

QCoro::Task<> SimAccelerometer::updateState()
{
    const auto period = std::chrono::duration_cast<Async::Clock::duration>(
        std::chrono::duration<double>(1.0 / m_rateHz));
    Async::TimePoint next = Async::now();
    for (;;) {
        if (co_await pollHardware("sample read")) {
            const Async::TimePoint now = Async::now();
            m_filter.update(sample(), now);
            const AccelerationFilter::Vector &v = m_filter.vector();
            publish({{kAxes[0], v[0]}, {kAxes[1], v[1]}, {kAxes[2], v[2]}});
            setValue(kStill, m_filter.isStill(now));
        }
        // A fixed rate that does not drift; after a stall it resumes the rate from now rather
        // than catching up with a burst.
        next += period;
        const Async::TimePoint now = Async::now();
        if (next < now)
            next = now;
        co_await Async::sleepUntil(next);
    }
}

} // namespace Benchtop::Sim
