// SPDX-License-Identifier: MIT
#pragma once

// How far a run is: points done of how many, the recent rate, the time left. What benchtop-run
// prints on a terminal, the window's progress bar shows and benchtopd's get_status answers.

#include <async/clock.h>

#include <QString>

#include <array>
#include <optional>

namespace Benchtop::Run {

class RunProgress {
public:
    /// The rate is measured over about this long: long enough to smooth a point's jitter,
    /// short enough to follow a change of pace (a slower region of a scan).
    static constexpr auto kRateWindow = std::chrono::seconds(3);

    /// `total`: the points the run will take, or -1 when not known in advance.
    explicit RunProgress(qint64 total = -1, Async::TimePoint start = Async::Clock::now());

    /// One more point was done at `at`.
    void pointDone(Async::TimePoint at);
    /// The run resumed after a pause or suspension: the time spent waiting is left out of
    /// the rate.
    void resumedAt(Async::TimePoint at);

    qint64 done() const noexcept { return m_done; }
    qint64 total() const noexcept { return m_total; }
    /// Points per second over the last kRateWindow (since the start, early on); 0 before the
    /// second point.
    double rate() const;
    /// Seconds left at the current rate; nullopt when the total or the rate is not known.
    std::optional<double> secondsLeft() const;
    /// "point 1,234 of 10,000 (12.3%), 2,345 points/s, 0:03:45 left", or without the parts
    /// that are not known ("point 17, 2.0 points/s").
    QString summary() const;

private:
    struct Sample {
        Async::TimePoint at;
        qint64 done = 0;
    };
    void addSample(Sample sample);

    qint64 m_total = -1;
    qint64 m_done = 0;
    // Samples taken at least kRateWindow / (size - 1) apart; the rate is taken from the oldest
    // to the newest point.
    std::array<Sample, 7> m_samples{};
    int m_sampleCount = 0;
    int m_oldest = 0;
    Sample m_last;
};

/// "0:03:45", "12:00:00"; seconds are rounded up so that "0:00:00" means done.
QString formatDuration(double seconds);

} // namespace Benchtop::Run
