// SPDX-License-Identifier: MIT
#pragma once

#include "waiter_p.h"

#include <cstddef>
#include <optional>
#include <utility>

namespace Benchtop::Async {

class Semaphore;

/// Holds one permit of a Semaphore (or a Lock) and gives it back when destroyed.
class [[nodiscard]] SemaphoreGuard {
public:
    SemaphoreGuard() noexcept = default;
    explicit SemaphoreGuard(Semaphore *semaphore) noexcept
        : m_semaphore(semaphore)
    {
    }
    SemaphoreGuard(SemaphoreGuard &&other) noexcept
        : m_semaphore(std::exchange(other.m_semaphore, nullptr))
    {
    }
    SemaphoreGuard &operator=(SemaphoreGuard &&other) noexcept
    {
        if (this != &other) {
            release();
            m_semaphore = std::exchange(other.m_semaphore, nullptr);
        }
        return *this;
    }
    ~SemaphoreGuard() { release(); }

    bool ownsPermit() const noexcept { return m_semaphore != nullptr; }
    /// Gives the permit back now rather than at destruction.
    void release() noexcept;

private:
    Semaphore *m_semaphore = nullptr;
};

namespace detail {
class AcquireAwaiter final : public Waiter {
public:
    explicit AcquireAwaiter(Semaphore *semaphore) noexcept
        : m_semaphore(semaphore)
    {
    }
    bool await_ready();
    void await_suspend(std::coroutine_handle<> handle);
    SemaphoreGuard await_resume() const
    {
        throwIfInterrupted("Semaphore");
        return SemaphoreGuard(m_semaphore);
    }

private:
    bool revoke() override;
    Semaphore *m_semaphore;
};
} // namespace detail

/// A counting semaphore with FIFO fairness: permits are handed over to waiters in the order
/// they began to wait, and a newcomer never overtakes a waiter. A waiter cancelled after a
/// permit was handed to it gives the permit on to the next. Destroying the semaphore wakes
/// its waiters with ObjectDestroyed; it must outlive every guard.
class Semaphore {
public:
    explicit Semaphore(std::size_t permits) noexcept
        : m_permits(permits)
    {
    }
    ~Semaphore();
    Semaphore(const Semaphore &) = delete;
    Semaphore &operator=(const Semaphore &) = delete;

    /// Resumes holding a permit. A cancellation point.
    [[nodiscard]] detail::AcquireAwaiter acquire() noexcept { return detail::AcquireAwaiter(this); }
    /// A permit if one is free and nobody is waiting for one.
    std::optional<SemaphoreGuard> tryAcquire();
    /// Gives a permit back (to the first waiter, if any). Guards call it for you.
    void release();

    std::size_t available() const noexcept { return m_permits; }
    std::size_t waiting() const noexcept { return m_waiters.size(); }

private:
    friend class detail::AcquireAwaiter;
    detail::IntrusiveList<detail::Waiter> m_waiters;
    std::size_t m_permits;
};

} // namespace Benchtop::Async
