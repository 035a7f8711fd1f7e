// SPDX-License-Identifier: MIT
// Handles across a real second thread: calls, awaited calls, errors, coalesced snapshots, the
// readings they carry, and paced delivery (on a FrameClock).
#include "framestepper.h"
#include "testdevices.h"
#include "testsupport.h"

#include <device/deviceerror.h>
#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/frameclock.h>
#include <host/localdevicehandle.h>
#include <host/snapshotchannel_p.h>

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace std::chrono_literals;

namespace {

/// Changes its `count` value `burst` times in one go when asked (own message "burst").
class BurstDevice : public Device {
    Q_OBJECT
public:
    using Device::Device;
    QThread *createdOn = QThread::currentThread();
    QList<MessageDefinition> ownMessages() const override
    {
        return {{.name = QStringLiteral("burst"),
            .trait = kind(),
            .request = {parameter(QStringLiteral("times"), QStringLiteral("int"))},
            .response = QStringLiteral("boolean"),
            .doc = QStringLiteral("Changes count `times` times in one go.")}};
    }
    QVariant invokeOwn(const QString &, const QVariantList &args) override
    {
        for (int i = 1; i <= args.value(0).toInt(); ++i)
            setValue(QStringLiteral("count"), i);
        return QVariant(QThread::currentThread() == createdOn);
    }
    QList<PropertyInfo> extraProperties() const override
    {
        PropertyInfo count;
        count.name = QStringLiteral("count");
        count.type = ValueType::Int;
        count.stateKey = QStringLiteral("count");
        return {count};
    }
};

/// Asks `device` on the host's thread to change `times` times in one go, without waiting.
void burst(DeviceHost *host, const QString &device, int times)
{
    QMetaObject::invokeMethod(
        host, [host, device, times] { host->call(device, "burst", {times}); });
}

/// The `count` values of the handle's readings.
QList<int> counts(const DeviceHandle &handle)
{
    QList<int> values;
    const Readings &readings = handle.readings();
    const qsizetype column = readings.columnOf(QStringLiteral("count"));
    for (qsizetype row = 0; row < readings.count(); ++row)
        values.append(int(readings.value(row, column)));
    return values;
}

/// The stage, the meter and the burst device, and `more`.
std::unique_ptr<DeviceHost> makeHostWith(const QList<DeviceSettings> &more)
{
    DeviceHost::Drivers drivers;
    drivers.create = [](const DeviceSettings &s) -> std::unique_ptr<Device> {
        if (s.kind == "stage")
            return std::make_unique<TestStage>(s);
        if (s.kind == "sensor")
            return std::make_unique<TestSensor>(s);
        return std::make_unique<BurstDevice>(s);
    };
    auto host = std::make_unique<DeviceHost>(drivers, nullptr);
    host->open(
        QList<DeviceSettings>{
            {"stage", "stage", {{"limits", QVariantList{0.0, 10.0}}, {"out_of_limits", "error"}}},
            {"meter", "sensor", {}}, {"burst", "burst", {}}}
        + more);
    return host;
}

std::unique_ptr<DeviceHost> makeHost()
{
    return makeHostWith({});
}

} // namespace

