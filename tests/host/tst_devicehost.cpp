// SPDX-License-Identifier: MIT
// The device host: creation and fault isolation, bounded shutdown, restart, saved state,
// input bindings.
#include "testdevices.h"
#include "testsupport.h"

#include <async/sleep.h>
#include <device/deviceerror.h>
#include <host/devicehost.h>
#include <host/localdevicehandle.h>
#include <state/statestore.h>

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace std::chrono_literals;

namespace {

/// Test drivers by kind, with a schema for the binding kind.
DeviceHost::Drivers testDrivers(
    Releaser *releaser = nullptr, std::function<void()> hold = [] {})
{
    DeviceHost::Drivers drivers;
    drivers.create = [releaser, hold](const DeviceSettings &s) -> std::unique_ptr<Device> {
        if (s.kind == "hog")
            return std::make_unique<LoopHoggingDevice>(s, hold);
        if (s.kind == "stage")
            return std::make_unique<TestStage>(s);
        if (s.kind == "ticking")
            return std::make_unique<TickingDevice>(s);
        if (s.kind == "throwing")
            return std::make_unique<ThrowingDevice>(s);
        if (s.kind == "stubborn")
            return std::make_unique<StubbornDevice>(s, releaser);
        if (s.kind == "panel")
            return std::make_unique<TestPanel>(s);
        if (s.kind == "sensor")
            return std::make_unique<TestSensor>(s);
        throw std::runtime_error("no such test driver: " + s.kind.toStdString());
    };
    drivers.driverFor = [](const QString &kind) -> std::optional<DriverInfo> {
        DriverInfo info;
        info.kind = kind;
        if (kind == "panel")
            info.config << ConfigField{
                .name = "on_press", .type = ValueType::Bindings, .defaultValue = QVariantMap()};
        return info;
    };
    return drivers;
}

DeviceSettings settings(const QString &name, const QString &kind, QVariantMap config = {})
{
    return {name, kind, std::move(config)};
}

} // namespace

