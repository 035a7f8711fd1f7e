// SPDX-License-Identifier: MIT
#pragma once

#include "clock.h"
#include "event.h"
#include "waiter_p.h"

#include <chrono>
#include <functional>

namespace Benchtop::Async {

/// The seed's `Delay_ms`: a software monostable. trigger() starts it, or restarts it if it is
/// running; when it runs out, the callback is called and every task in wait() resumes.
/// stop() ends it without expiring. Runs on the scheduler's timers (so a ManualClock drives it
/// in tests). Thread affinity: the thread that uses it.
class RetriggerableDelay final : private detail::TimerNode {
public:
    using Callback = std::function<void()>;

    explicit RetriggerableDelay(
        Clock::duration duration = std::chrono::seconds(1), Callback onExpiry = {});
    ~RetriggerableDelay() override;

    /// (Re)starts with the default duration.
    void trigger() { trigger(m_duration); }
    /// (Re)starts with `duration`, which does not change the default.
    void trigger(Clock::duration duration);
    /// Ends the delay without expiring: no callback, waiters keep waiting.
    void stop() noexcept { unschedule(); }
    bool isRunning() const noexcept { return isScheduled(); }

    Clock::duration duration() const noexcept { return m_duration; }
    void setDuration(Clock::duration duration) noexcept { m_duration = duration; }
    void setCallback(Callback onExpiry) { m_onExpiry = std::move(onExpiry); }

    /// Resumes at the next expiry. A cancellation point.
    [[nodiscard]] detail::EventAwaiter wait() noexcept { return m_expired.wait(); }

private:
    void expire() override;

    Clock::duration m_duration;
    Callback m_onExpiry;
    Event m_expired;
};

} // namespace Benchtop::Async
