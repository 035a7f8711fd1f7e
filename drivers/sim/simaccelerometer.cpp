// SPDX-License-Identifier: MIT
#include "simaccelerometer.h"

#include <async/sleep.h>
#include <device/deviceerror.h>

#include <cmath>
#include <random>

namespace Benchtop::Sim {

namespace {
const QString kMeasured = QStringLiteral("measured");
const QString kMeasurementId = QStringLiteral("measurement_id");
const QString kStill = QStringLiteral("still");
const QStringList kAxes{QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")};

double numberArgument(
    const QString &device, const QString &message, const QVariant &value, const char *parameter)
{
    bool ok = false;
    const double x = value.typeId() == QMetaType::QString ? 0 : value.toDouble(&ok);
    if (!ok || !std::isfinite(x)) {
        throw DeviceError(QStringLiteral("%1: %2: argument %3 must be a number")
                              .arg(device, message, QLatin1String(parameter)));
    }
    return x;
}
} // namespace

SimAccelerometer::SimAccelerometer(DeviceSettings settings, QObject *parent)
    : SimDevice(std::move(settings), parent)
    , m_rateHz(simConfig().number(QStringLiteral("rate_hz"), 0.1, 1000))
    , m_filter(simConfig().number(QStringLiteral("threshold"), 0, 100),
          std::chrono::duration_cast<Async::Clock::duration>(std::chrono::duration<double>(
              simConfig().number(QStringLiteral("still_after_s"), 0, 3600))))
{
    setValue(kStill, false);
}

SimAccelerometer::~SimAccelerometer()
{
    stopTasksNow();
}

QStringList SimAccelerometer::channelNames() const
{
    return kAxes;
}

QVariantMap SimAccelerometer::channelUnits() const
{
    QVariantMap units;
    for (const QString &axis : kAxes)
        units.insert(axis, QStringLiteral("g"));
    return units;
}

QMap<QString, QList<int>> SimAccelerometer::channelShapes() const
{
    QMap<QString, QList<int>> shapes;
    for (const QString &axis : kAxes)
        shapes.insert(axis, {});
    return shapes;
}

QVariantMap SimAccelerometer::measured() const
{
    return values().value(kMeasured).toMap();
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

std::optional<QVariant> SimAccelerometer::invokeOwn(
    const QString &message, const QVariantList &args)
{
    if (message == QLatin1String("shake")) {
        if (args.size() > 2) {
            throw DeviceError(
                QStringLiteral("%1: shake takes [seconds[, amplitude_g]]").arg(name()));
        }
        ensureReady();
        const double seconds
            = !args.isEmpty() ? numberArgument(name(), message, args[0], "seconds") : 1.0;
        const double amplitude
            = args.size() > 1 ? numberArgument(name(), message, args[1], "amplitude_g") : 0.5;
        if (seconds < 0 || amplitude < 0)
            throw DeviceError(
                QStringLiteral("%1: shake: negative duration or amplitude").arg(name()));
        shake(std::chrono::milliseconds(qRound64(seconds * 1000)), amplitude);
        return QVariant();
    }
    if (message == QLatin1String("tilt")) {
        if (args.size() != 3)
            throw DeviceError(QStringLiteral("%1: tilt takes x, y, z (g)").arg(name()));
        ensureReady();
        tilt({numberArgument(name(), message, args[0], "x"),
            numberArgument(name(), message, args[1], "y"),
            numberArgument(name(), message, args[2], "z")});
        return QVariant();
    }
    return SimDevice::invokeOwn(message, args);
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
            const int id = m_nextId++;
            setValue(kMeasured,
                QVariantMap{
                    {kAxes[0], v[0]}, {kAxes[1], v[1]}, {kAxes[2], v[2]}, {kMeasurementId, id}});
            setValue(kMeasurementId, id);
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
