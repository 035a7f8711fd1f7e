// SPDX-License-Identifier: MIT
#pragma once

// asyncio's gather, wait(FIRST_COMPLETED), wait_for and shield, structured: the work given to
// a combinator runs as child tasks that never outlive the call. Each child is given as a
// function that starts it (a lambda returning a QCoro::Task or any awaitable), so that it
// starts inside its own cancellation context and can be cancelled apart from its siblings.

#include "errors.h"
#include "event.h"
#include "sleep.h"
#include "taskgroup.h"

#include <QCoroTask>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace Benchtop::Async {

namespace detail {

template<typename T>
using Stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template<typename T>
Stored<T> takeResult(const TaskHandle<T> &handle)
{
    if constexpr (std::is_void_v<T>) {
        handle.result();
        return {};
    } else {
        return handle.result();
    }
}

/// The child tasks of one combinator call.
class Children {
public:
    enum class Until { AllDone, FirstDone };

    explicit Children(Until until);
    Children(const Children &) = delete;
    Children &operator=(const Children &) = delete;

    /// Waits until every child has finished (AllDone; the first error ends the wait) or the
    /// first has finished (FirstDone); then cancels the children still running and waits for
    /// them. Rethrows the first error (AllDone), or Cancelled if the caller was cancelled.
    QCoro::Task<> wait();

    /// Call once every child is started: a child that finished before its first suspension may
    /// have decided the outcome before the later ones existed, which are then cancelled too.
    void allSpawned()
    {
        if (m_cancelRequested)
            (void)group.cancel();
    }

    /// The first child to finish.
    const TaskFrameBase *first() const noexcept { return m_first; }

    /// Starts one child per function, in order.
    template<typename Fn>
    std::vector<TaskHandle<SpawnResult<Fn>>> spawnEach(const char *name, std::vector<Fn> &fns)
    {
        std::vector<TaskHandle<SpawnResult<Fn>>> handles;
        handles.reserve(fns.size());
        for (Fn &fn : fns)
            handles.push_back(group.spawn(name, std::move(fn)));
        allSpawned();
        return handles;
    }

private:
    void childFinished(TaskFrameBase &child);
    bool conditionMet() const;
    void cancelRemaining();

    Event m_wake;
    Until m_until;
    const TaskFrameBase *m_first = nullptr;
    std::exception_ptr m_firstError;
    bool m_cancelRequested = false;

public:
    TaskGroup group; // last: destroyed first, while the state above still exists
};

} // namespace detail

/// Runs every function's task concurrently and gives their results in order (void results as
/// std::monostate). The first exception cancels the others and is rethrown once they have
/// ended. Cancelling the caller cancels them all.
template<typename... Fns>
QCoro::Task<std::tuple<detail::Stored<detail::SpawnResult<Fns>>...>> whenAll(Fns... fns)
{
    detail::Children children(detail::Children::Until::AllDone);
    // Braced initialisation: the children start left to right.
    std::tuple<TaskHandle<detail::SpawnResult<Fns>>...> handles{
        children.group.spawn("whenAll child", std::move(fns))...};
    children.allSpawned();
    co_await children.wait();
    co_return std::apply(
        [](const auto &...handle) { return std::make_tuple(detail::takeResult(handle)...); },
        handles);
}

/// whenAll over a run-time number of functions of one type: results in order.
template<typename Fn>
QCoro::Task<std::vector<detail::Stored<detail::SpawnResult<Fn>>>> whenAll(std::vector<Fn> fns)
{
    detail::Children children(detail::Children::Until::AllDone);
    auto handles = children.spawnEach("whenAll child", fns);
    co_await children.wait();
    std::vector<detail::Stored<detail::SpawnResult<Fn>>> results;
    results.reserve(handles.size());
    for (const auto &handle : handles)
        results.push_back(detail::takeResult(handle));
    co_return results;
}

