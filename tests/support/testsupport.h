// SPDX-License-Identifier: MIT
#pragma once

#include <async/taskframe_p.h>

#include <QCoroTask>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>

#include <chrono>
#include <exception>

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

namespace detail {
template<typename Awaitable>
auto awaitIn(Awaitable awaitable)
    -> QCoro::Task<std::remove_cvref_t<Benchtop::Async::detail::AwaitResult<Awaitable>>>
{
    co_return co_await std::move(awaitable);
}
} // namespace detail

/// QCoro::waitFor that also takes the toolkit's awaiters (which may only be awaited as
/// temporaries): runs a nested event loop until `awaitable` completes. For tests only.
template<typename Awaitable>
auto waitFor(Awaitable &&awaitable)
{
    return QCoro::waitFor(detail::awaitIn(std::forward<Awaitable>(awaitable)));
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
