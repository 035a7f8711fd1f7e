// SPDX-License-Identifier: MIT
#pragma once

#include "future.h"
#include "tsan_p.h"

#include <QCoroTask>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <variant>

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace Benchtop::Async {

/// Runs blocking calls one at a time, in the order submitted, on a thread of its own (created
/// when first needed, ended when idle), so a driver's non-thread-safe vendor handle is never
/// entered twice. One per device. Destroying it never blocks: calls not yet started are
/// skipped (their awaiters get Cancelled), and a call still running finishes on its own
/// thread and its result is discarded.
class SerialExecutor {
public:
    explicit SerialExecutor(QString name = {});
    ~SerialExecutor();
    SerialExecutor(const SerialExecutor &) = delete;
    SerialExecutor &operator=(const SerialExecutor &) = delete;

    QThreadPool *pool() const noexcept { return m_pool; }
    const QString &name() const noexcept { return m_name; }
    /// False once the executor is destroyed; read by calls about to start.
    std::shared_ptr<const std::atomic<bool>> openFlag() const noexcept { return m_open; }

private:
    QThreadPool *m_pool;
    QString m_name;
    std::shared_ptr<std::atomic<bool>> m_open = std::make_shared<std::atomic<bool>>(true);
};

/// The shared pool for blocking calls that need no ordering: min(32, cores + 4) threads, as
/// Python's default executor, independent of Qt's global pool (meant for computation).
QThreadPool *blockingPool();

namespace detail {

/// A blocking call's value or exception, carried through QFuture so that the original
/// exception type survives (QtConcurrent would wrap it in QUnhandledException).
template<typename R>
using Outcome
    = std::variant<std::conditional_t<std::is_void_v<R>, std::monostate, R>, std::exception_ptr>;

template<typename R, typename Fn>
QCoro::Task<R> runOn(QThreadPool *pool, Fn fn)
{
    // The outcome comes back in a slot of ours rather than as the QFuture's result, so that
    // the pool thread can mark (for TSan) the end of its writes after storing it: QtConcurrent
    // stores a returned result inside QtCore, after the call, where nothing of ours runs.
    auto slot = std::make_shared<std::optional<Outcome<R>>>();
    QFuture<void> future = QtConcurrent::run(pool, handOff([slot, fn = std::move(fn)]() mutable {
        try {
            if constexpr (std::is_void_v<R>) {
                fn();
                slot->emplace(std::in_place_index<0>);
            } else {
                slot->emplace(std::in_place_index<0>, fn());
            }
        } catch (...) {
            slot->emplace(std::in_place_index<1>, std::current_exception());
        }
        tsanRelease(slot.get()); // then QtConcurrent finishes the future
    }));
    co_await wait(std::move(future), slot.get());
    if (!slot->has_value())
        throw Cancelled{}; // not reached: a finished, not cancelled call always stored one
    Outcome<R> &outcome = **slot;
    if (outcome.index() == 1)
        std::rethrow_exception(std::get<1>(outcome));
    if constexpr (!std::is_void_v<R>)
        co_return std::get<0>(std::move(outcome));
}

} // namespace detail

/// Runs `fn()` (a blocking call) on the shared blocking pool and resumes with its value or
/// exception, without blocking the loop. A cancellation point: if the awaiting task is
/// cancelled, the call still runs to its end and its result is discarded.
template<typename Fn>
QCoro::Task<std::invoke_result_t<std::decay_t<Fn> &>> runBlocking(Fn &&fn)
{
    using R = std::invoke_result_t<std::decay_t<Fn> &>;
    return detail::runOn<R>(blockingPool(), std::decay_t<Fn>(std::forward<Fn>(fn)));
}

/// As above, on `executor`: calls run one at a time in the order they were made.
template<typename Fn>
QCoro::Task<std::invoke_result_t<std::decay_t<Fn> &>> runBlocking(SerialExecutor &executor, Fn &&fn)
{
    using R = std::invoke_result_t<std::decay_t<Fn> &>;
    // A call queued behind a stuck one must not run once its executor (its device) is gone.
    auto guarded
        = [open = executor.openFlag(), fn = std::decay_t<Fn>(std::forward<Fn>(fn))]() mutable -> R {
        if (!open->load())
            throw Cancelled{};
        return fn();
    };
    return detail::runOn<R>(executor.pool(), std::move(guarded));
}

} // namespace Benchtop::Async
