// SPDX-License-Identifier: MIT
#include "snapshotpacer.h"

#include "localdevicehandle.h"

#include <algorithm>

namespace Benchtop {

SnapshotPacer::SnapshotPacer(
    std::chrono::microseconds interval, std::chrono::microseconds budget, QObject *parent)
    : QObject(parent)
    , m_interval(interval)
    , m_budget(budget)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(interval));
    connect(&m_timer, &QTimer::timeout, this, &SnapshotPacer::tick);
}

SnapshotPacer::~SnapshotPacer()
{
    Q_ASSERT_X(m_waiting.empty(), "SnapshotPacer", "handles must go before their pacer");
}

void SnapshotPacer::request(LocalDeviceHandle *handle)
{
    if (m_timer.isActive()) {
        m_waiting.push_back(handle);
        return;
    }
    // Quiet until now: delivered at once, and the clock starts, so that what follows within
    // the interval waits for its tick.
    handle->deliverNow();
    m_timer.start();
}

void SnapshotPacer::forget(LocalDeviceHandle *handle)
{
    m_waiting.erase(std::remove(m_waiting.begin(), m_waiting.end(), handle), m_waiting.end());
}

void SnapshotPacer::tick()
{
    ++m_ticks;
    if (m_waiting.empty()) {
        m_timer.stop(); // a tick with nothing to do: quiet again
        return;
    }
    // Only those waiting when the tick began: one that a delivery makes ready again (a slot
    // that calls its device) waits for the next tick like the rest.
    std::size_t due = m_waiting.size();
    const Clock::time_point end = Clock::now() + m_budget;
    while (due > 0) {
        LocalDeviceHandle *handle = m_waiting.front();
        m_waiting.pop_front();
        --due;
        handle->deliverNow();
        if (due > 0 && Clock::now() >= end) {
            ++m_overruns;
            break;
        }
    }
}

} // namespace Benchtop
