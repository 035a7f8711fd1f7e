// SPDX-License-Identifier: MIT
#include "simsensor.h"

#include <async/blocking.h>
#include <async/polluntil.h>
#include <async/sleep.h>

#include <cmath>
#include <numbers>
#include <thread>

using namespace std::chrono_literals;

namespace Benchtop::Sim {

namespace {
constexpr auto kReadyPoll = 10ms; // seed 000: poll until ready every 10 ms
constexpr auto kStatusPoll = 100ms;
const QString kWavelength = QStringLiteral("wavelength");
} // namespace

SimSensor::SimSensor(DeviceSettings settings, QObject *parent)
    : SimDevice(std::move(settings), parent)
    , SensorState(this)
    // A connection that comes back by itself (reconnect_after_s) ends a measurement it cut
    // with an error, not a fault, as a driver with a real link does.
    , MeasurementRunner(
          this, this, {.failure = faults().reconnects() ? Failure::ReportError : Failure::Fault})
{
    const SimConfig &c = simConfig();
    const QStringList names = c.names(QStringLiteral("channels")); // checked by checkSimConfig
    const QString units = c.string(QStringLiteral("units"));
    m_points = static_cast<int>(c.integer(QStringLiteral("points"), 0, 1'000'000));
    m_integration
        = std::chrono::milliseconds(c.integer(QStringLiteral("integration_ms"), 0, 3'600'000));
    m_blocking = c.boolean(QStringLiteral("blocking"));
    setLoopInterval(
        std::chrono::milliseconds(c.integer(QStringLiteral("loop_interval_ms"), 0, 86'400'000)));
    // [] (the default) is "no mapping"; anything else must be a range, even where it maps
    // nothing (points = 0: --check warns), so that a bad value is refused, never ignored.
    const QString wavelengthsKey = QStringLiteral("wavelengths_nm");
    const QVariant wavelengths = c.values().value(wavelengthsKey);
    const bool noWavelengths = !wavelengths.isValid()
        || (wavelengths.typeId() == QMetaType::QVariantList && wavelengths.toList().isEmpty());
    if (!noWavelengths) {
        const Limits range = c.limits(wavelengthsKey);
        for (int k = 0; k < m_points; ++k) {
            m_wavelengths << (m_points > 1
                    ? range.lower + (range.upper - range.lower) * k / (m_points - 1)
                    : range.lower);
        }
    }
    QList<SensorChannel> channels;
    for (const QString &name : names)
        channels << SensorChannel{name, units, m_points > 0 ? QList<int>{m_points} : QList<int>{}};
    setChannels(channels);
}

SimSensor::~SimSensor()
{
    stopTasksNow();
}

QMap<QString, QStringList> SimSensor::channelMappings() const
{
    QMap<QString, QStringList> result;
    if (m_wavelengths.isEmpty())
        return result;
    for (const SensorChannel &channel : channels())
        result.insert(channel.name, {kWavelength});
    return result;
}

QVariantMap SimSensor::mappingUnits() const
{
    if (m_wavelengths.isEmpty())
        return {};
    return {{kWavelength, QStringLiteral("nm")}};
}

QMap<QString, QList<double>> SimSensor::mappings() const
{
    if (m_wavelengths.isEmpty())
        return {};
    return {{kWavelength, m_wavelengths}};
}

double SimSensor::cleanValue(int index, double t)
{
    return 1.0 + 0.1 * index + 0.05 * std::sin(2 * std::numbers::pi * 0.2 * t + index);
}

QList<double> SimSensor::cleanSpectrum(int index, int points, double t)
{
    const double centre = 0.5 + 0.1 * std::sin(2 * std::numbers::pi * 0.05 * t + index);
    const double width = 0.05;
    const double height = 1.0 + 0.1 * index;
    QList<double> spectrum;
    spectrum.reserve(points);
    for (int k = 0; k < points; ++k) {
        const double x = points > 1 ? double(k) / (points - 1) : 0.5;
        const double z = (x - centre) / width;
        spectrum << 0.02 + height * std::exp(-z * z / 2);
    }
    return spectrum;
}

QCoro::Task<QVariantMap> SimSensor::acquire()
{
    if (m_blocking) {
        co_await hardwareCall("trigger");
        // The vendor's call blocks for the whole integration: on the device's executor thread.
        const std::chrono::milliseconds integration = m_integration;
        co_await Async::runBlocking(
            io(), [integration] { std::this_thread::sleep_for(integration); });
        while (stuckBusy()) // the data never arrive
            co_await Async::sleep(kReadyPoll);
        co_return read();
    }
    // Kickoff, poll until ready (on a grid from the kickoff: the lateness of each wake-up does
    // not add up), read.
    co_await hardwareCall("acquisition start");
    const Async::TimePoint started = Async::now();
    co_await Async::pollUntil(
        [&]() -> QCoro::Task<bool> {
            co_await hardwareCall("status query");
            co_return !stuckBusy() && Async::now() - started >= m_integration;
        },
        kReadyPoll);
    co_await hardwareCall("read");
    co_return read();
}

QVariantMap SimSensor::read()
{
    const double t = secondsSinceCreated();
    QVariantMap result;
    const QList<SensorChannel> &channels = this->channels();
    for (int i = 0; i < channels.size(); ++i) {
        if (m_points == 0) {
            result.insert(channels[i].name, noisy(cleanValue(i, t)));
        } else {
            QVariantList spectrum;
            spectrum.reserve(m_points);
            for (double y : cleanSpectrum(i, m_points, t))
                spectrum << noisy(y);
            result.insert(channels[i].name, spectrum);
        }
    }
    return result;
}

QCoro::Task<> SimSensor::updateState()
{
    for (;;) {
        co_await pollHardware("status query");
        co_await Async::sleep(kStatusPoll);
    }
}

} // namespace Benchtop::Sim
