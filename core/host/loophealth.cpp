// SPDX-License-Identifier: MIT
#include "loophealth.h"

namespace Benchtop {

namespace {
qint64 secondOf(LoopHealthMonitor::Clock::time_point time)
{
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}
std::chrono::microseconds micros(LoopHealthMonitor::Clock::duration duration)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(duration);
}
} // namespace

LoopHealthMonitor::Bucket &LoopHealthMonitor::bucketAt(Clock::time_point now)
{
    const qint64 second = secondOf(now);
    Bucket &bucket = m_buckets[size_t(second % kWindowSeconds)];
    if (bucket.second != second) {
        bucket = Bucket();
        bucket.second = second;
    }
    return bucket;
}

void LoopHealthMonitor::recordLatency(Clock::time_point now, Clock::duration lateness)
{
    m_latency = lateness;
    Bucket &bucket = bucketAt(now);
    bucket.worstLatency = std::max(bucket.worstLatency, lateness);
}

void LoopHealthMonitor::recordCall(Clock::time_point now, const QString &call, Clock::duration took)
{
    Bucket &bucket = bucketAt(now);
    if (took > bucket.slowestCallTime) {
        bucket.slowestCallTime = took;
        bucket.slowestCall = call;
    }
}

void LoopHealthMonitor::recordCall(
    Clock::time_point now, const QString &device, const QString &message, Clock::duration took)
{
    Bucket &bucket = bucketAt(now);
    if (took > bucket.slowestCallTime) {
        bucket.slowestCallTime = took;
        bucket.slowestCall = device + QLatin1Char('.') + message;
    }
}

LoopHealth LoopHealthMonitor::report(Clock::time_point now) const
{
    const qint64 newest = secondOf(now);
    LoopHealth health;
    health.latency = micros(m_latency);
    Clock::duration slowest{-1};
    for (const Bucket &bucket : m_buckets) {
        if (bucket.second < 0 || bucket.second <= newest - kWindowSeconds)
            continue; // empty, or older than the window
        health.worstLatency = std::max(health.worstLatency, micros(bucket.worstLatency));
        if (bucket.slowestCallTime > slowest) {
            slowest = bucket.slowestCallTime;
            health.slowestCall = bucket.slowestCall;
        }
    }
    if (slowest.count() >= 0)
        health.slowestCallTime = micros(slowest);
    return health;
}

} // namespace Benchtop
