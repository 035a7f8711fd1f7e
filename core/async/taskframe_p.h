// SPDX-License-Identifier: MIT
#pragma once

// The root coroutine of a spawned task. TaskGroup::spawn() wraps the user's coroutine (a
// QCoro::Task or any awaitable) in one of these: its promise is the task's shared state
// (cancellation context, result, the tasks awaiting it) and it reports the task's end to its
// group. One allocation per task; the frame lives until the task has finished and the last
// TaskHandle is gone. An Async::Task's promise is one too (task.h): its frame is the task.

#include "waiter_p.h"

#include <concepts>
#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace Benchtop::Async {
class TaskGroup;
}

namespace Benchtop::Async::detail {

// ---- what a spawned function's awaitable yields --------------------------------------------

template<typename A>
struct AwaiterOf {
    using type = A;
};
template<typename A>
requires requires(A a)
{
    std::move(a).operator co_await();
}
struct AwaiterOf<A> {
    using type = decltype(std::declval<A>().operator co_await());
};

template<typename A>
using AwaitResult = decltype(std::declval<typename AwaiterOf<A>::type &>().await_resume());

/// The result type of a task started from `Fn`: what co_await fn() gives.
template<typename Fn>
using SpawnResult = std::remove_cvref_t<AwaitResult<std::invoke_result_t<std::decay_t<Fn> &>>>;

// ---- the frame -----------------------------------------------------------------------------

class TaskFrameBase : public ListNode {
public:
    TaskFrameBase(const TaskFrameBase &) = delete;
    TaskFrameBase &operator=(const TaskFrameBase &) = delete;

    TaskContext &context() noexcept { return m_context; }
    const char *name() const noexcept { return m_context.name(); }

    bool isDone() const noexcept { return m_done; }
    /// Finished with Cancelled.
    bool wasCancelled() const noexcept { return m_done && m_cancelled; }
    /// Finished with an exception other than Cancelled.
    bool failed() const noexcept { return m_done && m_error && !m_cancelled; }
    const std::exception_ptr &error() const noexcept { return m_error; }

    void ref() noexcept { ++m_refs; }
    void deref() noexcept
    {
        if (--m_refs == 0)
            m_self.destroy();
    }

    void addJoiner(Waiter *waiter) noexcept { m_joiners.pushBack(waiter); }

    /// Runs the task in its own context until its first suspension.
    void start();

    // promise interface
    std::suspend_always initial_suspend() const noexcept { return {}; }
    struct FinalAwaiter {
        bool await_ready() const noexcept { return false; }
        template<typename Promise>
        void await_suspend(std::coroutine_handle<Promise> handle) const noexcept
        {
            handle.promise().finish(); // may destroy the frame: nothing touches it after
        }
        void await_resume() const noexcept { }
    };
    FinalAwaiter final_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept;

protected:
    TaskFrameBase() = default;
    ~TaskFrameBase() = default;

    void rethrowIfFailed() const
    {
        if (m_error)
            std::rethrow_exception(m_error);
    }

    /// Reports the end to joiners and group and drops the running reference (may destroy).
    void finish() noexcept;

    std::coroutine_handle<> m_self;

private:
    friend class Benchtop::Async::TaskGroup;

    TaskContext m_context;
    IntrusiveList<Waiter> m_joiners;
    TaskGroup *m_group = nullptr;
    std::exception_ptr m_error;
    unsigned m_refs = 1; // the running task's own reference, dropped when it finishes
    bool m_done = false;
    bool m_cancelled = false;
};

template<typename T>
class TaskFrame;

template<typename T>
struct RootTask {
    using promise_type = TaskFrame<T>;
    std::coroutine_handle<TaskFrame<T>> handle;
};

template<typename T>
class TaskFrame : public TaskFrameBase {
public:
    RootTask<T> get_return_object() noexcept
    {
        auto handle = std::coroutine_handle<TaskFrame>::from_promise(*this);
        m_self = handle;
        return {handle};
    }

    template<typename U>
    void return_value(U &&value)
    {
        m_value.emplace(std::forward<U>(value));
    }

    /// The task's value (a copy, or moved out once for move-only types), or its exception.
    T result()
    {
        rethrowIfFailed();
        if constexpr (std::is_copy_constructible_v<T>)
            return *m_value;
        else
            return std::move(*m_value);
    }

private:
    std::optional<T> m_value;
};

template<>
class TaskFrame<void> : public TaskFrameBase {
public:
    RootTask<void> get_return_object() noexcept
    {
        auto handle = std::coroutine_handle<TaskFrame>::from_promise(*this);
        m_self = handle;
        return {handle};
    }
    void return_void() noexcept { }
    void result() const { rethrowIfFailed(); }
};

template<typename T, typename Fn>
RootTask<T> runTask(Fn fn)
{
    // `fn` lives in this frame, so a lambda coroutine's captures outlive the task.
    if constexpr (std::is_void_v<T>)
        co_await std::invoke(fn);
    else
        co_return co_await std::invoke(fn);
}

// ---- awaiting a task -----------------------------------------------------------------------

enum class JoinMode : unsigned char {
    Propagate, ///< cancelling the waiting task cancels the awaited one (asyncio's `await task`)
    Shield, ///< the awaited task keeps running (asyncio's `await shield(task)`)
};

template<typename T>
class JoinAwaiter final : public Waiter {
public:
    JoinAwaiter(TaskFrame<T> *frame, JoinMode mode) noexcept
        : m_frame(frame)
        , m_mode(mode)
    {
        m_frame->ref();
    }
    JoinAwaiter(JoinAwaiter &&other) noexcept
        : Waiter(std::move(other))
        , m_frame(std::exchange(other.m_frame, nullptr))
        , m_mode(other.m_mode)
    {
    }
    ~JoinAwaiter() override
    {
        if (m_frame)
            m_frame->deref();
    }

    bool await_ready() { return takeCancellation() || m_frame->isDone(); }
    void await_suspend(std::coroutine_handle<> handle)
    {
        suspend(handle);
        m_frame->addJoiner(this);
    }
    T await_resume()
    {
        throwIfInterrupted("task");
        return m_frame->result();
    }

private:
    void detach() override
    {
        unlink();
        if (m_mode == JoinMode::Propagate && !m_frame->isDone())
            m_frame->context().cancel(Wake::Later);
    }

    TaskFrame<T> *m_frame;
    JoinMode m_mode;
};

} // namespace Benchtop::Async::detail
