// SPDX-License-Identifier: MIT
#pragma once

// For tests of what the frame clock paces (handle deliveries, readouts, plots): the clock on
// manual time, stepped a tick at a time instead of waited for in real time.

#include <async/manualclock.h>
#include <host/frameclock.h>

#include <QCoreApplication>
#include <QTest>

#include <functional>

namespace Benchtop::Test {

/// Installs an Async::ManualClock on this thread for its lifetime (so every timer of the async
/// toolkit on this thread, the frame clock's included, runs on manual time) and steps `clock`.
/// Create it before anything asks the clock for a frame; one per thread at a time. It first
/// lets a clock still ticking for what an earlier test left (at most a tick or two) go quiet.
class FrameStepper {
public:
    explicit FrameStepper(FrameClock *clock = FrameClock::instance())
        : m_clock(clock)
        , m_quiet(QTest::qWaitFor([clock] { return !clock->isTicking(); }))
    {
    }
    /// Whether the clock was quiet when manual time began (else the test cannot step it).
    bool wasQuiet() const { return m_quiet; }

    /// One frame: time moves on by a tick's interval, and the tick that falls due runs (with
    /// whatever else the event loop holds: paints, posted deliveries).
    void tick()
    {
        QCoreApplication::processEvents();
        m_time.advance(FrameClock::kTickInterval);
        QCoreApplication::processEvents(); // the tick runs from the event loop
    }
    void ticks(int count)
    {
        for (int i = 0; i < count; ++i)
            tick();
    }
    /// Ticks until `done` holds, at most `limit` ticks; whether it came. It does not wait for
    /// other threads: what they post must have arrived (QTRY_* for that).
    bool until(const std::function<bool()> &done, int limit = 600)
    {
        for (int i = 0; i < limit; ++i) {
            if (done())
                return true;
            tick();
        }
        return done();
    }

    FrameClock *clock() const { return m_clock; }
    Async::ManualClock &time() { return m_time; }

private:
    FrameClock *m_clock;
    bool m_quiet;
    Async::ManualClock m_time; // last: installed once the clock is quiet
};

} // namespace Benchtop::Test
