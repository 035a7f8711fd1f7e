// SPDX-License-Identifier: MIT
#pragma once

#include "task.h"
#include "taskhandle.h"

#include <QString>

#include <cstddef>
#include <exception>
#include <functional>

namespace Benchtop::Async {

namespace detail {
class GroupJoinAwaiter;
}

/// Structured concurrency: a group owns the tasks started in it. cancel() cancels all of them
/// and resumes the caller once their cleanup has run; destroying the group cancels them on the
/// spot, so every task has unwound through its RAII cleanup before the destructor returns
/// (declare the group after the members its tasks use, so it is destroyed first).
///
/// An exception that ends a task is never lost: a task being awaited rethrows it in the
/// awaiting task; otherwise the group's error handler receives it (by default it is logged).
/// Cancelled is not an error and is not reported.
///
/// Thread affinity: the thread that created the group; its tasks run on that thread's loop.
class TaskGroup {
public:
    using ErrorHandler = std::function<void(std::exception_ptr error, const char *taskName)>;

    explicit TaskGroup(QString name = {});
    ~TaskGroup();
    TaskGroup(const TaskGroup &) = delete;
    TaskGroup &operator=(const TaskGroup &) = delete;

    /// Starts `fn()` (a function returning a QCoro::Task or any awaitable) as a task of this
    /// group and runs it until its first suspension before returning. Pass a function rather
    /// than a started task: the task must start inside its own cancellation context.
    /// `taskName` must outlive the task (a string literal); it appears in error reports.
    template<detail::NotATask Fn>
    TaskHandle<detail::SpawnResult<Fn>> spawn(const char *taskName, Fn &&fn)
    {
        using Result = detail::SpawnResult<Fn>;
        auto root = detail::runTask<Result>(std::decay_t<Fn>(std::forward<Fn>(fn)));
        detail::TaskFrame<Result> &frame = root.handle.promise();
        frame.context().setName(taskName);
        adopt(frame);
        TaskHandle<Result> handle(&frame);
        frame.start();
        return handle;
    }

    template<detail::NotATask Fn>
    TaskHandle<detail::SpawnResult<Fn>> spawn(Fn &&fn)
    {
        return spawn(nullptr, std::forward<Fn>(fn));
    }

    /// Starts `task` (an Async::Task, which has not run yet) as a task of this group, exactly
    /// as spawn(function) does, with no frame of its own: the Task's frame is the task.
    template<typename T>
    TaskHandle<T> spawn(const char *taskName, Task<T> &&task)
    {
        auto coroutine = task.release();
        Q_ASSERT(coroutine);
        detail::TaskFrame<T> &frame = coroutine.promise();
        frame.context().setName(taskName);
        adopt(frame);
        TaskHandle<T> handle(&frame);
        frame.start();
        return handle;
    }

    template<typename T>
    TaskHandle<T> spawn(Task<T> &&task)
    {
        return spawn(nullptr, std::move(task));
    }

    /// Requests cancellation of every task; co_await the result to wait until they have all
    /// finished (it may be dropped: the request is made at the call).
    detail::GroupJoinAwaiter cancel();
    /// Resumes once the group has no running task (at once if it has none).
    detail::GroupJoinAwaiter join();

    std::size_t size() const noexcept { return m_tasks.size(); }
    bool isEmpty() const noexcept { return m_tasks.isEmpty(); }
    const QString &name() const noexcept { return m_name; }

    /// Receives the exceptions (other than Cancelled) of tasks that nobody awaited.
    void setErrorHandler(ErrorHandler handler) { m_onError = std::move(handler); }

    /// Called for every task of the group as it finishes (used by whenAll/whenAny).
    void setFinishedObserver(std::function<void(detail::TaskFrameBase &)> observer)
    {
        m_onFinished = std::move(observer);
    }

private:
    friend class detail::TaskFrameBase;
    friend class detail::GroupJoinAwaiter;
    void adopt(detail::TaskFrameBase &frame);
    void taskFinished(detail::TaskFrameBase &frame, bool observed);

    detail::IntrusiveList<detail::TaskFrameBase> m_tasks;
    detail::IntrusiveList<detail::Waiter> m_joiners;
    ErrorHandler m_onError;
    std::function<void(detail::TaskFrameBase &)> m_onFinished;
    QString m_name;
    const QString *m_owner; ///< m_name interned, for the tasks' activity labels (activity.h)
};

namespace detail {

class GroupJoinAwaiter final : public Waiter {
public:
    explicit GroupJoinAwaiter(TaskGroup *group) noexcept
        : m_group(group)
    {
    }
    bool await_ready() { return takeCancellation() || m_group->isEmpty(); }
    void await_suspend(std::coroutine_handle<> handle)
    {
        suspend(handle);
        m_group->m_joiners.pushBack(this);
    }
    void await_resume() const { throwIfInterrupted("task group"); }

private:
    TaskGroup *m_group;
};

/// Logs an exception that ended a task nobody awaited.
void reportUnhandled(const std::exception_ptr &error, const char *taskName, const QString &group);

} // namespace detail

/// This thread's group for tasks that belong to nobody else (shield of a bare function).
/// Its tasks are cancelled when the thread's event loop ends.
TaskGroup &backgroundTasks();

} // namespace Benchtop::Async
