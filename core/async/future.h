// SPDX-License-Identifier: MIT
#pragma once

#include "errors.h"
#include "waiter_p.h"

#include <QException>
#include <QFuture>
#include <QFutureWatcher>

namespace Benchtop::Async {

namespace detail {

template<typename T>
class FutureAwaiter final : public Waiter {
public:
    explicit FutureAwaiter(QFuture<T> future)
        : m_future(std::move(future))
    {
    }
    FutureAwaiter(FutureAwaiter &&other) noexcept
        : Waiter(std::move(other))
        , m_future(std::move(other.m_future))
        , m_watcher(std::exchange(other.m_watcher, nullptr))
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
};

} // namespace detail

/// Waits for `future` without blocking the loop and gives its result (rethrowing its
/// exception). A cancellation point: cancelling abandons the wait, not the work, whose result
/// is then discarded. A future cancelled by its producer throws Cancelled, like asyncio.
template<typename T>
[[nodiscard]] detail::FutureAwaiter<T> wait(QFuture<T> future)
{
    return detail::FutureAwaiter<T>(std::move(future));
}

} // namespace Benchtop::Async
