// SPDX-License-Identifier: MIT
#include "measurementrunner.h"

#include "device.h"
#include "deviceerror.h"

#include <async/clock.h>
#include <async/sleep.h>
#include <io/ioerror.h>

#include <QLoggingCategory>

namespace Benchtop {

Q_DECLARE_LOGGING_CATEGORY(lcCallFailure)

MeasurementRunner::MeasurementRunner(Device *self, SensorState *sensor, Options options)
    : m_self(*self)
    , m_sensor(*sensor)
    , m_options(options)
{
    if (m_options.failure == Failure::ReportError)
        m_self.declareErrorValue();
    publishLoopInterval();
}

void MeasurementRunner::publishLoopInterval()
{
    m_self.setValue(StateKey::LoopInterval, double(m_options.loopInterval.count()) / 1000.0);
}

int MeasurementRunner::measure(bool loop)
{
    m_looping = loop;
    if (m_measuring)
        return m_sensor.nextMeasurementId(); // the measurement in progress gets it
    if (m_options.failure == Failure::ReportError)
        m_self.clearError(); // the outcome of this call, from now on
    if (!m_self.values().value(StateKey::LoopEnded).toString().isEmpty())
        m_self.setValue(StateKey::LoopEnded, QString());
    const int id = m_sensor.nextMeasurementId(); // before an acquire() that never suspends
    m_measuring = true;
    measuringChanged();
    const quint64 current = ++m_run;
    m_task = m_self.spawn("measure", [this, current] { return run(current); });
    return id;
}

void MeasurementRunner::setLoopInterval(std::chrono::milliseconds interval)
{
    if (interval.count() < 0) {
        throw DeviceError(QStringLiteral("%1: the loop interval cannot be negative (%2 ms)")
                              .arg(m_self.name())
                              .arg(interval.count()));
    }
    m_options.loopInterval = interval;
    publishLoopInterval();
}

void MeasurementRunner::stopMeasuring()
{
    ++m_run; // a measurement that completes anyway is not published
    m_task.cancel();
    m_looping = false;
    m_measuring = false;
    measuringChanged();
}

void MeasurementRunner::measuringChanged()
{
    m_self.setBusy(m_measuring);
}

QCoro::Task<> MeasurementRunner::run(quint64 current)
{
    try {
        for (;;) {
            const Async::TimePoint started = Async::now();
            QVariantMap reading = co_await acquire();
            if (current != m_run)
                co_return; // stopped meanwhile: its id goes to the next measurement
            m_sensor.publish(std::move(reading));
            if (!m_looping)
                break;
            // A loop lets every other task of the loop run between measurements.
            const Async::TimePoint next = started + m_options.loopInterval;
            if (Async::now() < next)
                co_await Async::sleepUntil(next);
            else
                co_await Async::yield();
            if (current != m_run)
                co_return;
        }
    } catch (const DeviceError &e) {
        if (m_options.failure == Failure::Fault)
            throw;
        // A failed reading ends the measurement, not the device.
        if (current != m_run)
            co_return;
        const bool wasLooping = m_looping;
        m_self.reportError(e.message());
        if (wasLooping)
            loopFailed(e);
    }
    finish();
}

void MeasurementRunner::loopFailed(const DeviceError &failure)
{
    const bool linkLost = dynamic_cast<const Io::LinkDown *>(&failure) != nullptr
        || m_self.link() != LinkState::Connected;
    const QString reason = failure.message();
    const QString said = linkLost
        ? QStringLiteral("loop ended: link to %1 lost (%2)").arg(m_self.name(), reason)
        : QStringLiteral("loop ended: %1").arg(reason);
    // The failure itself was warned of (reportError); this is why the loop stopped.
    qCInfo(lcCallFailure).noquote() << m_self.name() << said;
    m_self.setValue(StateKey::LoopEnded, said);
}

void MeasurementRunner::finish()
{
    m_looping = false;
    m_measuring = false;
    measuringChanged();
}

} // namespace Benchtop
