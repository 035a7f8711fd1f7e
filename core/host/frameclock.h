// SPDX-License-Identifier: MIT
#pragma once

#include <async/clock.h>
#include <async/retriggerabledelay.h>

#include <QObject>
#include <QPointer>

#include <array>
#include <chrono>
#include <vector>

namespace Benchtop {

/// The one clock of everything a thread (the GUI's) does at the rate of a screen: handle
/// deliveries, widget readouts and plots are its lanes. A 60 Hz tick that runs only while some
/// client asks for a frame, and a budget of the thread's time per tick for each lane, spent
/// oldest request first.
///
/// Why one clock rather than a timer per client: a thousand plots that each limit themselves to
/// 60 redraws a second still add up to 60,000, and a thousand devices at 100 Hz to 100,000
/// deliveries; nothing but a shared clock can bound what they cost together. On each tick the
/// clock serves its lanes in order (deliveries, then readouts, then plots, so that what a
/// delivery changed is drawn in the same tick) and calls onFrame() of the clients that asked,
/// oldest request first, until the lane's budget is spent; the rest keep their place at the
/// front of the queue for the next tick. So every client that asks is served, however many
/// there are (at least one per lane per tick, so a budget smaller than one client's cost only
/// slows the rotation), and when many ask each is served less often: plots degrade their
/// refresh rate, never their data, and a readout always ends up showing the latest value.
///
/// A lane may serve at once when it is quiet (Lane::Deliveries, decisions §21): a request made
/// when no tick of the last interval found the lane busy is served on the spot, and the lane is
/// busy until a tick finds nobody waiting in it; meanwhile requests wait for the ticks. A quiet
/// lab is shown without delay, a busy one at the rate of the screen.
///
/// Time: when requests fall due and when ticks come follow the async toolkit's clock
/// (Async::now() and its timers), so a test that installs an Async::ManualClock steps the frame
/// clock with advance() (the tick itself runs from the event loop, at the next processEvents()).
/// A lane's budget is real time (steady_clock): what it bounds is the thread's work.
///
/// Thread affinity: the thread that created it; clients use it from that thread. Clients are
/// not owned; a client's destructor withdraws its request.
class FrameClock : public QObject {
    Q_OBJECT
public:
    /// The kinds of work that share a tick, each with its own budget, so that costly plots
    /// never starve cheap readouts or the deliveries they draw.
    enum class Lane { Deliveries, Readouts, Plots };
    static constexpr int kLaneCount = 3;

    /// Time between ticks: a frame of a 60 Hz screen (nearly every screen).
    static constexpr std::chrono::microseconds kTickInterval{16'667};

    /// What wants frames: derive from it and call requestFrame().
    class Client {
    public:
        /// Served by `clock` (which must outlive the client, unless it is instance()).
        explicit Client(FrameClock *clock);
        Client(const Client &) = delete;
        Client &operator=(const Client &) = delete;
        virtual ~Client();

        FrameClock *frameClock() const { return m_clock; }

    protected:
        /// Asks for one onFrame() on a tick no sooner than `notBefore` from now. A client
        /// already waiting keeps its place, and its time unless this one is sooner (it then
        /// asks again, for the sooner time): asking again is O(1) otherwise, so it may be done
        /// on every sample. In a lane that serves at once when quiet, onFrame() may run before
        /// this returns.
        void requestFrame(Lane lane, Async::Clock::duration notBefore = {});
        /// The same, no sooner than `interval` after the last frameDone().
        void requestFrameAfterLast(Lane lane, Async::Clock::duration interval);
        /// Withdraws a request (nothing if there is none).
        void cancelFrame();
        bool isFramePending() const noexcept { return m_pending; }
        /// Records that the client did its frame's work now, in onFrame() or outside it (a
        /// readout shown at once): requestFrameAfterLast() counts from here.
        void frameDone() { m_lastDone = Async::now(); }
        Async::TimePoint lastFrameDone() const noexcept { return m_lastDone; }
        /// Called on a tick, once per request; may request again.
        virtual void onFrame() = 0;

    private:
        friend class FrameClock;
        QPointer<FrameClock> m_clock;
        Async::TimePoint m_due;
        Async::TimePoint m_lastDone;
        bool m_pending = false;
    };

    explicit FrameClock(QObject *parent = nullptr);
    ~FrameClock() override;

    /// The clock of the application's thread, created on first use and owned by the application
    /// object: what the window's handles and widgets share.
    static FrameClock *instance();

    /// The thread's time a lane may spend per tick (see frameclock.cpp for the defaults).
    std::chrono::microseconds budget(Lane lane) const;
    void setBudget(Lane lane, std::chrono::microseconds budget);
    /// Clients waiting in `lane`.
    int pendingCount(Lane lane) const;
    /// Ticks so far, and those that ran out of `lane`'s budget with clients of it still due.
    qint64 tickCount() const noexcept { return m_ticks; }
    quint64 overruns(Lane lane) const;
    /// Whether ticks are coming (someone waits, or a lane is still busy).
    bool isTicking() const noexcept { return m_ticking; }
    /// When the latest tick began (steady clock), for measuring how long a frame takes.
    std::chrono::steady_clock::time_point lastTickStart() const noexcept { return m_lastTick; }

private:
    struct Entry {
        Client *client;
        Async::TimePoint due;
    };
    struct LaneState {
        std::vector<Entry> queue; ///< oldest request first
        std::vector<Entry> inTick; ///< the queue being served by the current tick
        std::vector<Entry> deferred; ///< not served by the current tick: first in the next
        std::chrono::microseconds budget{0};
        bool servesAtOnceWhenQuiet = false;
        bool busy = false; ///< served or had waiting clients in the last interval
        quint64 overruns = 0;
    };

    void add(Client *client, Lane lane, Async::TimePoint due);
    void remove(Client *client);
    void startTicking();
    void onTimer();
    void tick();
    void serve(LaneState &lane);

    std::array<LaneState, kLaneCount> m_lanes;
    Async::RetriggerableDelay m_timer;
    Async::TimePoint m_nextTick;
    qint64 m_ticks = 0;
    std::chrono::steady_clock::time_point m_lastTick;
    bool m_ticking = false;
    bool m_tickPosted = false;
};

} // namespace Benchtop
