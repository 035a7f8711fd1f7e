// SPDX-License-Identifier: MIT
#pragma once

#include "clock.h"

#include <QString>
#include <QtGlobal>

#include <algorithm>
#include <chrono>

namespace Benchtop::Async::detail {

/// How much earlier than a timer's deadline the scheduler arms its timerfd when the thread is
/// about to sleep, learned from how late the kernel has been waking it.
///
/// Why: a thread that goes idle for milliseconds is woken tens of microseconds after its timer
/// fires, more in a virtual machine (measured here: 36 us after a 0.1 ms sleep, 86 us after a
/// 10 ms one, p50, with a p99 up to 350 us). Every sleeper woken in that batch inherits the delay,
/// and sleepers that re-arm from their wake time (the yaq polling pattern) then drift together
/// into one cluster that is late every period. The scheduler therefore arms the timerfd early by
/// about this wake-up latency and waits the remainder on the CPU, as KVM's
/// lapic_timer_advance_ns and the guest's halt polling do. Only waits of at least
/// kIdleThreshold are advanced: a busy loop with dense deadlines is woken promptly anyway.
///
/// The estimate follows a high quantile of the observed latencies with fixed steps (a frugal
/// streaming quantile): up by kStep when a wake is later than the estimate, down by a ninth of
/// kStep otherwise, so it settles where about one wake in ten is later, and one outlier (the
/// loop busy elsewhere when the timer fired) moves it by kStep only. Clamped to kMaxAdvance,
/// which also bounds what one wake can spend waiting on the CPU.
///
/// BENCHTOP_WAKE_ADVANCE=0 in the environment turns it off (the timerfd is then armed for the
/// deadline itself), to compare the two side by side or to save the CPU it spends.
class WakeAdvance {
public:
    WakeAdvance()
        : m_enabled(qEnvironmentVariable("BENCHTOP_WAKE_ADVANCE") != QLatin1String("0"))
    {
    }

    static constexpr Clock::duration kIdleThreshold = std::chrono::microseconds(500);
    static constexpr Clock::duration kMaxAdvance = std::chrono::microseconds(200);
    static constexpr Clock::duration kStep = std::chrono::microseconds(4);

    /// How early to arm for a deadline `untilDeadline` from now.
    Clock::duration advanceFor(Clock::duration untilDeadline) const noexcept
    {
        return m_enabled && untilDeadline >= kIdleThreshold ? m_estimate : Clock::duration::zero();
    }

    /// Whether a wait this long counts as idle (its wake-up latency is learned).
    static bool isIdleWait(Clock::duration untilDeadline) noexcept
    {
        return untilDeadline >= kIdleThreshold;
    }

    /// A wake from an idle wait came `latency` after the time the timerfd was armed for.
    void learn(Clock::duration latency) noexcept
    {
        if (latency > m_estimate)
            m_estimate = std::min(m_estimate + kStep, kMaxAdvance);
        else
            m_estimate = std::max(m_estimate - kStep / 9, Clock::duration::zero());
    }

    Clock::duration estimate() const noexcept { return m_estimate; }

private:
    Clock::duration m_estimate = Clock::duration::zero();
    bool m_enabled = true;
};

} // namespace Benchtop::Async::detail
