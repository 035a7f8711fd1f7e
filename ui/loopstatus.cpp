// SPDX-License-Identifier: MIT
#include "loopstatus.h"

#include "widgets/formatheld.h"

namespace Benchtop::Ui {

namespace {

QString milliseconds(std::chrono::microseconds time)
{
    const double ms = double(time.count()) / 1000.0;
    return LoopStatus::tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : 0);
}

} // namespace

LoopStatus::LoopStatus(QWidget *parent)
    : QLabel(tr("Device loop: no lab open"), parent)
{
    setObjectName(QStringLiteral("loopStatusLabel"));
    setToolTip(tr("How late the device loop wakes up now, and the longest time one device call "
                  "held it in the last minute"));
    m_stallTicker.setInterval(100);
    connect(&m_stallTicker, &QTimer::timeout, this, &LoopStatus::showStallTime);
}

void LoopStatus::showHealth(const LoopHealth &health)
{
    m_health = health;
    m_stallTicker.stop(); // the heartbeat ran: the loop is free
    QString text = tr("Loop latency %1").arg(milliseconds(health.latency));
    if (!health.slowestCall.isEmpty()) {
        text += tr(" · slowest call %1 %2")
                    .arg(health.slowestCall, milliseconds(health.slowestCallTime));
    }
    const bool recentStall = m_lastStall
        && std::chrono::steady_clock::now() - m_lastStallEnded < std::chrono::minutes(1);
    if (recentStall) {
        text += tr(" · held by %1 for %2")
                    .arg(m_lastStall->culprit(), formatHeld(m_lastStall->held));
    }
    setText(text);
    setStyleSheet(recentStall ? QStringLiteral("color: #c87a10") : QString());
    setToolTip(
        tr("Device loop now: wakes %1 late (worst in the last minute: %2).\n"
           "Slowest device call in the last minute: %3.")
            .arg(milliseconds(health.latency), milliseconds(health.worstLatency),
                health.slowestCall.isEmpty() ? tr("none")
                                             : QStringLiteral("%1, %2").arg(health.slowestCall,
                                                 milliseconds(health.slowestCallTime))));
}

// Said while the device thread is still held: the watchdog reports from its own thread, and
// this thread is free. Health reports stop meanwhile (the heartbeat is a task of that loop).
void LoopStatus::showStall(const Async::LoopStall &stall)
{
    // Reports come at the threshold and then once a second: count up in between.
    m_stall = stall;
    m_stallReportedAt = std::chrono::steady_clock::now();
    showStallTime();
    m_stallTicker.start();
    setStyleSheet(QStringLiteral("color: #d03a3a; font-weight: bold"));
    if (const auto note = m_stallNotes.stalled(stall))
        Q_EMIT noted(note->device, note->message);
}

void LoopStatus::showStallTime()
{
    const auto held = m_stall.held
        + std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - m_stallReportedAt);
    setText(tr("Device loop held by %1 for %2").arg(m_stall.culprit(), formatHeld(held)));
}

void LoopStatus::endStall(const Async::LoopStall &stall)
{
    m_stallTicker.stop();
    m_lastStall = stall;
    m_lastStallEnded = std::chrono::steady_clock::now();
    if (const auto note = m_stallNotes.ended(stall, m_lastStallEnded))
        Q_EMIT noted(note->device, note->message);
    showHealth(m_health);
}

} // namespace Benchtop::Ui
