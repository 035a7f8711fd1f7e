// SPDX-License-Identifier: MIT
#include "event.h"

namespace Benchtop::Async {

namespace detail {

bool EventAwaiter::await_ready()
{
    return takeCancellation() || m_event->m_set;
}

void EventAwaiter::await_suspend(std::coroutine_handle<> handle)
{
    suspend(handle);
    m_event->m_waiters.pushBack(this);
}

} // namespace detail

Event::~Event()
{
    while (detail::Waiter *waiter = m_waiters.popFront())
        waiter->failDestroyed();
}

void Event::set()
{
    m_set = true;
    while (detail::Waiter *waiter = m_waiters.popFront())
        waiter->wake();
}

} // namespace Benchtop::Async
