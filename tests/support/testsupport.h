// SPDX-License-Identifier: MIT
#pragma once

#include <async/taskframe_p.h>
#include <device/deviceerror.h>

#include <QCoroTask>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>

#include <chrono>
#include <exception>
#include <optional>

// QVERIFY/QCOMPARE expand to `return`, which a coroutine cannot use.
#define CO_VERIFY(cond)                                                                            \
    do {                                                                                           \
        if (!QTest::qVerify(static_cast<bool>(cond), #cond, "", __FILE__, __LINE__))               \
            co_return;                                                                             \
    } while (false)

#define CO_COMPARE(actual, expected)                                                               \
    do {                                                                                           \
        if (!QTest::qCompare(actual, expected, #actual, #expected, __FILE__, __LINE__))            \
            co_return;                                                                             \
    } while (false)

namespace Benchtop::Test {

/// What Test::waitFor does for every awaitable: awaits it inside a task that catches, so that
/// QCoro 0.8's waitFor always gets a task that ends normally (see waitFor below).
template<typename Awaitable>
auto guardedWaitFor(Awaitable &&awaitable)
{
    using Result = std::remove_cvref_t<Benchtop::Async::detail::AwaitResult<Awaitable>>;
    std::exception_ptr error;
    auto guarded = [](std::decay_t<Awaitable> inner, std::exception_ptr *error)
        -> QCoro::Task<std::conditional_t<std::is_void_v<Result>, void, std::optional<Result>>> {
        try {
            if constexpr (std::is_void_v<Result>) {
                co_await std::move(inner);
                co_return;
            } else {
                co_return std::optional<Result>(co_await std::move(inner));
            }
        } catch (...) {
            *error = std::current_exception();
        }
        if constexpr (!std::is_void_v<Result>)
            co_return std::nullopt;
    };
    if constexpr (std::is_void_v<Result>) {
        QCoro::waitFor(guarded(std::forward<Awaitable>(awaitable), &error));
        if (error)
            std::rethrow_exception(error);
    } else {
        std::optional<Result> result
            = QCoro::waitFor(guarded(std::forward<Awaitable>(awaitable), &error));
        if (error)
            std::rethrow_exception(error);
        return std::move(*result);
    }
}

/// QCoro::waitFor that also takes the toolkit's awaiters (which may only be awaited as
/// temporaries): runs a nested event loop until `awaitable` completes. An exception it throws is
/// rethrown here: QCoro 0.8's waitFor awaits the task in a coroutine of its own
/// (detail::runCoroutine) that quits the loop only after the await returns normally, so an
/// exception ends that coroutine instead and the loop never returns. For tests only.
template<typename Awaitable>
auto waitFor(Awaitable &&awaitable)
{
    return guardedWaitFor(std::forward<Awaitable>(awaitable));
}

/// The same for a QCoro::Task. An unqualified waitFor(task) also finds QCoro::waitFor, by
/// argument-dependent lookup in the task's namespace, and QCoro's overloads for a Task are more
/// specialized than the template above: without these, every test that waited on a QCoro::Task
/// got QCoro's waitFor and hung when the task threw. These have QCoro's exact signatures and a
/// constraint, which makes them the more specialized, so overload resolution picks them.
template<typename T>
requires std::is_object_v<QCoro::Task<T>> T waitFor(QCoro::Task<T> &&task)
{
    return guardedWaitFor(std::move(task));
}

template<typename T>
requires std::is_object_v<QCoro::Task<T>> T waitFor(QCoro::Task<T> &task)
{
    // Awaited by reference: a task cannot be copied into the guarding coroutine.
    return guardedWaitFor([](QCoro::Task<T> &awaited) -> QCoro::Task<T> {
        if constexpr (std::is_void_v<T>)
            co_await awaited;
        else
            co_return co_await awaited;
    }(task));
}

/// The message of the DeviceError (UnknownMessage too) that `task` ends with, awaited with
/// waitFor(), or "(no error)". Any other exception goes through to the test.
template<typename T>
QString errorOf(QCoro::Task<T> &&task)
{
    try {
        waitFor(std::move(task));
    } catch (const DeviceError &e) {
        return e.message();
    }
    return QStringLiteral("(no error)");
}

/// Makes any Qt warning a test failure (call from init()); QTest::ignoreMessage still lets a
/// test expect one. The offscreen platform's notices that it lacks a window-system feature
/// ("This plugin does not support raise()", ...) are not ours.
inline void failOnQtWarnings()
{
    QTest::failOnWarning(
        QRegularExpression(QStringLiteral("^(?!This plugin does not support ).*")));
}

/// For tests that inspect a task's exception through its handle after the fact: the group
/// would otherwise (rightly) report it as unhandled.
template<typename Group>
void inspectErrorsInTest(Group &group)
{
    group.setErrorHandler([](const std::exception_ptr &, const char *) {});
}

/// QCoro's EventLoopChecker: a timer ticking on the event loop while a test awaits something.
/// If the await blocked the loop, hardly any tick gets through.
class EventLoopChecker {
public:
    explicit EventLoopChecker(std::chrono::milliseconds interval = std::chrono::milliseconds(5))
    {
        QObject::connect(&m_timer, &QTimer::timeout, [this] { ++m_ticks; });
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.start(interval);
    }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    int m_ticks = 0;
};

/// Counts live instances: proves that a coroutine frame unwound (its locals were destroyed).
struct LiveCounter {
    explicit LiveCounter(int &count)
        : m_count(count)
    {
        ++m_count;
    }
    ~LiveCounter() { --m_count; }
    LiveCounter(const LiveCounter &) = delete;
    LiveCounter &operator=(const LiveCounter &) = delete;

private:
    int &m_count;
};

} // namespace Benchtop::Test
