// SPDX-License-Identifier: MIT
#include "taskgroup.h"

#include "activity.h"

#include "errors.h"
#include "logging_p.h"
#include "scheduler_p.h"

namespace Benchtop::Async {

namespace detail {

void TaskFrameBase::start()
{
    ContextScope scope(&m_context);
    ActivityScope step(m_context.label());
    m_self.resume();
}

void TaskFrameBase::unhandled_exception() noexcept
{
    m_error = std::current_exception();
    try {
        throw;
    } catch (const Cancelled &) {
        m_cancelled = true;
    } catch (...) {
    }
}

void TaskFrameBase::finish() noexcept
{
    m_done = true;
    const bool observed = !m_joiners.isEmpty();
    while (Waiter *joiner = m_joiners.popFront())
        joiner->wake();
    if (m_group)
        m_group->taskFinished(*this, observed);
    else if (failed() && !observed)
        reportUnhandled(m_error, name(), QString());
    deref(); // the running task's reference: may destroy this frame
}

void reportUnhandled(const std::exception_ptr &error, const char *taskName, const QString &group)
{
    QString what;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception &e) {
        what = QString::fromLocal8Bit(e.what());
    } catch (...) {
        what = QStringLiteral("an exception that is not a std::exception");
    }
    qCWarning(lcAsync).noquote() << QStringLiteral("unhandled exception in task %1%2: %3")
                                        .arg(QLatin1String(taskName ? taskName : "(unnamed)"),
                                            group.isEmpty() ? QString()
                                                            : QStringLiteral(" of ") + group,
                                            what);
}

} // namespace detail

TaskGroup::TaskGroup(QString name)
    : m_name(std::move(name))
    , m_owner(m_name.isEmpty() ? nullptr : detail::internOwner(m_name))
{
}

TaskGroup::~TaskGroup()
{
    m_onFinished = nullptr; // observers belong to whoever is tearing us down
    while (detail::TaskFrameBase *task = m_tasks.front()) {
        task->ref(); // keeps the frame while it unwinds
        // Unwinds on the spot; a task that finishes reports to us (and its error to our handler)
        // as usual, since every member is still alive here.
        task->context().orphan(detail::Wake::Now);
        if (task->isLinked()) {
            // Stuck at an await that is not ours: it will finish on its own, without us.
            task->unlink();
            task->m_group = nullptr;
            task->deref();
        }
        task->deref();
    }
    while (detail::Waiter *joiner = m_joiners.popFront())
        joiner->wake();
}

void TaskGroup::adopt(detail::TaskFrameBase &frame)
{
    frame.m_group = this;
    // A group without a name (a combinator's) lends its tasks the owner of whoever spawns them.
    const QString *owner = m_owner;
    if (!owner) {
        if (const ActivityLabel *spawner = detail::t_loopActivity.label())
            owner = spawner->ownerKey;
    }
    frame.context().setLabel(detail::taskLabel(owner, frame.name()));
    frame.ref(); // the group's reference, dropped when the task finishes or is orphaned
    m_tasks.pushBack(&frame);
}

void TaskGroup::taskFinished(detail::TaskFrameBase &frame, bool observed)
{
    frame.unlink();
    frame.m_group = nullptr;
    if (m_onFinished)
        m_onFinished(frame);
    if (frame.failed() && !observed) {
        if (m_onError) {
            try {
                m_onError(frame.error(), frame.name());
            } catch (...) {
                qCCritical(lcAsync) << "a task group's error handler threw";
            }
        } else {
            detail::reportUnhandled(frame.error(), frame.name(), m_name);
        }
    }
    if (m_tasks.isEmpty()) {
        while (detail::Waiter *joiner = m_joiners.popFront())
            joiner->wake();
    }
    frame.deref();
}

detail::GroupJoinAwaiter TaskGroup::cancel()
{
    m_tasks.forEach(
        [](detail::TaskFrameBase *task) { task->context().cancel(detail::Wake::Later); });
    return join();
}

detail::GroupJoinAwaiter TaskGroup::join()
{
    return detail::GroupJoinAwaiter(this);
}

TaskGroup &backgroundTasks()
{
    return detail::Scheduler::current().background();
}

} // namespace Benchtop::Async
