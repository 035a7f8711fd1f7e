// SPDX-License-Identifier: MIT
#include "frameclock.h"

#include <QCoreApplication>
#include <QThread>

#include <algorithm>

namespace Benchtop {

namespace {

// Of a 16.7 ms frame, the deliveries take at most 1 ms and the widgets' lanes 2 ms, leaving the
// rest for the paint pass that follows (which draws what they changed, roughly as costly again):
// with 1,000 devices at 100 Hz on screen the GUI thread stays under half a core (bench_uiload,
// bench/notes/ui.md). A delivery or a readout update costs a few microseconds, a plot's redraw
// 0.3 to 1 ms; with few clients every one is served each tick long before a budget runs out.
constexpr std::chrono::microseconds kDeliveriesBudget{1000};
constexpr std::chrono::microseconds kReadoutsBudget{500};
constexpr std::chrono::microseconds kPlotsBudget{1500};

} // namespace

FrameClock::Client::Client(FrameClock *clock)
    : m_clock(clock)
{
}

FrameClock::Client::~Client()
{
    cancelFrame();
}

void FrameClock::Client::requestFrame(Lane lane, Async::Clock::duration notBefore)
{
    const Async::TimePoint due = Async::now() + notBefore;
    if (m_pending) {
        if (m_due <= due)
            return;
        cancelFrame(); // asked sooner than it waits: asked again
    }
    if (m_clock)
        m_clock->add(this, lane, due);
}

void FrameClock::Client::requestFrameAfterLast(Lane lane, Async::Clock::duration interval)
{
    requestFrame(
        lane, std::max(Async::Clock::duration::zero(), m_lastDone + interval - Async::now()));
}

void FrameClock::Client::cancelFrame()
{
    if (!m_pending)
        return;
    m_pending = false;
    if (m_clock)
        m_clock->remove(this);
}

FrameClock::FrameClock(QObject *parent)
    : QObject(parent)
    , m_timer(kTickInterval, [this] { onTimer(); })
{
    m_lanes[int(Lane::Deliveries)].budget = kDeliveriesBudget;
    m_lanes[int(Lane::Deliveries)].servesAtOnceWhenQuiet = true;
    m_lanes[int(Lane::Readouts)].budget = kReadoutsBudget;
    m_lanes[int(Lane::Plots)].budget = kPlotsBudget;
}

FrameClock::~FrameClock()
{
    // Clients that outlive the clock are told there is no request any more.
    for (LaneState &lane : m_lanes) {
        for (auto *list : {&lane.queue, &lane.inTick, &lane.deferred}) {
            for (const Entry &entry : *list) {
                if (entry.client)
                    entry.client->m_pending = false;
            }
        }
    }
}

FrameClock *FrameClock::instance()
{
    static QPointer<FrameClock> clock;
    auto *app = QCoreApplication::instance();
    if (!clock && app) {
        Q_ASSERT_X(QThread::currentThread() == app->thread(), "FrameClock::instance",
            "the shared clock is the application thread's");
        clock = new FrameClock(app);
    }
    return clock;
}

std::chrono::microseconds FrameClock::budget(Lane lane) const
{
    return m_lanes[int(lane)].budget;
}

void FrameClock::setBudget(Lane lane, std::chrono::microseconds budget)
{
    m_lanes[int(lane)].budget = budget;
}

int FrameClock::pendingCount(Lane lane) const
{
    const LaneState &state = m_lanes[int(lane)];
    int count = 0;
    for (const auto *list : {&state.queue, &state.inTick, &state.deferred})
        count += int(std::count_if(
            list->begin(), list->end(), [](const Entry &entry) { return entry.client; }));
    return count;
}

quint64 FrameClock::overruns(Lane lane) const
{
    return m_lanes[int(lane)].overruns;
}

void FrameClock::add(Client *client, Lane lane, Async::TimePoint due)
{
    LaneState &state = m_lanes[int(lane)];
    if (state.servesAtOnceWhenQuiet && !state.busy && due <= Async::now()) {
        // Quiet until now: served at once, and the lane is busy until a tick finds it idle, so
        // that what follows within the interval waits for a tick.
        state.busy = true;
        startTicking();
        client->onFrame();
        return;
    }
    client->m_pending = true;
    client->m_due = due;
    state.queue.push_back({client, due});
    startTicking();
}

void FrameClock::remove(Client *client)
{
    // Rare (a widget destroyed or hidden while waiting, a request moved sooner): a linear search
    // is fine. During a tick the entry may be in the list being served or among those kept for
    // the next tick.
    for (LaneState &lane : m_lanes) {
        for (auto *list : {&lane.queue, &lane.inTick, &lane.deferred}) {
            for (Entry &entry : *list) {
                if (entry.client == client)
                    entry.client = nullptr;
            }
        }
    }
}

void FrameClock::startTicking()
{
    if (m_ticking)
        return;
    m_ticking = true;
    m_nextTick = Async::now() + kTickInterval;
    m_timer.trigger(kTickInterval);
}

void FrameClock::onTimer()
{
    // Run from the event loop, not from the scheduler's timer dispatch: clients' onFrame() run
    // arbitrary slots of the thread (a delivery's), which may do anything a slot may.
    if (m_tickPosted)
        return;
    m_tickPosted = true;
    QMetaObject::invokeMethod(this, &FrameClock::tick, Qt::QueuedConnection);
}

void FrameClock::tick()
{
    m_tickPosted = false;
    ++m_ticks;
    m_lastTick = std::chrono::steady_clock::now();
    bool again = false;
    for (LaneState &lane : m_lanes) {
        serve(lane);
        again = again || !lane.queue.empty() || lane.busy;
    }
    if (!again) {
        m_ticking = false; // quiet: the next request starts the clock again
        return;
    }
    // One phase: the next tick an interval after this one was due, not after it ran.
    const Async::TimePoint now = Async::now();
    m_nextTick += kTickInterval;
    if (m_nextTick <= now)
        m_nextTick = now + kTickInterval; // late by a frame or more: no burst to catch up
    m_timer.trigger(m_nextTick - now);
}

void FrameClock::serve(LaneState &lane)
{
    const auto live = [](const Entry &entry) { return entry.client != nullptr; };
    if (lane.servesAtOnceWhenQuiet)
        lane.busy = std::any_of(lane.queue.begin(), lane.queue.end(), live);
    // Requests made while serving (a client asking again) go to the queue, behind everything
    // that waited: that is the round-robin. Requests made in an earlier lane of this tick are
    // in the queue already, and are served now if due.
    lane.inTick.swap(lane.queue);
    const Async::TimePoint now = Async::now();
    const auto start = std::chrono::steady_clock::now();
    bool servedOne = false;
    bool ranOut = false;
    for (std::size_t i = 0; i < lane.inTick.size(); ++i) {
        Client *client = lane.inTick[i].client;
        if (!client)
            continue; // withdrawn
        const bool due = lane.inTick[i].due <= now;
        const bool spent = servedOne && std::chrono::steady_clock::now() - start >= lane.budget;
        if (!due || spent) {
            ranOut = ranOut || due;
            lane.deferred.push_back(lane.inTick[i]);
            continue;
        }
        lane.inTick[i].client = nullptr;
        client->m_pending = false;
        servedOne = true;
        client->onFrame();
    }
    if (ranOut)
        ++lane.overruns;
    // What was not served keeps its place ahead of what was asked during this tick.
    std::erase_if(lane.deferred, [](const Entry &entry) { return !entry.client; });
    lane.deferred.insert(lane.deferred.end(), lane.queue.begin(), lane.queue.end());
    lane.queue.clear();
    lane.queue.swap(lane.deferred);
    lane.inTick.clear();
}

} // namespace Benchtop