class TestDeviceHost : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void opensEveryDeviceAndRunsItsTasks()
    {
        DeviceHost host(testDrivers(), nullptr);
        host.open({settings("a", "ticking"), settings("stage", "stage")});
        QCOMPARE(host.deviceNames(), (QStringList{"a", "stage"}));
        auto *ticking = qobject_cast<TickingDevice *>(host.device("a"));
        QVERIFY(ticking);
        QTRY_VERIFY(ticking->ticks >= 3);
        QCOMPARE(host.call("stage", "set_position", {2.0}), QVariant());
        QVERIFY(host.device("stage")->busy());
        waitFor(host.shutdown());
        QVERIFY(host.isShutDown());
        QVERIFY(host.deviceNames().isEmpty());
    }

    void aDriverThatCannotCreateLeavesADeviceInFault()
    {
        DeviceHost host(testDrivers(), nullptr);
        QSignalSpy faulted(&host, &DeviceHost::deviceFaulted);
        QTest::ignoreMessage(
            QtWarningMsg, "typo is in fault: could not be created: no such test driver: stagee");
        host.open({settings("typo", "stagee"), settings("stage", "stage")});
        QCOMPARE(toString(host.device("typo")->status()), toString(DeviceStatus::Fault));
        // Said like any later fault, though it happened before the device was wired.
        QCOMPARE(faulted.count(), 1);
        QCOMPARE(faulted.front().at(0).toString(), QStringLiteral("typo"));
        QCOMPARE(faulted.front().at(1).toString(),
            QStringLiteral("could not be created: no such test driver: stagee"));
        QCOMPARE(toString(host.device("stage")->status()), toString(DeviceStatus::Ready));
        try {
            host.call("typo", "busy");
            host.device("typo")->ensureReady();
            QFAIL("no error");
        } catch (const DeviceError &e) {
            QVERIFY(e.message().contains("could not be created"));
        }
        waitFor(host.shutdown());
    }

    // One device throwing every second (restarted each time, as a user would) while nine
    // others keep polling at 100 Hz.
    void faultsStayWithTheirDevice()
    {
        DeviceHost host(testDrivers(), nullptr);
        QList<DeviceSettings> lab;
        for (int i = 0; i < 9; ++i)
            lab << settings(QStringLiteral("tick%1").arg(i), "ticking", {{"period_ms", 10}});
        lab << settings("flaky", "throwing", {{"fail_after_ms", 1000}});
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(
                "^flaky is in fault: update_state failed: simulated hardware error$"));
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(
                "^flaky is in fault: update_state failed: simulated hardware error$"));
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(
                "^flaky is in fault: update_state failed: simulated hardware error$"));
        int faults = 0;
        connect(&host, &DeviceHost::deviceFaulted, this, [&](const QString &name, const QString &) {
            QCOMPARE(name, QStringLiteral("flaky"));
            if (++faults < 3)
                host.tasks().spawn("restart", [&host] { return host.restart("flaky"); });
        });
        QElapsedTimer elapsed;
        elapsed.start();
        host.open(lab);
        // A real event loop, not QTRY: QTest::qWaitFor sleeps 10 ms between its looks, which
        // holds up 10 ms pollers on this thread.
        QEventLoop loop;
        connect(&host, &DeviceHost::deviceFaulted, &loop, [&] {
            if (faults >= 3)
                loop.quit();
        });
        QTimer::singleShot(10s, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(faults, 3);
        const double seconds = elapsed.elapsed() / 1000.0;
        for (int i = 0; i < 9; ++i) {
            auto *d = qobject_cast<TickingDevice *>(host.device(QStringLiteral("tick%1").arg(i)));
            QCOMPARE(toString(d->status()), toString(DeviceStatus::Ready));
            // 100 Hz asked; a loaded 2-core machine under ASan still gives well over half.
            QVERIFY2(d->ticks > 50 * seconds,
                qPrintable(QStringLiteral("%1 ticks in %2 s").arg(d->ticks).arg(seconds)));
        }
        QCOMPARE(toString(host.device("flaky")->status()), toString(DeviceStatus::Fault));
        waitFor(host.shutdown());
    }

    void shutdownIsBoundedWhenADriverIgnoresCancellation()
    {
        Releaser releaser;
        DeviceHost::Options options;
        options.shutdownLimit = 300ms;
        {
            DeviceHost host(testDrivers(&releaser), nullptr, options);
            host.open({settings("stubborn", "stubborn"), settings("good", "ticking")});
            QTRY_VERIFY(qobject_cast<TickingDevice *>(host.device("good"))->ticks > 0);
            QTest::ignoreMessage(
                QtWarningMsg, "stubborn ignored cancellation for 300 ms; abandoned");
            QElapsedTimer elapsed;
            elapsed.start();
            waitFor(host.shutdown());
            QVERIFY2(elapsed.elapsed() < 2000, qPrintable(QString::number(elapsed.elapsed())));
            QCOMPARE(host.abandonedDevices(), QStringList{"stubborn"});
            QVERIFY(!host.device("good"));
            Q_EMIT releaser.released(); // the foreign wait ends at last
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();
        } // the abandoned device, now idle, is destroyed with the host
    }

    void restartRereadsSettings()
    {
        DeviceHost host(testDrivers(), nullptr);
        int reads = 0;
        host.open({settings("stage", "stage", {{"limits", QVariantList{0.0, 1.0}}})},
            [&reads](const QString &name) {
                ++reads;
                return settings(name, "stage", {{"limits", QVariantList{0.0, 50.0}}});
            });
        QPointer<Device> before = host.device("stage");
        QSignalSpy started(&host, &DeviceHost::deviceStarted);
        waitFor(host.restart("stage"));
        QCOMPARE(reads, 1);
        QVERIFY(!before);
        QCOMPARE(started.count(), 1);
        QCOMPARE(host.call("stage", "get_limits"), QVariant(QVariantList{0.0, 50.0}));
        waitFor(host.shutdown());
    }

    void devicesAreAddedAndRemovedWhileOthersRun()
    {
        QTemporaryDir dir;
        auto store = std::make_shared<StateStore>(dir.path());
        DeviceHost host(testDrivers(), store);
        host.open({settings("ticking", "ticking")}, [](const QString &name) -> DeviceSettings {
            throw std::runtime_error(("not in the lab file: " + name).toStdString());
        });
        QSignalSpy started(&host, &DeviceHost::deviceStarted);
        host.addDevice(settings("stage", "stage"));
        QCOMPARE(started.count(), 1);
        QCOMPARE(host.deviceNames(), QStringList({"ticking", "stage"}));
        QCOMPARE(host.settings().at(1).kind, QStringLiteral("stage"));
        QVERIFY_THROWS_EXCEPTION(DeviceError, host.addDevice(settings("stage", "stage")));

        // A device added at run time restarts from the settings it was added with, not from
        // the lab file (which does not have it).
        waitFor(host.restart("stage"));
        QCOMPARE(toString(host.device("stage")->status()), toString(DeviceStatus::Ready));

        host.call("stage", "set_position", {3.0});
        qobject_cast<TestStage *>(host.device("stage"))->arrive();
        QSignalSpy removed(&host, &DeviceHost::deviceRemoved);
        waitFor(host.removeDevice("stage"));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(host.deviceNames(), QStringList({"ticking"}));
        QVERIFY(!host.device("stage"));
        QVERIFY(QFile::exists(dir.filePath("stage/stage-state.toml"))); // saved on the way out
        QVERIFY_THROWS_EXCEPTION(DeviceError, host.call("stage", "get_position"));
        QVERIFY_THROWS_EXCEPTION(DeviceError, Test::waitFor(host.removeDevice("stage")));
        auto *ticking = qobject_cast<TickingDevice *>(host.device("ticking"));
        const int ticks = ticking->ticks;
        QTRY_VERIFY(ticking->ticks > ticks); // the other device kept running
        waitFor(host.shutdown());
    }

    void healthNamesTheSlowestCall()
    {
        DeviceHost::Options options;
        options.heartbeat = 20ms;
        DeviceHost host(testDrivers(), nullptr, options);
        host.open({settings("stage", "stage"), settings("sensor", "sensor")});
        QCOMPARE(host.health().slowestCall, QString());
        host.call("stage", "get_position");
        LoopHealth health = host.health();
        QCOMPARE(health.slowestCall, QStringLiteral("stage.get_position"));
        QVERIFY(health.slowestCallTime.count() >= 0);

        QSignalSpy reports(&host, &DeviceHost::healthChanged);
        QVERIFY(reports.wait(2000));
        health = reports.last().first().value<LoopHealth>();
        QVERIFY(health.latency.count() >= 0);
        QCOMPARE(health.slowestCall.isEmpty(), false);
        waitFor(host.shutdown());
    }

    void theWatchdogNamesADeviceThatHoldsTheLoop()
    {
        std::mutex mutex;
        std::condition_variable reported;
        std::vector<Async::LoopStall> stalls;
        bool namedWhileHeld = false;
        // The driver holds the loop until the watchdog has named it (10 s at most).
        auto hold = [&] {
            std::unique_lock lock(mutex);
            namedWhileHeld = reported.wait_for(lock, 10s, [&] { return !stalls.empty(); });
        };
        DeviceHost::Options options;
        options.watchdog = 20ms;
        DeviceHost host(testDrivers(nullptr, hold), nullptr, options);
        connect(
            &host, &DeviceHost::loopStalled, &host,
            [&](const Async::LoopStall &stall) {
                std::lock_guard lock(mutex);
                stalls.push_back(stall);
                reported.notify_all();
            },
            Qt::DirectConnection);
        QSignalSpy ended(&host, &DeviceHost::loopStallEnded);
        host.open({settings("ticker", "ticking"), settings("hog", "hog")});
        LocalDeviceHandle hog(&host, QStringLiteral("hog"));
        LocalDeviceHandle ticker(&host, QStringLiteral("ticker"));

        QTRY_COMPARE(ended.count(), 1);
        QVERIFY(namedWhileHeld);
        {
            std::lock_guard lock(mutex);
            QCOMPARE(stalls.front().culprit(), QStringLiteral("hog.update_state"));
            QVERIFY(stalls.front().ongoing);
        }
        const auto end = ended.front().front().value<Async::LoopStall>();
        QCOMPARE(end.culprit(), QStringLiteral("hog.update_state"));
        QVERIFY(end.held >= 20ms);
        // Counted on the device that did it, not on the others.
        QTRY_COMPARE(hog.snapshot().loopStalls, 1);
        QVERIFY(hog.snapshot().longestStallMs >= 20);
        QCOMPARE(ticker.snapshot().loopStalls, 0);
        QVERIFY(host.device("ticker")->status() == DeviceStatus::Ready);
    }

    void noWatchdogUnlessAsked()
    {
        DeviceHost host(testDrivers(nullptr, [] { std::this_thread::sleep_for(50ms); }), nullptr);
        QSignalSpy stalled(&host, &DeviceHost::loopStalled);
        host.open({settings("hog", "hog")});
        LocalDeviceHandle hog(&host, QStringLiteral("hog"));
        QTRY_VERIFY(hog.snapshot().sequence > 0);
        QTest::qWait(100);
        QCOMPARE(stalled.count(), 0);
        QCOMPARE(hog.snapshot().loopStalls, 0);
    }

    void restartWithABrokenLabShowsTheError()
    {
        DeviceHost host(testDrivers(), nullptr);
        host.open({settings("stage", "stage")}, [](const QString &) -> DeviceSettings {
            throw std::runtime_error(
                "lab.toml:3:9: device \"stage\": key \"speed\" must be a number");
        });
        QTest::ignoreMessage(QtWarningMsg,
            "stage is in fault: could not re-read its settings: lab.toml:3:9: device \"stage\": "
            "key \"speed\" must be a number");
        waitFor(host.restart("stage"));
        QCOMPARE(toString(host.device("stage")->status()), toString(DeviceStatus::Fault));
        waitFor(host.shutdown());
    }

    void stateIsSavedRestoredAndRecovered()
    {
        QTemporaryDir dir;
        auto store = std::make_shared<StateStore>(dir.path());
        DeviceHost::Options options;
        options.saveIntervalBusy = 10ms;
        options.saveIntervalIdle = 20ms;
        const QString file = store->pathFor("stage", "x");
        {
            DeviceHost host(testDrivers(), store, options);
            host.open({settings("x", "stage")});
            host.call("x", "set_position", {7.5});
            qobject_cast<TestStage *>(host.device("x"))->arrive();
            QTRY_VERIFY(QFile::exists(file)); // saved while running, without shutdown
            QCOMPARE(store->load("stage", "x").state.value("position").toDouble(), 7.5);
            host.call("x", "set_position", {8.0});
            qobject_cast<TestStage *>(host.device("x"))->arrive();
            waitFor(host.shutdown()); // and at shutdown
        }
        QCOMPARE(store->load("stage", "x").state.value("position").toDouble(), 8.0);
        {
            DeviceHost host(testDrivers(), store, options);
            host.open({settings("x", "stage")});
            QCOMPARE(host.call("x", "get_position").toDouble(), 8.0);
            waitFor(host.shutdown());
        }
        {
            QFile corrupt(file);
            QVERIFY(corrupt.open(QIODevice::WriteOnly));
            corrupt.write("position = [unterminated\n");
        }
        {
            DeviceHost host(testDrivers(), store, options);
            QTest::ignoreMessage(
                QtWarningMsg, QRegularExpression(QRegularExpression::escape(file)));
            host.open({settings("x", "stage")});
            QCOMPARE(host.call("x", "get_position").toDouble(), 0.0); // defaults
            waitFor(host.shutdown());
        }
        const QStringList aside
            = QDir(QFileInfo(file).path()).entryList({"x-state.toml.corrupt-*"});
        QCOMPARE(aside.size(), 1); // set aside, not deleted
    }

    // Issue 18: a device in fault for its table's errors was a bare device with no state, whose
    // first save wiped the position saved before. It writes nothing until a device is restored.
    void aDeviceNotCreatedNeverWritesItsState()
    {
        QTemporaryDir dir;
        auto store = std::make_shared<StateStore>(dir.path());
        store->save("stage", "x", {{"position", 7.5}, {"destination", 7.5}});
        const QString file = store->pathFor("stage", "x");
        const QByteArray saved = [&] {
            QFile f(file);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        DeviceHost::Options options;
        options.saveIntervalBusy = 10ms;
        options.saveIntervalIdle = 10ms;
        DeviceHost host(testDrivers(), store, options);
        bool fixed = false;
        QTest::ignoreMessage(
            QtWarningMsg, "x is in fault: could not be created: lab.toml:2:1: typo");
        host.open({settings("x", "stage")},
            [&fixed](const QString &name) -> DeviceSettings {
                if (!fixed)
                    throw std::runtime_error("lab.toml:2:1: still a typo");
                return settings(name, "stage");
            },
            {{"x", {"lab.toml:2:1: typo"}}});
        QCOMPARE(toString(host.device("x")->status()), toString(DeviceStatus::Fault));
        QTest::qWait(50); // five save intervals
        QTest::ignoreMessage(QtWarningMsg,
            "x is in fault: could not re-read its settings: lab.toml:2:1: still a typo");
        waitFor(host.restart("x"));
        QTest::qWait(50);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), saved);
        f.close();

        // Fixed: the restart creates it (the table errors went with the re-read) and restores it.
        fixed = true;
        waitFor(host.restart("x"));
        QCOMPARE(toString(host.device("x")->status()), toString(DeviceStatus::Ready));
        QCOMPARE(host.call("x", "get_position").toDouble(), 7.5);
        waitFor(host.shutdown());
        QCOMPARE(store->load("stage", "x").state.value("position").toDouble(), 7.5);
    }

    void aStateWithNanIsSavedOnceNotAtEveryInterval()
    {
        QTemporaryDir dir;
        auto store = std::make_shared<StateStore>(dir.path());
        DeviceHost::Options options;
        options.saveIntervalBusy = 10ms;
        options.saveIntervalIdle = 10ms;
        const QString file = store->pathFor("stage", "x");
        DeviceHost host(testDrivers(), store, options);
        host.open({settings("x", "stage")});
        qobject_cast<TestStage *>(host.device("x"))->report(qQNaN());
        QTRY_VERIFY(QFile::exists(file));
        QTest::qWait(50); // the save of the NaN state is done
        const QDateTime saved = QFileInfo(file).lastModified();
        QTest::qWait(200); // twenty save intervals
        QCOMPARE(QFileInfo(file).lastModified(), saved);
        waitFor(host.shutdown());
    }

    void bindingsTriggerOtherDevices()
    {
        DeviceHost host(testDrivers(), nullptr);
        host.open({settings("meter", "sensor"),
            settings("pedal", "panel", {{"on_press", QVariantMap{{"foot", "meter.measure"}}}}),
            settings("panel2", "panel", {{"on_press", QVariantMap{{"foot", "nobody.measure"}}}})});
        auto *pedal = qobject_cast<TestPanel *>(host.device("pedal"));
        pedal->press("foot");
        auto *meter = qobject_cast<TestSensor *>(host.device("meter"));
        QVERIFY(meter->busy());
        QTRY_COMPARE(meter->measurementId(), 0);
        pedal->press("foot");
        QTRY_COMPARE(meter->measurementId(), 1);

        QSignalSpy failed(&host, &DeviceHost::bindingFailed);
        QTest::ignoreMessage(QtWarningMsg,
            "binding panel2.foot on_press → nobody.measure failed: there is no device nobody in "
            "this lab");
        qobject_cast<TestPanel *>(host.device("panel2"))->press("foot");
        QCOMPARE(failed.count(), 1);
        waitFor(host.shutdown());
    }

    void callAndWaitGivesTheOutcome()
    {
        DeviceHost host(testDrivers(), nullptr);
        host.open({settings("meter", "sensor"), settings("stage", "stage")});
        const QVariantMap measured = waitFor(host.callAndWait("meter", "measure")).toMap();
        QCOMPARE(measured.value("measurement_id").toInt(), 0);
        QTimer::singleShot(
            10ms, this, [&host] { qobject_cast<TestStage *>(host.device("stage"))->arrive(); });
        QCOMPARE(waitFor(host.callAndWait("stage", "set_position", {3.0})).toDouble(), 3.0);
        waitFor(host.shutdown());
    }

    // The copy in the host ignored `error` for set_position while moveTo() threw it: one path
    // now, for every acting message.
    void callAndWaitThrowsTheErrorOfAnActingCall()
    {
        DeviceHost host(testDrivers(), nullptr);
        host.open({settings("stage", "stage", {{"stall", true}})});
        QTest::ignoreMessage(QtWarningMsg, "stage: stalled");
        QString error;
        waitFor([&]() -> QCoro::Task<> {
            try {
                co_await host.callAndWait("stage", "set_position", {3.0});
            } catch (const DeviceError &e) {
                error = e.message();
            }
        }());
        QCOMPARE(error, QStringLiteral("stage: stalled"));
        // A reading call does not repeat an earlier call's failure.
        QCOMPARE(waitFor(host.callAndWait("stage", "get_position")).toDouble(), 0.0);
        waitFor(host.shutdown());
    }

    void callNowOrLaterAnswersALocalDeviceAtOnce()
    {
        DeviceHost host(testDrivers(), nullptr);
        host.open({settings("stage", "stage")});
        std::optional<DeviceHost::CallOutcome> outcome;
        QVERIFY(host.callNowOrLater(
            "stage", "get_units", {}, [&](DeviceHost::CallOutcome o) { outcome = o; }));
        QVERIFY(outcome);
        QVERIFY(!outcome->late);
        QVERIFY(!outcome->error);
        QCOMPARE(outcome->value.toString(), QStringLiteral("mm"));

        outcome.reset();
        QVERIFY(host.callNowOrLater(
            "nobody", "get_units", {}, [&](DeviceHost::CallOutcome o) { outcome = o; }));
        QVERIFY(outcome && outcome->error);
        waitFor(host.shutdown());
    }
};

QTEST_GUILESS_MAIN(TestDeviceHost)
#include "tst_devicehost.moc"
