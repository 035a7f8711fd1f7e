// SPDX-License-Identifier: MIT
#pragma once

#include "waiter_p.h"

namespace Benchtop::Async {

class Event;

namespace detail {
class EventAwaiter final : public Waiter {
public:
    explicit EventAwaiter(Event *event) noexcept
        : m_event(event)
    {
    }
    bool await_ready();
    void await_suspend(std::coroutine_handle<> handle);
    void await_resume() const { throwIfInterrupted("Event"); }

private:
    Event *m_event;
};
} // namespace detail

/// asyncio's Event: a flag that tasks wait for. set() wakes every waiting task; the flag stays
/// set (and wait() returns at once) until clear(). Destroying an Event wakes its waiters with
/// ObjectDestroyed. Thread affinity: the thread whose tasks use it.
class Event {
public:
    Event() = default;
    ~Event();
    Event(const Event &) = delete;
    Event &operator=(const Event &) = delete;

    void set();
    void clear() noexcept { m_set = false; }
    bool isSet() const noexcept { return m_set; }

    /// Resumes once the event is set (at once if it is). A cancellation point.
    [[nodiscard]] detail::EventAwaiter wait() noexcept { return detail::EventAwaiter(this); }

private:
    friend class detail::EventAwaiter;
    detail::IntrusiveList<detail::Waiter> m_waiters;
    bool m_set = false;
};

} // namespace Benchtop::Async
