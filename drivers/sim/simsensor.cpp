// SPDX-License-Identifier: MIT
#include "simsensor.h"

#include <async/blocking.h>
#include <async/errors.h>
#include <async/sleep.h>

#include <cmath>
#include <numbers>
#include <thread>

using namespace std::chrono_literals;

namespace Benchtop::Sim {

namespace {
const QString kMeasured = QStringLiteral("measured");
const QString kMeasurementId = QStringLiteral("measurement_id");

constexpr auto kReadyPoll = 10ms; // seed 000: poll until ready every 10 ms
constexpr auto kStatusPoll = 100ms;
} // namespace

SimSensor::SimSensor(DeviceSettings settings, QObject *parent)
    : SimDevice(std::move(settings), parent)
{
    const SimConfig &c = simConfig();
    m_channels = c.names(QStringLiteral("channels")); // checked by checkSimConfig
    m_units = c.string(QStringLiteral("units"));
    m_points = static_cast<int>(c.integer(QStringLiteral("points"), 0, 1'000'000));
    m_integration
        = std::chrono::milliseconds(c.integer(QStringLiteral("integration_ms"), 0, 3'600'000));
    m_blocking = c.boolean(QStringLiteral("blocking"));
}

SimSensor::~SimSensor()
{
    stopTasksNow();
}

QVariantMap SimSensor::channelUnits() const
{
    QVariantMap units;
    for (const QString &channel : m_channels)
        units.insert(channel, m_units);
    return units;
}

QMap<QString, QList<int>> SimSensor::channelShapes() const
{
    QMap<QString, QList<int>> shapes;
    for (const QString &channel : m_channels)
        shapes.insert(channel, m_points > 0 ? QList<int>{m_points} : QList<int>{});
    return shapes;
}

QVariantMap SimSensor::measured() const
{
    return values().value(kMeasured).toMap();
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

int SimSensor::measure(bool loop)
{
    ensureReady();
    m_looping = loop;
    if (m_measuring)
        return m_nextId; // the measurement in progress gets it
    const int id = m_nextId;
    m_measuring = true;
    setBusy(true);
    const quint64 run = ++m_run;
    m_task = spawn("measure", [this, run] { return runMeasurements(run); });
    return id;
}

void SimSensor::stop()
{
    ++m_run; // the running measurement, if any, ends at its next step without a result
    m_looping = false;
    m_task.cancel();
    m_measuring = false;
    setBusy(false);
}

void SimSensor::ensureCurrent(quint64 run) const
{
    if (run != m_run)
        throw Async::Cancelled{};
}

QCoro::Task<> SimSensor::runMeasurements(quint64 run)
{
    for (;;) {
        co_await acquire(run);
        ensureCurrent(run);
        QVariantMap result = read();
        result.insert(kMeasurementId, m_nextId);
        setValue(kMeasured, result);
        setValue(kMeasurementId, m_nextId);
        ++m_nextId;
        if (!m_looping)
            break;
        co_await Async::yield(); // a loop lets every other task run between measurements
        ensureCurrent(run);
    }
    m_measuring = false;
    setBusy(false);
}

QCoro::Task<> SimSensor::acquire(quint64 run)
{
    if (m_blocking) {
        co_await hardwareCall("trigger");
        ensureCurrent(run);
        // The vendor's call blocks for the whole integration: on the device's executor thread.
        const std::chrono::milliseconds integration = m_integration;
        co_await Async::runBlocking(
            io(), [integration] { std::this_thread::sleep_for(integration); });
        ensureCurrent(run);
        while (stuckBusy()) { // the data never arrive
            co_await Async::sleep(kReadyPoll);
            ensureCurrent(run);
        }
        co_return;
    }
    // Kickoff, poll until ready, read.
    co_await hardwareCall("acquisition start");
    ensureCurrent(run);
    const Async::TimePoint started = Async::now();
    for (;;) {
        co_await hardwareCall("status query");
        ensureCurrent(run);
        if (!stuckBusy() && Async::now() - started >= m_integration)
            break;
        co_await Async::sleep(kReadyPoll);
        ensureCurrent(run);
    }
    co_await hardwareCall("read");
    ensureCurrent(run);
}

QVariantMap SimSensor::read()
{
    const double t = secondsSinceCreated();
    QVariantMap result;
    for (int i = 0; i < m_channels.size(); ++i) {
        if (m_points == 0) {
            result.insert(m_channels[i], noisy(cleanValue(i, t)));
        } else {
            QVariantList spectrum;
            spectrum.reserve(m_points);
            for (double y : cleanSpectrum(i, m_points, t))
                spectrum << noisy(y);
            result.insert(m_channels[i], spectrum);
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
