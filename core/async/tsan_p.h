// SPDX-License-Identifier: MIT
#pragma once

// ThreadSanitizer happens-before annotations for the places where Benchtop hands data to another
// thread THROUGH Qt (a posted functor, a thread-pool task, a QFuture's completion, a blocking
// queued call). Debian's QtCore is not built with TSan, so TSan cannot see the synchronisation
// inside it (the posted-event queue's mutex, QThreadPool's queue, QSemaphore) and reports the
// hand-off as a race. Each annotation here must stand for a happens-before that Qt really
// provides; never use them to quiet a race between two pieces of our own work.
//
// Without -fsanitize=thread everything here is a no-op (handOff() returns its functor as is).

#include <type_traits>
#include <utility>

#if defined(__SANITIZE_THREAD__)
#define BENCHTOP_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BENCHTOP_TSAN 1
#endif
#endif
#ifndef BENCHTOP_TSAN
#define BENCHTOP_TSAN 0
#endif

#if BENCHTOP_TSAN
extern "C" void __tsan_acquire(void *addr); // NOLINT(bugprone-reserved-identifier)
extern "C" void __tsan_release(void *addr); // NOLINT(bugprone-reserved-identifier)
#endif

namespace Benchtop::Async::detail {

/// Everything this thread did so far happens before what a thread does after tsanAcquire(addr)
/// (once Qt has passed the hand-off on). No-op without TSan.
inline void tsanRelease([[maybe_unused]] const void *addr) noexcept
{
#if BENCHTOP_TSAN
    __tsan_release(const_cast<void *>(addr));
#endif
}

/// The receiving side of tsanRelease(addr). No-op without TSan.
inline void tsanAcquire([[maybe_unused]] const void *addr) noexcept
{
#if BENCHTOP_TSAN
    __tsan_acquire(const_cast<void *>(addr));
#endif
}

#if BENCHTOP_TSAN

/// A functor given to Qt to be called on another thread (QMetaObject::invokeMethod queued or
/// blocking-queued, QtConcurrent::run). It releases on its own address when it is constructed
/// (copied or moved into Qt's slot object or task: the last thing done before Qt queues it),
/// and acquires on it before it is called, moved or destroyed on the other side: Qt calls it
/// only after taking it off the queue it was put on, after it was built.
template<typename F>
class HandOff {
public:
    explicit HandOff(F f)
        : m_f(std::move(f))
    {
        tsanRelease(this);
    }
    HandOff(HandOff &&other)
        : m_f((tsanAcquire(&other), std::move(other.m_f)))
    {
        tsanRelease(this);
    }
    HandOff(const HandOff &other)
        : m_f((tsanAcquire(&other), other.m_f))
    {
        tsanRelease(this);
    }
    HandOff &operator=(const HandOff &) = delete;
    HandOff &operator=(HandOff &&) = delete;
    ~HandOff() { tsanAcquire(this); }

    decltype(auto) operator()()
    {
        tsanAcquire(this);
        return m_f();
    }

private:
    F m_f;
};

template<typename F>
HandOff<std::decay_t<F>> handOff(F &&f)
{
    return HandOff<std::decay_t<F>>(std::forward<F>(f));
}

#else

template<typename F>
std::decay_t<F> handOff(F &&f)
{
    return std::forward<F>(f);
}

#endif

} // namespace Benchtop::Async::detail
