// SPDX-License-Identifier: MIT
#include "devicehandle.h"

namespace Benchtop {

QCoro::Task<double> DeviceHandle::moveTo(double position)
{
    const QVariant reached = co_await callAndWait(QStringLiteral("set_position"), {position});
    co_return reached.toDouble();
}

QCoro::Task<double> DeviceHandle::home()
{
    const QVariant reached = co_await callAndWait(QStringLiteral("home"));
    co_return reached.toDouble();
}

QCoro::Task<QVariantMap> DeviceHandle::measure()
{
    const QVariant measured = co_await callAndWait(QStringLiteral("measure"));
    co_return measured.toMap();
}

void DeviceHandle::setSnapshot(DeviceSnapshot snapshot)
{
    Readings readings = m_readings.keys() == Readings(m_description).keys()
        ? m_readings.takeRows() // keeps what the last row was, so a repeat adds none
        : Readings(m_description);
    readings.append(std::chrono::steady_clock::now(), snapshot);
    setSnapshot(std::move(snapshot), std::move(readings));
}

void DeviceHandle::setSnapshot(DeviceSnapshot snapshot, Readings readings)
{
    m_snapshot = std::move(snapshot);
    m_readings = std::move(readings);
    m_lastHeard = std::chrono::steady_clock::now();
    Q_EMIT snapshotChanged();
}

void DeviceHandle::setDescription(DeviceDescription description)
{
    m_description = std::move(description);
    Q_EMIT descriptionChanged();
}

} // namespace Benchtop
