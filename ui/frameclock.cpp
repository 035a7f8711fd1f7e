// SPDX-License-Identifier: MIT
#include "frameclock.h"

#include <QCoreApplication>
#include <QPointer>
#include <QWidget>

#include <algorithm>

namespace Benchtop::Ui {

namespace {

// Of a 16.7 ms frame, the clock's lanes together take at most 2 ms and the snapshot pacer
// (SnapshotPacer::kFrameBudget) 1 ms, leaving the rest for the paint pass that follows (which
// draws what they changed, roughly as costly again): with 1,000 devices at 100 Hz on screen the
// GUI thread stays under half a core (bench_uiload, bench/notes/ui.md). A readout update costs
// a few microseconds, a plot's redraw 0.3 to 1 ms; with few widgets every one is served each
// tick long before a budget runs out.
constexpr std::chrono::microseconds kReadoutsBudget{500};
constexpr std::chrono::microseconds kPlotsBudget{1500};

} // namespace

FrameClock::Client::~Client()
{
    cancelFrame();
}

void FrameClock::Client::requestFrame(Lane lane, std::chrono::milliseconds notBefore)
{
    if (m_pending)
        return;
    if (FrameClock *clock = FrameClock::instance()) {
        m_pending = true;
        clock->add(this, lane, Clock::now() + notBefore);
    }
}

void FrameClock::Client::cancelFrame()
{
    if (!m_pending)
        return;
    m_pending = false;
    if (FrameClock *clock = FrameClock::instance())
        clock->remove(this);
}

FrameClock *FrameClock::instance()
{
    static QPointer<FrameClock> clock;
    if (!clock && QCoreApplication::instance())
        clock = new FrameClock(QCoreApplication::instance());
    return clock;
}

FrameClock::FrameClock(QObject *parent)
    : QObject(parent)
{
    m_lanes[int(Lane::Readouts)].budget = kReadoutsBudget;
    m_lanes[int(Lane::Plots)].budget = kPlotsBudget;
    // A coarse timer may fire 5% early, or late by as much: a frame is worth the precision.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kTickInterval);
    connect(&m_timer, &QTimer::timeout, this, &FrameClock::tick);
}

FrameClock::~FrameClock()
{
    // Clients that outlive the application object are told there is no request any more.
    for (LaneState &lane : m_lanes) {
        for (auto *list : {&lane.queue, &lane.inTick, &lane.deferred}) {
            for (const Entry &entry : *list) {
                if (entry.client)
                    entry.client->m_pending = false;
            }
        }
    }
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

void FrameClock::add(Client *client, Lane lane, Clock::time_point due)
{
    m_lanes[int(lane)].queue.push_back({client, due});
    if (!m_timer.isActive())
        m_timer.start();
}

void FrameClock::remove(Client *client)
{
    // Rare (a widget destroyed or hidden while waiting): a linear search is fine. During a tick
    // the entry may be in the list being served or among those kept for the next tick.
    for (LaneState &lane : m_lanes) {
        for (auto *list : {&lane.queue, &lane.inTick, &lane.deferred}) {
            for (Entry &entry : *list) {
                if (entry.client == client)
                    entry.client = nullptr;
            }
        }
    }
}

void FrameClock::tick()
{
    ++m_ticks;
    const Clock::time_point now = Clock::now();
    m_lastTick = now;
    bool waiting = false;
    for (LaneState &lane : m_lanes) {
        serve(lane, now);
        waiting = waiting || !lane.queue.empty();
    }
    if (!waiting)
        m_timer.stop();
}

void FrameClock::serve(LaneState &lane, Clock::time_point now)
{
    // Requests made while serving (a client asking again) go to the queue, behind everything
    // that waited: that is the round-robin.
    lane.inTick.swap(lane.queue);
    const Clock::time_point start = Clock::now();
    bool servedOne = false;
    for (std::size_t i = 0; i < lane.inTick.size(); ++i) {
        Client *client = lane.inTick[i].client;
        if (!client)
            continue; // withdrawn
        const bool due = lane.inTick[i].due <= now;
        if (!due || (servedOne && Clock::now() - start >= lane.budget)) {
            lane.deferred.push_back(lane.inTick[i]);
            continue;
        }
        lane.inTick[i].client = nullptr;
        client->m_pending = false;
        servedOne = true;
        client->onFrame();
    }
    // What was not served keeps its place ahead of what was asked during this tick.
    std::erase_if(lane.deferred, [](const Entry &entry) { return !entry.client; });
    lane.deferred.insert(lane.deferred.end(), lane.queue.begin(), lane.queue.end());
    lane.queue.clear();
    lane.queue.swap(lane.deferred);
    lane.inTick.clear();
}

bool isOnScreen(const QWidget *widget)
{
    if (!widget->isVisible())
        return false;
    // The widget's rectangle in each ancestor's coordinates, cut by that ancestor's rectangle.
    QRect rect = widget->rect();
    for (const QWidget *w = widget; !w->isWindow(); w = w->parentWidget()) {
        rect = rect.translated(w->pos()) & w->parentWidget()->rect();
        if (rect.isEmpty())
            return false;
    }
    return true;
}

} // namespace Benchtop::Ui