/// Runs every function's task concurrently until the first one finishes; the others are
/// cancelled and waited for. Gives the first one's result as the alternative of the variant
/// with its index (void as std::monostate), or rethrows its exception.
template<typename... Fns>
QCoro::Task<std::variant<detail::Stored<detail::SpawnResult<Fns>>...>> whenAny(Fns... fns)
{
    using Result = std::variant<detail::Stored<detail::SpawnResult<Fns>>...>;
    detail::Children children(detail::Children::Until::FirstDone);
    std::tuple<TaskHandle<detail::SpawnResult<Fns>>...> handles{
        children.group.spawn("whenAny child", std::move(fns))...};
    children.allSpawned();
    co_await children.wait();
    std::optional<Result> result;
    [&]<std::size_t... I>(std::index_sequence<I...>)
    {
        (void)((std::get<I>(handles).frame() == children.first()
                   && (result.emplace(
                           std::in_place_index<I>, detail::takeResult(std::get<I>(handles))),
                       true))
            || ...);
    }
    (std::index_sequence_for<Fns...>{});
    co_return std::move(*result);
}

/// whenAny over a run-time number of functions of one type: {index, result} of the first.
template<typename Fn>
QCoro::Task<std::pair<std::size_t, detail::Stored<detail::SpawnResult<Fn>>>> whenAny(
    std::vector<Fn> fns)
{
    detail::Children children(detail::Children::Until::FirstDone);
    auto handles = children.spawnEach("whenAny child", fns);
    co_await children.wait();
    for (std::size_t i = 0; i < handles.size(); ++i) {
        if (handles[i].frame() == children.first())
            co_return std::make_pair(i, detail::takeResult(handles[i]));
    }
    throw std::logic_error("whenAny: no child finished"); // only for an empty vector
}

/// asyncio's wait_for: runs the function's task for at most `limit`, then cancels it and
/// throws Timeout. If the work finishes first, its result (or exception) is given instead;
/// when both fall due in the same instant, the timer set first decides.
template<typename Fn>
QCoro::Task<detail::SpawnResult<Fn>> timeout(Fn fn, Clock::duration limit)
{
    auto first = co_await whenAny(std::move(fn), [limit] { return sleep(limit); });
    if (first.index() == 1) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(limit).count();
        throw Timeout("timed out after " + std::to_string(ms) + " ms");
    }
    if constexpr (!std::is_void_v<detail::SpawnResult<Fn>>)
        co_return std::get<0>(std::move(first));
}

/// Waits for `task` like `co_await task`, except that cancelling the waiting task leaves
/// `task` running (asyncio's shield): the waiter gets Cancelled, the task goes on.
template<typename T>
[[nodiscard]] detail::JoinAwaiter<T> shield(const TaskHandle<T> &task)
{
    return detail::JoinAwaiter<T>(task.frame(), detail::JoinMode::Shield);
}

/// Starts the function's task in backgroundTasks() and waits for it, shielded: cleanup that
/// must complete even if its caller is cancelled (stopping a motor).
template<typename Fn>
[[nodiscard]] auto shield(Fn &&fn) -> detail::JoinAwaiter<detail::SpawnResult<Fn>>
{
    auto task = backgroundTasks().spawn("shielded", std::forward<Fn>(fn));
    return detail::JoinAwaiter<detail::SpawnResult<Fn>>(task.frame(), detail::JoinMode::Shield);
}

/// Makes any other awaitable (a QCoro wait on a socket, a process, a QCoro signal...) a
/// cancellation point. A helper task awaits it, and the caller waits for the helper through
/// the toolkit, so the caller can be cancelled meanwhile (the helper goes on until the wait
/// ends, and its result is dropped) and resumes with its cancellation context intact.
/// Awaiting such an awaitable directly would leave the rest of the task uncancellable.
template<typename Awaitable>
[[nodiscard]] auto cancellable(Awaitable awaitable)
{
    using Result = std::remove_cvref_t<detail::AwaitResult<Awaitable>>;
    return shield([awaitable = std::move(awaitable)]() mutable -> QCoro::Task<Result> {
        co_return co_await std::move(awaitable);
    });
}

} // namespace Benchtop::Async
