// SPDX-License-Identifier: MIT
#include "simsignal.h"

#include <async/sleep.h>

#include <cmath>
#include <numbers>
#include <random>

namespace Benchtop::Sim {

namespace {

const QStringList kWaveforms{QStringLiteral("sine"), QStringLiteral("square"),
    QStringLiteral("triangle"), QStringLiteral("sawtooth"), QStringLiteral("noise")};
} // namespace

SimSignal::SimSignal(DeviceSettings settings, QObject *parent)
    : SimDevice(std::move(settings), parent)
    , SensorState(this)
{
    const SimConfig &c = simConfig();
    m_rateHz = c.number(QStringLiteral("rate_hz"), 0.01, 10'000);
    m_channel = c.string(QStringLiteral("channel")); // checked by checkSimConfig
    setChannels({{m_channel, c.string(QStringLiteral("units")), {}}});
    m_waveform = static_cast<Waveform>(
        kWaveforms.indexOf(c.choice(QStringLiteral("waveform"), kWaveforms)));
    m_amplitude = c.number(QStringLiteral("amplitude"));
    m_frequencyHz = c.number(QStringLiteral("frequency_hz"), 0, 1e9);
    m_offset = c.number(QStringLiteral("offset"));
}

SimSignal::~SimSignal()
{
    stopTasksNow();
}

double SimSignal::shape(Waveform waveform, double cycles)
{
    const double phase = cycles - std::floor(cycles); // [0, 1)
    switch (waveform) {
    case Waveform::Sine:
        return std::sin(2 * std::numbers::pi * phase);
    case Waveform::Square:
        return phase < 0.5 ? 1.0 : -1.0;
    case Waveform::Triangle:
        return phase < 0.5 ? -1.0 + 4 * phase : 3.0 - 4 * phase;
    case Waveform::Sawtooth:
        return -1.0 + 2 * phase;
    case Waveform::Noise:
        return 0.0;
    }
    return 0.0;
}

double SimSignal::reading()
{
    double value = m_offset;
    if (m_waveform == Waveform::Noise)
        value += m_amplitude * std::normal_distribution<double>(0.0, 1.0)(random());
    else
        value += m_amplitude * shape(m_waveform, m_frequencyHz * secondsSinceCreated());
    return noisy(value);
}

QCoro::Task<> SimSignal::updateState()
{
    const auto period = std::chrono::duration_cast<Async::Clock::duration>(
        std::chrono::duration<double>(1.0 / m_rateHz));
    Async::TimePoint next = Async::now();
    for (;;) {
        next += period;
        const Async::TimePoint now = Async::now();
        if (next < now)
            next = now; // stalled: resume the rate from here, no burst
        co_await Async::sleepUntil(next);
        if (co_await pollHardware("sample read"))
            publish({{m_channel, reading()}});
    }
}

} // namespace Benchtop::Sim
