// SPDX-License-Identifier: MIT
#pragma once

#include "semaphore.h"

namespace Benchtop::Async {

using LockGuard = SemaphoreGuard;

/// asyncio's Lock with an RAII guard and FIFO hand-over: `auto guard = co_await lock.lock();`.
/// Unlocking hands the lock straight to the longest waiter, so no task can barge in; a waiter
/// cancelled before it ran passes the lock on. Used for "one query at a time" per instrument.
class Lock {
public:
    /// Resumes holding the lock. A cancellation point.
    [[nodiscard]] detail::AcquireAwaiter lock() noexcept { return m_semaphore.acquire(); }
    std::optional<LockGuard> tryLock() { return m_semaphore.tryAcquire(); }
    bool isLocked() const noexcept { return m_semaphore.available() == 0; }
    std::size_t waiting() const noexcept { return m_semaphore.waiting(); }

private:
    Semaphore m_semaphore{1};
};

} // namespace Benchtop::Async
