// SPDX-License-Identifier: MIT
#include "semaphore.h"

namespace Benchtop::Async {

void SemaphoreGuard::release() noexcept
{
    if (auto *semaphore = std::exchange(m_semaphore, nullptr))
        semaphore->release();
}

namespace detail {

bool AcquireAwaiter::await_ready()
{
    if (takeCancellation())
        return true;
    if (m_semaphore->m_permits > 0 && m_semaphore->m_waiters.isEmpty()) {
        --m_semaphore->m_permits;
        return true;
    }
    return false;
}

void AcquireAwaiter::await_suspend(std::coroutine_handle<> handle)
{
    suspend(handle);
    m_semaphore->m_waiters.pushBack(this);
}

bool AcquireAwaiter::revoke()
{
    m_semaphore->release(); // the permit handed to us goes to the next waiter
    return true;
}

} // namespace detail

Semaphore::~Semaphore()
{
    while (detail::Waiter *waiter = m_waiters.popFront())
        waiter->failDestroyed();
}

std::optional<SemaphoreGuard> Semaphore::tryAcquire()
{
    if (m_permits == 0 || !m_waiters.isEmpty())
        return std::nullopt;
    --m_permits;
    return SemaphoreGuard(this);
}

void Semaphore::release()
{
    if (detail::Waiter *waiter = m_waiters.popFront())
        waiter->wake(); // the permit passes straight to it
    else
        ++m_permits;
}

} // namespace Benchtop::Async
