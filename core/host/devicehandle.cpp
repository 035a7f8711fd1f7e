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
    Readings next(m_description);
    if (next.keys() == m_readings.keys()) {
        next = std::move(m_readings);
        next.takeRows(); // drops the rows delivered last time, remembers the last sequence
    }
    next.append(std::chrono::steady_clock::now(), snapshot);
    setSnapshot(std::move(snapshot), std::move(next));
}

void DeviceHandle::setSnapshot(DeviceSnapshot snapshot, Readings readings)
{
    const Delivery delivery
        = promptChange(m_snapshot, snapshot) ? Delivery::Prompt : Delivery::Paced;
    setSnapshot(std::move(snapshot), std::move(readings), delivery);
}

void DeviceHandle::setSnapshot(DeviceSnapshot snapshot, Readings readings, Delivery delivery)
{
    m_snapshot = std::move(snapshot);
    m_readings = std::move(readings);
    m_lastHeard = std::chrono::steady_clock::now();
    if (!m_readings.isEmpty())
        m_publishedAt = m_readings.at(m_readings.count() - 1);
    else if (m_publishedAt == std::chrono::steady_clock::time_point())
        m_publishedAt = m_lastHeard;
    Q_EMIT snapshotChanged(delivery);
}

void DeviceHandle::setDescription(DeviceDescription description)
{
    m_description = std::move(description);
    Q_EMIT descriptionChanged();
}

} // namespace Benchtop
