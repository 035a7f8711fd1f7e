// SPDX-License-Identifier: MIT
#pragma once

#include "simdevice.h"

#include <device/sensorstate.h>

namespace Benchtop::Sim {

/// `sim-signal`: a free-running signal source (is-sensor) that publishes a new reading at a
/// fixed rate, like seed 003's 10 Hz and 100 Hz sensors running side by side.
///
/// Config: rate_hz, channel (its one channel's name), units, waveform (sine, square, triangle,
/// sawtooth, noise), amplitude, frequency_hz, offset, and the fault knobs noise (added to every
/// reading), latency_ms, timeout_rate, disconnect_after_s, seed.
///
/// State: measured (channel -> value, plus measurement_id) and measurement_id, both updated on
/// every reading; ids increase by one from 0. update_state keeps the rate without drifting
/// (sleepUntil), and after a stall resumes it rather than catching up in a burst.
class SimSignal final
    : public SimDevice
    , public SensorState {
    Q_OBJECT
    Q_INTERFACES(Benchtop::IsSensor)
public:
    enum class Waveform { Sine, Square, Triangle, Sawtooth, Noise };

    /// Throws DeviceError for an unusable config.
    explicit SimSignal(DeviceSettings settings, QObject *parent = nullptr);
    ~SimSignal() override;

    double rateHz() const noexcept { return m_rateHz; }

    /// The periodic waveforms at `cycles` (time × frequency): between -1 and 1, period 1.
    /// Sine starts at 0 rising; square is 1 for the first half; triangle starts at -1;
    /// sawtooth rises from -1 to 1. Noise has no shape (0 here; its readings are random).
    static double shape(Waveform waveform, double cycles);

protected:
    QCoro::Task<> updateState() override;

private:
    double reading();

    double m_rateHz = 10;
    QString m_channel;
    Waveform m_waveform = Waveform::Sine;
    double m_amplitude = 1;
    double m_frequencyHz = 1;
    double m_offset = 0;
};

} // namespace Benchtop::Sim
