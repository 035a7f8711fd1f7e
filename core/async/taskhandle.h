// SPDX-License-Identifier: MIT
#pragma once

#include "taskframe_p.h"

#include <QtGlobal>

#include <utility>

namespace Benchtop::Async {

/// A shared reference to a task started with TaskGroup::spawn(). Copyable; the task runs
/// whether or not any handle is kept. Thread affinity: the thread that spawned the task.
template<typename T>
class TaskHandle {
public:
    using value_type = T;

    TaskHandle() noexcept = default;
    explicit TaskHandle(detail::TaskFrame<T> *frame) noexcept
        : m_frame(frame)
    {
        if (m_frame)
            m_frame->ref();
    }
    TaskHandle(const TaskHandle &other) noexcept
        : TaskHandle(other.m_frame)
    {
    }
    TaskHandle(TaskHandle &&other) noexcept
        : m_frame(std::exchange(other.m_frame, nullptr))
    {
    }
    TaskHandle &operator=(TaskHandle other) noexcept
    {
        std::swap(m_frame, other.m_frame);
        return *this;
    }
    ~TaskHandle()
    {
        if (m_frame)
            m_frame->deref();
    }

    bool isValid() const noexcept { return m_frame != nullptr; }
    bool isDone() const noexcept { return m_frame && m_frame->isDone(); }
    /// Finished because it was cancelled.
    bool isCancelled() const noexcept { return m_frame && m_frame->wasCancelled(); }
    /// Finished with an exception other than Cancelled.
    bool hasFailed() const noexcept { return m_frame && m_frame->failed(); }
    const char *name() const noexcept { return m_frame ? m_frame->name() : nullptr; }

    /// Requests cancellation: the task gets Cancelled at its current or next await point, on
    /// the scheduler's next pass. Does nothing once it has finished.
    void cancel()
    {
        if (m_frame && !m_frame->isDone())
            m_frame->context().cancel(detail::Wake::Later);
    }

    /// The finished task's value, or its exception rethrown. Only once it isDone().
    T result() const
    {
        Q_ASSERT(isDone());
        return m_frame->result();
    }

    /// Waits for the task and gives its value or rethrows its exception. If the waiting task
    /// is cancelled meanwhile, this task is cancelled too (asyncio's `await task`); await
    /// shield(handle) to leave it running.
    detail::JoinAwaiter<T> operator co_await() const noexcept
    {
        Q_ASSERT(m_frame);
        return {m_frame, detail::JoinMode::Propagate};
    }

    detail::TaskFrame<T> *frame() const noexcept { return m_frame; }

private:
    detail::TaskFrame<T> *m_frame = nullptr;
};

} // namespace Benchtop::Async
