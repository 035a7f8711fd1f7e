// SPDX-License-Identifier: MIT
#pragma once

#include "log/stallnotes.h"

#include <async/loopwatchdog.h>
#include <host/loophealth.h>

#include <QLabel>
#include <QTimer>

#include <chrono>
#include <optional>

namespace Benchtop::Ui {

/// The device loop's health in the status bar: how late the loop wakes and the slowest device
/// call of the last minute; while a step holds the loop, who holds it and for how long, counting
/// up (in red); for a minute after a hold, who held it and how long (in amber). What the log
/// should say of each hold is decided by StallNotes and handed out with noted(). Fed by the
/// lab's loop reports (LabSession's healthChanged, loopStalled, loopStallEnded). Named
/// "loopStatusLabel". GUI thread only.
class LoopStatus : public QLabel {
    Q_OBJECT
public:
    explicit LoopStatus(QWidget *parent = nullptr);

    void showHealth(const LoopHealth &health);
    /// A step holds the loop now: said at once, and then counted up every 100 ms until the next
    /// report (the watchdog reports at its threshold and then once a second).
    void showStall(const Async::LoopStall &stall);
    void endStall(const Async::LoopStall &stall);

Q_SIGNALS:
    /// A line for the log about a hold (`device` may be empty).
    void noted(const QString &device, const QString &message);

private:
    void showStallTime();

    LoopHealth m_health;
    StallNotes m_stallNotes;
    Async::LoopStall m_stall; ///< the one going on, while m_stallTicker runs
    std::chrono::steady_clock::time_point m_stallReportedAt;
    QTimer m_stallTicker;
    std::optional<Async::LoopStall> m_lastStall; ///< shown beside the health for a minute
    std::chrono::steady_clock::time_point m_lastStallEnded;
};

} // namespace Benchtop::Ui
