// SPDX-License-Identifier: MIT
// The test harness itself (tests/support/testsupport.h): Test::waitFor returns what the awaited
// work gives and rethrows what it throws, however deep the throw, whichever form of waitFor the
// call resolves to. A harness that hangs turns one failing test into a whole suite's timeout.
#include "testsupport.h"

#include <async/event.h>
#include <async/sleep.h>

#include <QTimer>

#include <stdexcept>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace std::chrono_literals;

namespace {

QCoro::Task<int> answer()
{
    co_await Async::sleep(1ms);
    co_return 42;
}

QCoro::Task<int> failing()
{
    co_await Async::sleep(1ms); // suspends first, so the throw resumes an awaiter
    throw std::runtime_error("inner");
}

/// One more task level: the exception leaves `failing` and then this task.
QCoro::Task<int> throughOneMoreLevel()
{
    co_return co_await failing() + 1;
}

QCoro::Task<> failingVoid()
{
    co_await throughOneMoreLevel();
}

/// The message of the std::runtime_error that `wait` rethrows, or why there was none.
template<typename Wait>
QString thrownBy(Wait wait)
{
    try {
        wait();
    } catch (const std::runtime_error &e) {
        return QString::fromUtf8(e.what());
    }
    return QStringLiteral("(nothing thrown)");
}

} // namespace

class TestTestSupport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        failOnQtWarnings();
        // Before the fix an exception made waitFor wait forever: fail at once instead of at the
        // suite's timeout.
        m_watchdog = std::make_unique<QTimer>();
        m_watchdog->setSingleShot(true);
        QObject::connect(m_watchdog.get(), &QTimer::timeout,
            [] { qFatal("Test::waitFor did not return: a continuation was lost"); });
        m_watchdog->start(10s);
    }
    void cleanup() { m_watchdog.reset(); }

    void aTaskGivesItsValue()
    {
        QCOMPARE(waitFor(answer()), 42);
        QCoro::Task<int> task = answer();
        QCOMPARE(waitFor(task), 42); // an lvalue task too
    }

    void anExceptionReachesTheCaller()
    {
        QCOMPARE(thrownBy([] { waitFor(failing()); }), QStringLiteral("inner"));
    }

    // The case that hung: the task given to waitFor is resumed by the exception of a task it
    // awaits, and ends with it.
    void anExceptionThroughOneMoreTaskLevelReachesTheCaller()
    {
        QCOMPARE(thrownBy([] { waitFor(throughOneMoreLevel()); }), QStringLiteral("inner"));
        QCOMPARE(thrownBy([] { waitFor(failingVoid()); }), QStringLiteral("inner"));
        QCOMPARE(thrownBy([] {
            QCoro::Task<int> task = throughOneMoreLevel();
            waitFor(task);
        }),
            QStringLiteral("inner"));
        // A lambda coroutine, as most tests write them.
        QCOMPARE(thrownBy([] {
            waitFor([]() -> QCoro::Task<> {
                const int value = co_await throughOneMoreLevel();
                Q_UNUSED(value)
            }());
        }),
            QStringLiteral("inner"));
    }

    // The toolkit's awaiters go through the same waitFor.
    void theToolkitsAwaitersToo()
    {
        Async::Event event;
        QTimer::singleShot(1ms, [&] { event.set(); });
        waitFor(event.wait());
        QVERIFY(event.isSet());
    }

private:
    std::unique_ptr<QTimer> m_watchdog;
};

QTEST_GUILESS_MAIN(TestTestSupport)
#include "tst_testsupport.moc"
