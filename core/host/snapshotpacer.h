// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>
#include <deque>

namespace Benchtop {

class LocalDeviceHandle;

/// Paces the snapshot deliveries of the handles that share it, so that a thousand devices
/// changing at 100 Hz cost the receiving thread (the GUI's) a bounded share of its time instead
/// of all of it. Nothing is lost by pacing: a handle that waits gathers its device's readings
/// and delivers them together (DeviceHandle::readings()).
///
/// When the pacer is quiet (no tick in the last interval found work), a handle whose device
/// changed is delivered at once and the pacer's clock starts: a quiet lab sees a change without
/// delay. While the clock runs, handles wait for its next tick. Every tick delivers the waiting
/// handles oldest first until its budget is spent (at least one); the rest wait for the
/// following tick, first in line; a tick that finds none waiting stops the clock. So each
/// handle is delivered at most once per tick, and under load the deliveries take at most about
/// budget / interval of the thread, however many handles there are.
///
/// Not paced (LocalDeviceHandle decides): a new description, and a change of status, busy or
/// link, which the operator watches for.
///
/// Thread affinity: the thread of its handles. It must outlive them.
class SnapshotPacer final : public QObject {
    Q_OBJECT
public:
    using Clock = std::chrono::steady_clock;
    /// What a window uses: each handle at most once per frame of a 60 Hz screen, all of them
    /// together about 1 ms of each frame, which leaves the rest of the frame to redraw and
    /// paint (ui/frameclock.cpp; bench/notes/ui.md).
    static constexpr std::chrono::microseconds kFrameInterval{16'667};
    static constexpr std::chrono::microseconds kFrameBudget{1'000};

    SnapshotPacer(std::chrono::microseconds interval, std::chrono::microseconds budget,
        QObject *parent = nullptr);
    ~SnapshotPacer() override;

    /// The handle has a delivery: now if quiet, else at a tick.
    void request(LocalDeviceHandle *handle);
    /// The handle is going away: drop its place in line.
    void forget(LocalDeviceHandle *handle);

    std::chrono::microseconds interval() const noexcept { return m_interval; }
    /// Handles waiting for a tick.
    std::size_t waiting() const noexcept { return m_waiting.size(); }
    /// Ticks so far, and those that ran out of budget with handles still waiting.
    quint64 ticks() const noexcept { return m_ticks; }
    quint64 overruns() const noexcept { return m_overruns; }

private:
    void tick();

    std::chrono::microseconds m_interval;
    std::chrono::microseconds m_budget;
    QTimer m_timer;
    std::deque<LocalDeviceHandle *> m_waiting;
    quint64 m_ticks = 0;
    quint64 m_overruns = 0;
};

} // namespace Benchtop
