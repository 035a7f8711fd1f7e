// SPDX-License-Identifier: MIT
#pragma once

#include "taskframe_p.h"

#include <QtGlobal>

#include <concepts>
#include <coroutine>
#include <type_traits>
#include <utility>

namespace Benchtop::Async {

template<typename T = void>
class Task;

namespace detail {

/// The promise of an Async::Task: the task's shared state (a TaskFrame, as a spawned task's
/// root frame has) inside the coroutine's own frame, plus the coroutine that awaits it when it
/// is awaited directly rather than spawned. Lazy: the body runs when spawned or awaited.
template<typename T>
class TaskPromise final : public TaskFrame<T> {
public:
    Task<T> get_return_object() noexcept;

    struct FinalAwaiter {
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<TaskPromise> handle) noexcept
        {
            TaskPromise &promise = handle.promise();
            if (promise.m_continuation)
                return promise.m_continuation; // awaited: its awaiter reads the result
            promise.finishSpawned(); // may destroy the frame: nothing touches it after
            return std::noop_coroutine();
        }
        void await_resume() const noexcept { }
    };
    FinalAwaiter final_suspend() const noexcept { return {}; }

    std::coroutine_handle<> m_continuation;

private:
    void finishSpawned() noexcept { this->finish(); }
};

template<typename T>
class TaskAwaiter {
public:
    explicit TaskAwaiter(std::coroutine_handle<TaskPromise<T>> handle) noexcept
        : m_handle(handle)
    {
    }
    TaskAwaiter(TaskAwaiter &&other) noexcept
        : m_handle(std::exchange(other.m_handle, {}))
    {
    }
    TaskAwaiter(const TaskAwaiter &) = delete;
    TaskAwaiter &operator=(const TaskAwaiter &) = delete;
    ~TaskAwaiter()
    {
        if (m_handle)
            m_handle.destroy();
    }

    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept
    {
        // Runs in the awaiting task's cancellation context: it is part of that task.
        m_handle.promise().m_continuation = awaiting;
        return m_handle;
    }
    T await_resume() { return m_handle.promise().result(); }

private:
    std::coroutine_handle<TaskPromise<T>> m_handle;
};

} // namespace detail

/// A coroutine of the toolkit's own: `Task<T> f() { ...; co_return value; }`. Unlike
/// QCoro::Task it is lazy (nothing runs until it is spawned or awaited) and its frame is the
/// task's whole state, so `group.spawn(f())` costs one allocation where spawning a function
/// that returns a QCoro::Task costs three (a root frame, QCoro's frame and QCoro's list of
/// awaiting coroutines): the choice for many small long-lived tasks (pollers, waiters).
///
/// - `co_await f()` runs it as part of the awaiting task (same cancellation context), in any
///   coroutine, QCoro::Task included, and gives its value or rethrows its exception.
/// - `group.spawn("name", f())` runs it as a task of the group until its first suspension and
///   returns a TaskHandle, exactly as spawning a function does.
/// - A Task that is never spawned nor awaited is destroyed unstarted.
///
/// As with any coroutine, arguments are copied into the frame but references and a lambda's
/// captures are not: spawn a lambda coroutine with captures through spawn(function) instead.
/// Thread affinity: the thread that spawns or awaits it. Move-only; awaiting consumes it.
template<typename T>
class [[nodiscard]] Task {
public:
    using promise_type = detail::TaskPromise<T>;
    using value_type = T;

    Task() noexcept = default;
    Task(Task &&other) noexcept
        : m_handle(std::exchange(other.m_handle, {}))
    {
    }
    Task &operator=(Task &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_handle = std::exchange(other.m_handle, {});
        }
        return *this;
    }
    Task(const Task &) = delete;
    Task &operator=(const Task &) = delete;
    ~Task() { reset(); }

    /// False once spawned or awaited (or default-constructed).
    bool isValid() const noexcept { return bool(m_handle); }

    /// Starts the task as part of the awaiting one and waits for it. Consumes the Task.
    detail::TaskAwaiter<T> operator co_await() noexcept
    {
        Q_ASSERT(m_handle);
        return detail::TaskAwaiter<T>(std::exchange(m_handle, {}));
    }

private:
    friend class TaskGroup;
    friend class detail::TaskPromise<T>;
    explicit Task(std::coroutine_handle<promise_type> handle) noexcept
        : m_handle(handle)
    {
    }
    std::coroutine_handle<promise_type> release() noexcept { return std::exchange(m_handle, {}); }
    void reset() noexcept
    {
        if (m_handle)
            std::exchange(m_handle, {}).destroy();
    }

    std::coroutine_handle<promise_type> m_handle;
};

namespace detail {

template<typename T>
Task<T> TaskPromise<T>::get_return_object() noexcept
{
    auto handle = std::coroutine_handle<TaskPromise>::from_promise(*this);
    this->m_self = handle;
    return Task<T>(handle);
}

template<typename T>
struct IsTask : std::false_type {
};
template<typename T>
struct IsTask<Task<T>> : std::true_type {
};

/// What spawn(function) takes: anything but a Task, which is spawned as itself.
template<typename Fn>
concept NotATask = !IsTask<std::remove_cvref_t<Fn>>::value;

} // namespace detail

} // namespace Benchtop::Async
