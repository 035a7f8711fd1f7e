// SPDX-License-Identifier: MIT
#pragma once

#include "simdevice.h"

#include <device/measurementrunner.h>
#include <device/sensorstate.h>

#include <chrono>

namespace Benchtop::Sim {

/// `sim-sensor`: a triggered detector (is-sensor, has-measure-trigger, is-stoppable, has-mapping),
/// e.g. a spectrometer or a lock-in amplifier.
///
/// Config: channels (names), units (of every channel), points (0: scalar channels; N: each
/// channel is a spectrum of N points), wavelengths_nm ([first, last]: the spectra's axis, a
/// mapping "wavelength" in nm evenly spaced from first to last; [] none), integration_ms,
/// blocking, and the fault knobs latency_ms, timeout_rate, disconnect_after_s, stuck_busy, noise,
/// seed.
///
/// has-mapping: with points > 0 and wavelengths_nm given, every channel maps its one axis to
/// "wavelength"; otherwise no channel has a mapping. The mappings never change (id 0).
///
/// State: measured (channel -> value, plus measurement_id) and measurement_id, published when
/// a measurement ends. No persistent keys: like yaq, ids start from 0 at every start.
///
/// - measure(loop) returns the id the measurement will get (ids increase by one from 0) and
///   starts it; busy until it (or the loop) ends. Called during a measurement, it only updates
///   the loop flag and returns the id of the measurement in progress (yaq's behaviour).
/// - A measurement follows seed 000: kickoff (one hardware call), poll until ready every 10 ms
///   (a hardware call each), read (one more). With `blocking = true` the detector only has a
///   blocking "trigger and read" call: a real blocking sleep of the integration time, run on the
///   device's serial executor (runBlocking(io(), ...)) so the event loop keeps running.
/// - stop_looping() ends a loop after the measurement in progress. stop() ends the measurement
///   at once: busy false, `measured` keeps the previous result, and the stopped measurement's id
///   is given to the next one.
/// - update_state polls the detector's status every 100 ms (so a lost connection is noticed
///   while idle).
class SimSensor final
    : public SimDevice
    , public SensorState
    , public MeasurementRunner
    , public IsStoppable
    , public HasMapping {
    Q_OBJECT
    Q_INTERFACES(
        Benchtop::IsSensor Benchtop::HasMeasureTrigger Benchtop::IsStoppable Benchtop::HasMapping)
public:
    /// Throws DeviceError for an unusable config.
    explicit SimSensor(DeviceSettings settings, QObject *parent = nullptr);
    ~SimSensor() override;

    void stop() override { stopMeasuring(); }

    QMap<QString, QStringList> channelMappings() const override;
    QVariantMap mappingUnits() const override;
    QMap<QString, QList<double>> mappings() const override;
    int mappingId() const override { return 0; }

    bool isBlocking() const noexcept { return m_blocking; }
    std::chrono::milliseconds integrationTime() const noexcept { return m_integration; }

    /// The noise-free reading of channel `index` at `t` seconds (what a measurement reads before
    /// the noise knob): scalar channels drift slowly around 1 + index/10; spectra are a Gaussian
    /// peak wandering around the middle. Pure, for tests.
    static double cleanValue(int index, double t);
    static QList<double> cleanSpectrum(int index, int points, double t);

protected:
    QCoro::Task<> updateState() override;
    QCoro::Task<QVariantMap> acquire() override;

private:
    QVariantMap read();

    int m_points = 0;
    QList<double> m_wavelengths; ///< one per point, or none
    std::chrono::milliseconds m_integration{0};
    bool m_blocking = false;
};

} // namespace Benchtop::Sim
