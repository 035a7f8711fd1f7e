// SPDX-License-Identifier: MIT
// A driver plugin that fails at run time, loaded through the real loader (PluginRegistry, as the
// application does) into a DeviceHost: an exception thrown by its update_state, or by its
// constructor, becomes that device's fault with the exception's message; the other devices
// keep running; a restart brings it back, and it faults again with the error named.
#include "testsupport.h"

#include <device/device.h>
#include <device/deviceerror.h>
#include <host/devicehost.h>
#include <host/labloader.h>
#include <plugins/pluginregistry.h>

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;

namespace {

const QString kKind = QStringLiteral("fixture-update-throws");

DeviceSettings settings(const QString &name, QVariantMap config)
{
    return {name, kKind, std::move(config)};
}

// A device that never fails, stepping every 5 ms: the neighbour that must keep running.
DeviceSettings steady()
{
    return settings(QStringLiteral("steady"),
        {{QStringLiteral("fail_after"), -1}, {QStringLiteral("period_ms"), 5}});
}

int steps(const Device *device)
{
    return device ? device->values().value(QStringLiteral("steps")).toInt() : -1;
}

QString updateFault(int step)
{
    return QStringLiteral("update_state failed: simulated driver failure in update_state step %1")
        .arg(step);
}

} // namespace

class TestPluginFaults : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_registry.addSearchPath(QStringLiteral(BENCHTOP_FIXTURE_ROOT "/update-throws"));
        m_registry.scan();
        QCOMPARE(m_registry.refusals().size(), 0);
        QCOMPARE(m_registry.kinds(), QStringList{kKind});
    }

    void init() { failOnQtWarnings(); }

    // update_state runs three steps, then throws: the device faults with the exception's message
    // and refuses calls, its neighbour runs on, and a restart creates it anew, runs it and
    // faults it again.
    void updateStateThrowingFaultsItsDeviceAloneAndAgainAfterRestart()
    {
        DeviceHost host(driversFrom(m_registry), nullptr);
        QSignalSpy faulted(&host, &DeviceHost::deviceFaulted);
        const QByteArray warning = "flaky is in fault: " + updateFault(4).toUtf8();
        QTest::ignoreMessage(QtWarningMsg, warning.constData());
        host.open({settings(QStringLiteral("flaky"),
                       {{QStringLiteral("fail_after"), 3}, {QStringLiteral("period_ms"), 5}}),
            steady()});

        QTRY_COMPARE(faulted.count(), 1);
        QCOMPARE(faulted.at(0).at(0).toString(), QStringLiteral("flaky"));
        QCOMPARE(faulted.at(0).at(1).toString(), updateFault(4));
        QPointer<Device> flaky = host.device(QStringLiteral("flaky"));
        QVERIFY(flaky);
        QCOMPARE(toString(flaky->status()), toString(DeviceStatus::Fault));
        QCOMPARE(flaky->faultReason(), updateFault(4));
        QCOMPARE(steps(flaky), 3);
        QCOMPARE(flaky->snapshot().fault, updateFault(4)); // what handles are sent
        try {
            flaky->ensureReady();
            QFAIL("a device in fault accepted a call");
        } catch (const DeviceError &e) {
            QCOMPARE(e.message(),
                QStringLiteral("flaky is in fault (%1); restart it").arg(updateFault(4)));
        }

        Device *neighbour = host.device(QStringLiteral("steady"));
        QCOMPARE(toString(neighbour->status()), toString(DeviceStatus::Ready));
        int before = steps(neighbour);
        QTRY_VERIFY(steps(neighbour) > before);

        // Restart: a new device, ready when it starts, which runs its three steps and then
        // faults again with the same error.
        QStringList statusAtStart;
        connect(&host, &DeviceHost::deviceStarted, this, [&](const QString &name) {
            if (name == QLatin1String("flaky"))
                statusAtStart << toString(host.device(name)->status());
        });
        QTest::ignoreMessage(QtWarningMsg, warning.constData());
        waitFor(host.restart(QStringLiteral("flaky")));
        QVERIFY(!flaky); // destroyed, replaced
        QCOMPARE(statusAtStart, QStringList{toString(DeviceStatus::Ready)});
        QTRY_COMPARE(faulted.count(), 2);
        QCOMPARE(faulted.at(1).at(0).toString(), QStringLiteral("flaky"));
        QCOMPARE(faulted.at(1).at(1).toString(), updateFault(4));
        Device *again = host.device(QStringLiteral("flaky"));
        QCOMPARE(toString(again->status()), toString(DeviceStatus::Fault));
        QCOMPARE(again->faultReason(), updateFault(4));
        QCOMPARE(steps(again), 3);

        QCOMPARE(host.device(QStringLiteral("steady")), neighbour); // never restarted
        QCOMPARE(toString(neighbour->status()), toString(DeviceStatus::Ready));
        before = steps(neighbour);
        QTRY_VERIFY(steps(neighbour) > before);
        waitFor(host.shutdown());
        QVERIFY(host.abandonedDevices().isEmpty());
    }

    // Failing as it starts: update_state throws before its first pause, or the constructor
    // throws (then the registry reports the driver's failure). The device is in fault as soon
    // as the lab is open, its neighbour runs, and every restart ends the same way.
    void aDeviceFailingAsItStartsStaysInFaultAcrossRestarts_data()
    {
        QTest::addColumn<QVariantMap>("config");
        QTest::addColumn<QString>("reason");
        QTest::newRow("update_state's first step")
            << QVariantMap{{QStringLiteral("fail_after"), 0}} << updateFault(1);
        QTest::newRow("constructor")
            << QVariantMap{{QStringLiteral("throw_in_constructor"), true}}
            << QStringLiteral("could not be created: device \"broken\": driver "
                              "\"fixture-update-throws\" failed: simulated driver failure in "
                              "the constructor");
    }

    void aDeviceFailingAsItStartsStaysInFaultAcrossRestarts()
    {
        QFETCH(QVariantMap, config);
        QFETCH(QString, reason);
        DeviceHost host(driversFrom(m_registry), nullptr);
        const QByteArray warning = "broken is in fault: " + reason.toUtf8();
        QTest::ignoreMessage(QtWarningMsg, warning.constData());
        host.open({settings(QStringLiteral("broken"), config), steady()});
        QPointer<Device> broken = host.device(QStringLiteral("broken"));
        QVERIFY(broken);
        QCOMPARE(toString(broken->status()), toString(DeviceStatus::Fault));
        QCOMPARE(broken->faultReason(), reason);
        QCOMPARE(broken->snapshot().fault, reason);

        Device *neighbour = host.device(QStringLiteral("steady"));
        int before = steps(neighbour);
        QTRY_VERIFY(steps(neighbour) > before);

        for (int restart = 0; restart < 2; ++restart) {
            QTest::ignoreMessage(QtWarningMsg, warning.constData());
            waitFor(host.restart(QStringLiteral("broken")));
            QVERIFY(!broken);
            broken = host.device(QStringLiteral("broken"));
            QCOMPARE(toString(broken->status()), toString(DeviceStatus::Fault));
            QCOMPARE(broken->faultReason(), reason);
        }
        QCOMPARE(toString(neighbour->status()), toString(DeviceStatus::Ready));
        before = steps(neighbour);
        QTRY_VERIFY(steps(neighbour) > before);
        waitFor(host.shutdown());
        QVERIFY(host.abandonedDevices().isEmpty());
    }

private:
    PluginRegistry m_registry;
};

QTEST_GUILESS_MAIN(TestPluginFaults)
#include "tst_pluginfaults.moc"
