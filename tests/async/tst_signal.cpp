// SPDX-License-Identifier: MIT
// Awaiting Qt signals: arguments, a destroyed sender, cancellation, emission from another thread.
#include "testsupport.h"

#include <async/async.h>

#include <QCoroSignal>
#include <QCoroTask>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <tuple>

using namespace std::chrono_literals;
using namespace Benchtop::Async;

class Instrument : public QObject {
    Q_OBJECT
public:
    template<typename Signal>
    bool isListenedTo(Signal signal) const
    {
        return isSignalConnected(QMetaMethod::fromSignal(signal));
    }
Q_SIGNALS:
    void ready();
    void measured(double value);
    void moved(int axis, const QString &where);
};

class TestSignal : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void givesTheSignalsArguments()
    {
        Instrument instrument;
        TaskGroup group;
        auto none = group.spawn([&] { return signal(&instrument, &Instrument::ready); });
        auto one = group.spawn([&] { return signal(&instrument, &Instrument::measured); });
        auto two = group.spawn([&] { return signal(&instrument, &Instrument::moved); });
        Q_EMIT instrument.ready();
        Q_EMIT instrument.measured(2.5);
        Q_EMIT instrument.moved(3, QStringLiteral("home"));
        QTRY_VERIFY_WITH_TIMEOUT(none.isDone() && one.isDone() && two.isDone(), 2000);
        QCOMPARE(one.result(), 2.5);
        QCOMPARE(two.result(), std::make_tuple(3, QStringLiteral("home")));
    }

    void onlyTheFirstEmissionIsTaken()
    {
        Instrument instrument;
        TaskGroup group;
        auto task = group.spawn([&] { return signal(&instrument, &Instrument::measured); });
        Q_EMIT instrument.measured(1.0);
        Q_EMIT instrument.measured(2.0);
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QCOMPARE(task.result(), 1.0);
    }

    void aDestroyedSenderEndsTheWaitWithAnError()
    {
        auto instrument = std::make_unique<Instrument>();
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task = group.spawn([&] { return signal(instrument.get(), &Instrument::ready); });
        instrument.reset();
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QVERIFY_THROWS_EXCEPTION(ObjectDestroyed, task.result());
    }

    void cancellingDisconnects()
    {
        Instrument instrument;
        TaskGroup group;
        auto task = group.spawn([&] { return signal(&instrument, &Instrument::measured); });
        QVERIFY(instrument.isListenedTo(&Instrument::measured));
        task.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QVERIFY(task.isCancelled());
        QVERIFY(!instrument.isListenedTo(&Instrument::measured));
        Q_EMIT instrument.measured(1.0); // reaches nothing
    }

    void twoWaitersOnOneSignalAreIndependent()
    {
        Instrument instrument;
        TaskGroup group;
        auto first = group.spawn([&] { return signal(&instrument, &Instrument::measured); });
        auto second = group.spawn([&] { return signal(&instrument, &Instrument::measured); });
        first.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(first.isDone(), 2000);
        Q_EMIT instrument.measured(4.0);
        QTRY_VERIFY_WITH_TIMEOUT(second.isDone(), 2000);
        QCOMPARE(second.result(), 4.0);
    }

    void anEmissionFromAnotherThreadResumesOnOurs()
    {
        Instrument instrument;
        QThread worker;
        worker.start();
        TaskGroup group;
        const QThread *resumedOn = nullptr;
        auto task = group.spawn([&]() -> QCoro::Task<double> {
            const double value = co_await signal(&instrument, &Instrument::measured);
            resumedOn = QThread::currentThread();
            co_return value;
        });
        QObject emitter;
        emitter.moveToThread(&worker);
        const QThread *emittedOn = nullptr;
        QMetaObject::invokeMethod(
            &emitter,
            [&] {
                emittedOn = QThread::currentThread();
                Q_EMIT instrument.measured(9.5);
            },
            Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QCOMPARE(task.result(), 9.5);
        QCOMPARE(emittedOn, &worker);
        QCOMPARE(resumedOn, QThread::currentThread());
        worker.quit();
        worker.wait();
    }

    void aWrappedQCoroAwaitIsACancellationPoint()
    {
        Instrument instrument;
        bool reached = false;
        TaskGroup group;
        auto task = group.spawn([&]() -> QCoro::Task<> {
            co_await cancellable(qCoro(&instrument, &Instrument::measured));
            reached = true;
        });
        task.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QVERIFY(task.isCancelled());
        Q_EMIT instrument.measured(1.0); // the helper finishes on its own; nothing resumes twice
        QTRY_VERIFY_WITH_TIMEOUT(backgroundTasks().isEmpty(), 2000);
        QVERIFY(!reached);
    }

    void aTaskStaysCancellableAfterAWrappedQCoroAwait()
    {
        Instrument instrument;
        TaskGroup group;
        double got = 0;
        auto task = group.spawn([&]() -> QCoro::Task<> {
            got = co_await cancellable(qCoro(&instrument, &Instrument::measured));
            co_await sleep(std::chrono::hours(1));
        });
        QTimer::singleShot(0, &instrument, [&] { Q_EMIT instrument.measured(6.5); });
        QTRY_COMPARE_WITH_TIMEOUT(got, 6.5, 2000);
        task.cancel(); // reaches the sleep: the task kept its context across the foreign wait
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QVERIFY(task.isCancelled());
    }

    void canBeBoundedWithATimeout()
    {
        Instrument instrument;
        TaskGroup group;
        Benchtop::Test::inspectErrorsInTest(group);
        auto task = group.spawn(
            [&] { return timeout([&] { return signal(&instrument, &Instrument::ready); }, 20ms); });
        QTRY_VERIFY_WITH_TIMEOUT(task.isDone(), 2000);
        QVERIFY_THROWS_EXCEPTION(Timeout, task.result());
        QVERIFY(!instrument.isListenedTo(&Instrument::ready));
    }
};

QTEST_GUILESS_MAIN(TestSignal)
#include "tst_signal.moc"
