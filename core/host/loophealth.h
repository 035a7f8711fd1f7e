// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>

#include <array>
#include <chrono>

namespace Benchtop {

/// How well the device loop keeps up, for the window's status bar: how late its heartbeat woke
/// (a loop busy with one task delays every other), and the slowest device call, that is the
/// longest time the loop spent inside one driver call, over the last minute.
struct LoopHealth {
    std::chrono::microseconds latency{0}; ///< of the newest heartbeat
    std::chrono::microseconds worstLatency{0}; ///< over the window
    QString slowestCall; ///< "stage-x.set_position"; empty when no call was made
    std::chrono::microseconds slowestCallTime{0};
};

/// Collects heartbeat lateness and call durations in one-second buckets, so that the worst of
/// the last minute is found without keeping every sample. Not thread-safe: the device thread's.
class LoopHealthMonitor {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr int kWindowSeconds = 60;

    void recordLatency(Clock::time_point now, Clock::duration lateness);
    void recordCall(Clock::time_point now, const QString &call, Clock::duration took);
    /// The same for `device`.`message`, whose name is only put together when it is the
    /// slowest so far (this runs for every call).
    void recordCall(
        Clock::time_point now, const QString &device, const QString &message, Clock::duration took);
    LoopHealth report(Clock::time_point now) const;

private:
    struct Bucket {
        qint64 second = -1; ///< which second since the clock's epoch it holds
        Clock::duration worstLatency{0};
        Clock::duration slowestCallTime{-1};
        QString slowestCall;
    };
    Bucket &bucketAt(Clock::time_point now);

    std::array<Bucket, kWindowSeconds> m_buckets;
    Clock::duration m_latency{0};
};

} // namespace Benchtop

Q_DECLARE_METATYPE(Benchtop::LoopHealth)
