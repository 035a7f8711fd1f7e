// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QTimer>

#include <array>
#include <chrono>
#include <vector>

class QWidget;

namespace Benchtop::Ui {

/// The one clock of every live widget of the GUI thread (plots, readouts): a 60 Hz timer that
/// runs only while some widget asks for a frame, and a budget of GUI-thread time per tick for
/// each lane of widgets, spent round-robin.
///
/// Why one clock rather than a timer per widget: a thousand plots that each limit themselves to
/// 60 redraws a second still add up to 60,000; nothing but a shared clock can bound what they
/// cost together. On each tick the clock calls onFrame() of the widgets that asked, oldest
/// request first, until the lane's budget is spent; the rest keep their place at the front of
/// the queue for the next tick. So every widget that asks is served, however many there are
/// (at least one per lane per tick, so a budget smaller than one widget's cost only slows the
/// rotation), and when many are on screen each is served less often: plots degrade their
/// refresh rate, never their data, and a readout always ends up showing the latest value.
///
/// Thread affinity: the GUI thread. Clients are not owned; a client's destructor withdraws its
/// request.
class FrameClock : public QObject {
    Q_OBJECT
public:
    /// The kinds of work that share a tick, each with its own budget, so that costly plots
    /// never starve cheap readouts.
    enum class Lane { Readouts, Plots };
    static constexpr int kLaneCount = 2;

    /// What a widget does on a frame; derive from it and call requestFrame().
    class Client {
    public:
        Client() = default;
        Client(const Client &) = delete;
        Client &operator=(const Client &) = delete;
        virtual ~Client();

    protected:
        /// Asks for one onFrame() on a tick of the clock no sooner than `notBefore` from now.
        /// A client already waiting keeps its place (and its earliest time): asking again is
        /// O(1) and changes nothing, so it may be called on every sample.
        void requestFrame(
            Lane lane, std::chrono::milliseconds notBefore = std::chrono::milliseconds(0));
        /// Withdraws a request (nothing if there is none).
        void cancelFrame();
        bool isFramePending() const noexcept { return m_pending; }
        /// Called on a tick, once per request; may request again.
        virtual void onFrame() = 0;

    private:
        friend class FrameClock;
        bool m_pending = false;
    };

    /// The clock of the GUI thread, created on first use and owned by the application object.
    static FrameClock *instance();

    /// Time between ticks (60 Hz: the refresh rate of nearly every screen).
    static constexpr std::chrono::milliseconds kTickInterval{16};

    /// GUI-thread time a lane may spend per tick (see the constructor for the defaults).
    std::chrono::microseconds budget(Lane lane) const;
    void setBudget(Lane lane, std::chrono::microseconds budget);
    /// Clients waiting in `lane` (for tests and diagnostics).
    int pendingCount(Lane lane) const;
    /// Ticks so far.
    qint64 tickCount() const noexcept { return m_ticks; }
    /// When the latest tick began (steady clock), for measuring how long a frame takes.
    std::chrono::steady_clock::time_point lastTickStart() const noexcept { return m_lastTick; }

private:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        Client *client;
        Clock::time_point due;
    };
    struct LaneState {
        std::vector<Entry> queue; ///< oldest request first
        std::vector<Entry> inTick; ///< the queue being served by the current tick
        std::vector<Entry> deferred; ///< not served by the current tick: first in the next
        std::chrono::microseconds budget{0};
    };

    explicit FrameClock(QObject *parent);
    ~FrameClock() override;
    void add(Client *client, Lane lane, Clock::time_point due);
    void remove(Client *client);
    void tick();
    void serve(LaneState &lane, Clock::time_point now);

    std::array<LaneState, kLaneCount> m_lanes;
    QTimer m_timer;
    qint64 m_ticks = 0;
    Clock::time_point m_lastTick;
};

/// Whether some part of `widget` can be seen: it is visible and no ancestor clips it away
/// entirely (a scroll area's viewport, for a widget scrolled out of it). Unlike
/// QWidget::visibleRegion() it ignores siblings drawn over it, and costs a walk up the parents
/// rather than a pass over every sibling (a thousand, in a grid of panels).
bool isOnScreen(const QWidget *widget);

} // namespace Benchtop::Ui