class TestDeviceHandle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    // A row published while the link was down, or the device in fault or stopped, repeats what
    // the device last knew: each row says so, through takeRows() and dropOldest() alike.
    void readingsSayWhichRowsWereMeasured()
    {
        DeviceDescription description{.name = QStringLiteral("dut")};
        description.properties.append({.name = QStringLiteral("position"),
            .type = ValueType::Double,
            .stateKey = "position"});
        Readings readings(description);
        const auto at = std::chrono::steady_clock::now();
        DeviceSnapshot snapshot{.values = {{QStringLiteral("position"), 1.0}}};
        QList<std::pair<LinkState, DeviceStatus>> states{
            {LinkState::Connected, DeviceStatus::Ready},
            {LinkState::Disconnected, DeviceStatus::Ready},
            {LinkState::Connecting, DeviceStatus::Ready},
            {LinkState::Connected, DeviceStatus::Fault},
            {LinkState::Connected, DeviceStatus::Stopped},
            {LinkState::Connected, DeviceStatus::Ready}};
        for (const auto &[link, status] : states) {
            ++snapshot.sequence;
            snapshot.link = link;
            snapshot.status = status;
            QVERIFY(readings.append(at, snapshot));
        }
        Readings rows = readings.takeRows();
        QCOMPARE(rows.count(), 6);
        QList<bool> measured;
        for (qsizetype row = 0; row < rows.count(); ++row)
            measured << rows.isMeasured(row);
        QCOMPARE(measured, (QList<bool>{true, false, false, false, false, true}));
        QVERIFY(rows.link(1) == LinkState::Disconnected);
        QVERIFY(rows.status(3) == DeviceStatus::Fault);
        rows.dropOldest(2);
        QVERIFY(rows.link(0) == LinkState::Connecting);
        QVERIFY(rows.isMeasured(3));
    }

    void callsCrossToTheDeviceThread()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        QVERIFY(host);
        QVERIFY(host->thread() != QThread::currentThread());
        {
            LocalDeviceHandle burst(host, "burst");
            QCOMPARE(waitFor(burst.call("burst", {1})).toBool(), true); // ran on its own thread

            LocalDeviceHandle stage(host, "stage");
            QTRY_COMPARE(stage.description().kind, QStringLiteral("stage"));
            QVERIFY(stage.description().traits.contains("has-limits"));
            QCOMPARE(stage.description().properties.first().name, QStringLiteral("destination"));
            QCOMPARE(waitFor(stage.call("set_position", {4.0})), QVariant());
            QTRY_VERIFY(stage.snapshot().busy);
            QCOMPARE(stage.snapshot().values.value("destination").toDouble(), 4.0);
        }
        QVERIFY(thread.stop());
    }

    void errorsArriveAsDeviceErrors()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            LocalDeviceHandle stage(host, "stage");
            QString error;
            waitFor([&]() -> QCoro::Task<> {
                try {
                    co_await stage.call("set_position", {42.0});
                } catch (const DeviceError &e) {
                    error = e.message();
                }
            }());
            QCOMPARE(error, QStringLiteral("stage: 42 is outside the limits [0, 10]"));
            waitFor([&]() -> QCoro::Task<> {
                try {
                    co_await stage.call("warp");
                } catch (const UnknownMessage &e) {
                    error = e.message();
                }
            }());
            QCOMPARE(error, QStringLiteral("stage (stage) has no message warp"));
        }
        QVERIFY(thread.stop());
    }

    void awaitedCallsAndTheEventLoop()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            LocalDeviceHandle meter(host, "meter");
            EventLoopChecker checker(1ms);
            const QVariantMap first = waitFor(meter.measure());
            const QVariantMap second = waitFor(meter.measure());
            QCOMPARE(first.value("measurement_id").toInt(), 0);
            QCOMPARE(second.value("measurement_id").toInt(), 1);
            QVERIFY(checker.ticks() > 2); // the caller's loop ran while it waited
        }
        QVERIFY(thread.stop());
    }

    void snapshotsAreCoalesced()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            LocalDeviceHandle burst(host, "burst");
            QSignalSpy changed(&burst, &DeviceHandle::snapshotChanged);
            QTRY_VERIFY(changed.count() >= 1); // the initial snapshot
            changed.clear();
            // This thread is blocked while the device changes 10000 times, as a busy GUI
            // would be: the changes reach it as one delivery, holding the last value.
            QMetaObject::invokeMethod(
                host, [host] { host->call("burst", "burst", {10000}); },
                Qt::BlockingQueuedConnection);
            QVERIFY(burst.publishedCount() >= 10000);
            QTRY_COMPARE(burst.snapshot().values.value("count").toInt(), 10000);
            QCOMPARE(changed.count(), 1);
            // The readings: the newest that the channel holds, in order, the oldest dropped
            // and counted, none lost without a count.
            const QList<int> values = counts(burst);
            const auto dropped = qsizetype(burst.droppedCount());
            QVERIFY(dropped > 0);
            QVERIFY(values.size() <= detail::SnapshotChannel::kReadingsLimit);
            QCOMPARE(values.size() + dropped, 10000);
            QCOMPARE(values.first(), dropped + 1);
            QCOMPARE(values.last(), 10000);
            for (qsizetype i = 1; i < values.size(); ++i)
                QCOMPARE(values[i], values[i - 1] + 1);
        }
        QVERIFY(thread.stop());
    }

    void everyReadingArrivesInOrder()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            LocalDeviceHandle handle(host, "burst");
            QTRY_VERIFY(handle.snapshot().sequence > 0);
            QCOMPARE(handle.readings().keys(), QStringList{"count"});
            QMetaObject::invokeMethod(
                host, [host] { host->call("burst", "burst", {500}); },
                Qt::BlockingQueuedConnection);
            QTRY_COMPARE(handle.snapshot().values.value("count").toInt(), 500);
            QList<int> expected;
            for (int i = 1; i <= 500; ++i)
                expected.append(i);
            QCOMPARE(counts(handle), expected);
            QCOMPARE(handle.droppedCount(), 0u);
            const Readings &readings = handle.readings();
            for (qsizetype row = 1; row < readings.count(); ++row) {
                QVERIFY(readings.at(row) >= readings.at(row - 1));
                QCOMPARE(readings.sequence(row), readings.sequence(row - 1) + 1);
            }
        }
        QVERIFY(thread.stop());
    }

    void anUnchangingDeviceIsStillHeardFrom()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            LocalDeviceHandle stage(host, "stage");
            QTRY_VERIFY(stage.lastHeard() != std::chrono::steady_clock::time_point());
            const auto first = stage.lastHeard();
            const quint64 sequence = stage.snapshot().sequence;
            // The keep-alive: the same snapshot again, so the window knows the loop is alive.
            QTRY_VERIFY_WITH_TIMEOUT(stage.lastHeard() > first, 5000);
            QCOMPARE(stage.snapshot().sequence, sequence);
            QCOMPARE(stage.readings().count(), 0); // a repeat is no new reading
        }
        QVERIFY(thread.stop());
    }

    void shutdownEndsCallsInFlight()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        auto stage = std::make_unique<LocalDeviceHandle>(host, "stage");
        QString error;
        bool done = false;
        auto task = [&]() -> QCoro::Task<> {
            try {
                co_await stage->moveTo(5.0); // TestStage never arrives by itself
            } catch (const DeviceError &e) {
                error = e.message();
            }
            done = true;
        }();
        QTRY_VERIFY(stage->snapshot().busy);
        // The host shuts down under the waiting call.
        QMetaObject::invokeMethod(host, [host] {
            Async::backgroundTasks().spawn("shutdown", [host] { return host->shutdown(); });
        });
        QTRY_VERIFY(done);
        QCOMPARE(error, QStringLiteral("stage: the device host shut down"));
        stage.reset(); // handles go before their host
        QVERIFY(thread.stop());
    }

    // Paced delivery, on a frame clock stepped on manual time: "before the tick" holds however
    // busy the machine is.

    void aQuietClockDeliversAtOnce()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            FrameClock clock;
            FrameStepper steps(&clock);
            LocalDeviceHandle handle(host, "burst", &clock);
            QTRY_VERIFY(handle.snapshot().sequence > 0); // described: not paced
            burst(host, "burst", 3);
            QTRY_COMPARE(handle.snapshot().values.value("count").toInt(), 3);
            QCOMPARE(clock.tickCount(), 0);
            QCOMPARE(counts(handle).last(), 3);
        }
        QVERIFY(thread.stop());
    }

    void whileTheLaneIsBusyChangesWaitForItsTick()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            FrameClock clock;
            FrameStepper steps(&clock);
            LocalDeviceHandle handle(host, "burst", &clock);
            QTRY_VERIFY(handle.snapshot().sequence > 0);
            QSignalSpy changed(&handle, &DeviceHandle::snapshotChanged);
            burst(host, "burst", 1); // at once; the lane is busy for an interval
            QTRY_COMPARE(changed.count(), 1);
            burst(host, "burst", 5); // 2 to 5 (1 is no change): waits for the tick, then whole
            QTRY_COMPARE(clock.pendingCount(FrameClock::Lane::Deliveries), 1);
            QCOMPARE(changed.count(), 1);
            QCOMPARE(clock.tickCount(), 0);
            steps.tick();
            QCOMPARE(changed.count(), 2);
            QCOMPARE(clock.tickCount(), 1);
            QCOMPARE(counts(handle), (QList<int>{2, 3, 4, 5}));
        }
        QVERIFY(thread.stop());
    }

    void eachTickDeliversWithinItsBudgetOldestFirst()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start([] {
            return makeHostWith({{"a", "burst", {}}, {"b", "burst", {}}, {"c", "burst", {}}});
        });
        {
            FrameClock clock;
            FrameStepper steps(&clock);
            // No budget: one handle per tick, however many wait.
            clock.setBudget(FrameClock::Lane::Deliveries, 0us);
            LocalDeviceHandle a(host, "a", &clock);
            LocalDeviceHandle b(host, "b", &clock);
            LocalDeviceHandle c(host, "c", &clock);
            QTRY_VERIFY(a.snapshot().sequence > 0 && b.snapshot().sequence > 0
                && c.snapshot().sequence > 0);
            QStringList order;
            QList<qint64> atTick;
            for (LocalDeviceHandle *handle : {&a, &b, &c}) {
                connect(handle, &DeviceHandle::snapshotChanged, this, [&, handle] {
                    order << handle->name();
                    atTick << clock.tickCount();
                });
            }
            // Three change together: the first is delivered at once and makes the lane busy,
            // the other two wait for its ticks.
            QMetaObject::invokeMethod(host, [host] {
                for (const char *name : {"b", "c", "a"})
                    host->call(name, "burst", {1});
            });
            QTRY_COMPARE(clock.pendingCount(FrameClock::Lane::Deliveries), 2);
            steps.ticks(2);
            QCOMPARE(order, (QStringList{"b", "c", "a"}));
            // One a tick, in the order they asked.
            QCOMPARE(atTick, (QList<qint64>{0, 1, 2}));
            QCOMPARE(clock.overruns(FrameClock::Lane::Deliveries), 1u);
        }
        QVERIFY(thread.stop());
    }

    void pacingLosesNoReading()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            FrameClock clock;
            FrameStepper steps(&clock);
            LocalDeviceHandle handle(host, "burst", &clock);
            QTRY_VERIFY(handle.snapshot().sequence > 0);
            QList<quint64> sequences;
            connect(&handle, &DeviceHandle::snapshotChanged, this, [&] {
                const Readings &readings = handle.readings();
                for (qsizetype row = 0; row < readings.count(); ++row)
                    sequences << readings.sequence(row);
            });
            const quint64 first = handle.snapshot().sequence + 1;
            const quint64 publishedBefore = handle.publishedCount();
            for (int round = 1; round <= 30; ++round) {
                burst(host, "burst", 50);
                // (keep-alives are published too)
                QTRY_VERIFY(handle.publishedCount() >= publishedBefore + quint64(round) * 50);
                if (round % 3 == 0)
                    steps.tick(); // several rounds arrive within one frame
            }
            const quint64 last = first + 30 * 50 - 1;
            QTRY_VERIFY((steps.tick(), !sequences.isEmpty() && sequences.last() == last));
            QCOMPARE(sequences.size(), qsizetype(last - first + 1));
            for (qsizetype i = 0; i < sequences.size(); ++i)
                QCOMPARE(sequences[i], first + quint64(i));
            QVERIFY(clock.tickCount() > 0);
            QCOMPARE(handle.droppedCount(), 0u);
        }
        QVERIFY(thread.stop());
    }

    void aChangeOfBusyIsNotPacedAndSaysSo()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            FrameClock clock;
            FrameStepper steps(&clock);
            LocalDeviceHandle counter(host, "burst", &clock);
            LocalDeviceHandle stage(host, "stage", &clock);
            QSignalSpy counted(&counter, &DeviceHandle::snapshotChanged);
            QSignalSpy staged(&stage, &DeviceHandle::snapshotChanged);
            using Delivery = DeviceHandle::Delivery;
            const auto lastDelivery
                = [](const QSignalSpy &spy) { return spy.last().first().value<Delivery>(); };
            // The first (the description with it) is prompt.
            QTRY_COMPARE(counted.count(), 1);
            QTRY_COMPARE(staged.count(), 1);
            QCOMPARE(lastDelivery(counted), Delivery::Prompt);
            // A change of value is paced, even when the quiet lane delivers it at once; the
            // lane is then busy for an interval.
            burst(host, "burst", 1);
            QTRY_COMPARE(counter.snapshot().values.value("count").toInt(), 1);
            QCOMPARE(lastDelivery(counted), Delivery::Paced);
            // The new destination is published first and waits for a tick; busy follows and
            // takes it along at once, prompt.
            waitFor(stage.call("set_position", {4.0}));
            QTRY_VERIFY(stage.snapshot().busy); // and no tick has come
            QCOMPARE(clock.tickCount(), 0);
            QCOMPARE(stage.snapshot().values.value("destination").toDouble(), 4.0);
            QCOMPARE(clock.pendingCount(FrameClock::Lane::Deliveries), 0);
            QCOMPARE(lastDelivery(staged), Delivery::Prompt);
            // So is the end of the move.
            waitFor(stage.call("stop"));
            QTRY_VERIFY(!stage.snapshot().busy);
            QCOMPARE(lastDelivery(staged), Delivery::Prompt);
        }
        QVERIFY(thread.stop());
    }

    void aHandleWithoutAClockDeliversAsItComes()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        {
            LocalDeviceHandle handle(host, "burst");
            QSignalSpy changed(&handle, &DeviceHandle::snapshotChanged);
            QTRY_COMPARE(changed.count(), 1);
            burst(host, "burst", 1);
            QTRY_COMPARE(changed.count(), 2);
            QCOMPARE(changed.last().first().value<DeviceHandle::Delivery>(),
                DeviceHandle::Delivery::Paced);
        }
        QVERIFY(thread.stop());
    }
};

QTEST_GUILESS_MAIN(TestDeviceHandle)
#include "tst_devicehandle.moc"
