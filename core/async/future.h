// SPDX-License-Identifier: MIT
#pragma once

#include "errors.h"
#include "tsan_p.h"
#include "waiter_p.h"

#include <QException>
#include <QFuture>
#include <QFutureWatcher>

namespace Benchtop::Async {

namespace detail {

template<typename T>
class FutureAwaiter final : public Waiter {
public:
    explicit FutureAwaiter(QFuture<T> future, const void *handOff = nullptr)
        : m_future(std::move(future))
        , m_handOff(handOff)
    {
    }
    FutureAwaiter(FutureAwaiter &&other) noexcept
        : Waiter(std::move(other))
        , m_future(std::move(other.m_future))
        , m_watcher(std::exchange(other.m_watcher, nullptr))
        , m_handOff(other.m_handOff)
    {
    }
    ~FutureAwaiter() override { delete m_watcher; }

    bool await_ready() { return takeCancellation() || m_future.isFinished(); }
    void await_suspend(std::coroutine_handle<> handle)
    {
        suspend(handle);
        m_watcher = new QFutureWatcher<T>();
        QObject::connect(m_watcher, &QFutureWatcherBase::finished, m_watcher, [this] { wake(); });
        m_watcher->setFuture(m_future);
    }
    T await_resume()
    {
        throwIfInterrupted("future");
        // The producer released on m_handOff before it finished the future; QtCore's finish
        // (under its mutex, then the watcher's posted event or isFinished) is the real edge.
        if (m_handOff)
            tsanAcquire(m_handOff);
        try {
            // Finished already: this only rethrows a stored exception. Done first, because
            // QPromise::setException also marks the future canceled.
            m_future.waitForFinished();
        } catch (const QUnhandledException &e) {
            if (e.exception())
                std::rethrow_exception(e.exception()); // the original, not Qt's wrapper
            throw;
        }
        if (m_future.isCanceled() && m_future.resultCount() == 0)
            throw Cancelled{};
        if constexpr (!std::is_void_v<T>)
            return m_future.result();
    }

private:
    // The work goes on; its result is dropped with the future when it finishes.
    void detach() override
    {
        delete m_watcher;
        m_watcher = nullptr;
    }

    QFuture<T> m_future;
    QFutureWatcher<T> *m_watcher = nullptr;
    const void *m_handOff = nullptr; // for TSan only: see wait()
};

} // namespace detail

/// Waits for `future` without blocking the loop and gives its result (rethrowing its
/// exception). A cancellation point: cancelling abandons the wait, not the work, whose result
/// is then discarded. A future cancelled by its producer throws Cancelled, like asyncio.
/// `handOff`, for ThreadSanitizer only: an address the producer passed to
/// detail::tsanRelease() after storing the result (or exception) and before finishing the
/// future; it is acquired before the result is read. TSan cannot see QtCore's own
/// synchronisation.
template<typename T>
[[nodiscard]] detail::FutureAwaiter<T> wait(QFuture<T> future, const void *handOff = nullptr)
{
    return detail::FutureAwaiter<T>(std::move(future), handOff);
}

} // namespace Benchtop::Async
