// SPDX-License-Identifier: MIT
// Handles across a real second thread: calls, awaited calls, errors, coalesced snapshots.
#include "testdevices.h"
#include "testsupport.h"

#include <device/deviceerror.h>
#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/localdevicehandle.h>

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
    std::optional<QVariant> invokeOwn(const QString &message, const QVariantList &args) override
    {
        if (message != QLatin1String("burst"))
            return std::nullopt;
        for (int i = 1; i <= args.value(0).toInt(); ++i)
            setValue(QStringLiteral("count"), i);
        return QVariant(QThread::currentThread() == createdOn);
    }
};

std::unique_ptr<DeviceHost> makeHost()
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
        {{"stage", "stage", {{"limits", QVariantList{0.0, 10.0}}, {"out_of_limits", "error"}}},
            {"meter", "sensor", {}}, {"burst", "burst", {}}});
    return host;
}

} // namespace

class TestDeviceHandle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

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
            LocalDeviceHandle meter(host, "meter", nullptr);
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
};

QTEST_GUILESS_MAIN(TestDeviceHandle)
#include "tst_devicehandle.moc"
