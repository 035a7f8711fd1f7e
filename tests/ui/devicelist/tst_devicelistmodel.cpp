// SPDX-License-Identifier: MIT
// The device list's model: sim devices run by a real host on a device thread show idle, busy,
// fault, disconnected and stale as they really get there; scripted handles cover what a host
// cannot be made to do on cue.
#include "scriptedhandle.h"
#include "uitestsupport.h"

#include <devicelist/devicelistmodel.h>

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::UiTest;
using Benchtop::Ui::DeviceListModel;

namespace {

using namespace std::chrono_literals;

QString statusOf(const DeviceListModel &model, const QString &device)
{
    return model.index(model.rowOf(device), DeviceListModel::StatusColumn).data().toString();
}

QString toolTipOf(const DeviceListModel &model, const QString &device)
{
    return model.index(model.rowOf(device), DeviceListModel::StatusColumn)
        .data(Qt::ToolTipRole)
        .toString();
}

/// The statuses `spy` (on statusChanged) reported for `device`, in order.
QStringList statusesOf(const QSignalSpy &spy, const QString &device)
{
    QStringList statuses;
    for (const QList<QVariant> &arguments : spy) {
        if (arguments.at(0).toString() == device)
            statuses << arguments.at(1).toString();
    }
    return statuses;
}

/// Holds the device thread in a wait until released, as a driver blocking it would: nothing
/// reaches the handles meanwhile.
class DeviceThreadBlocker {
public:
    explicit DeviceThreadBlocker(QObject *onDeviceThread)
    {
        QMetaObject::invokeMethod(onDeviceThread, [gate = m_gate] { gate->acquire(); });
    }
    ~DeviceThreadBlocker() { release(); }
    DeviceThreadBlocker(const DeviceThreadBlocker &) = delete;
    DeviceThreadBlocker &operator=(const DeviceThreadBlocker &) = delete;

    void release()
    {
        if (!std::exchange(m_released, true))
            m_gate->release();
    }

private:
    std::shared_ptr<QSemaphore> m_gate = std::make_shared<QSemaphore>();
    bool m_released = false;
};

DeviceSnapshot snapshotOf(DeviceStatus status, bool busy = false,
    LinkState link = LinkState::Connected, const QString &fault = {})
{
    DeviceSnapshot snapshot;
    snapshot.status = status;
    snapshot.busy = busy;
    snapshot.link = link;
    snapshot.fault = fault;
    return snapshot;
}

} // namespace

class TestDeviceListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void showsBusyDuringAMove()
    {
        SimLab lab(R"(
[stage]
driver = "sim-motor"
speed = 20.0
acceleration = 1000.0

[meter]
driver = "sim-sensor"
channels = ["voltage"]
)");
        auto stage = lab.handle("stage");
        auto meter = lab.handle("meter");
        DeviceListModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy statuses(&model, &DeviceListModel::statusChanged);
        QVERIFY(model.addHandle(stage.get()));
        QVERIFY(model.addHandle(meter.get()));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.handle(model.rowOf("meter")), meter.get());

        QTRY_COMPARE(statusOf(model, "stage"), QStringLiteral("idle"));
        QTRY_COMPARE(statusOf(model, "meter"), QStringLiteral("idle"));
        QCOMPARE(model.index(model.rowOf("stage"), DeviceListModel::KindColumn).data(),
            QStringLiteral("sim-motor"));

        auto move = stage->moveTo(10.0); // half a second at 20 mm/s
        QTRY_COMPARE(statusOf(model, "stage"), QStringLiteral("busy"));
        QCOMPARE(model.index(model.rowOf("stage"), 0).data(DeviceListModel::StatusRole),
            QStringLiteral("busy"));
        QCOMPARE(waitFor(std::move(move)), 10.0);
        QTRY_COMPARE(statusOf(model, "stage"), QStringLiteral("idle"));
        QCOMPARE(statusesOf(statuses, "stage"),
            QStringList({QStringLiteral("idle"), QStringLiteral("busy"), QStringLiteral("idle")}));
        QCOMPARE(statusesOf(statuses, "meter"), QStringList({QStringLiteral("idle")}));
        QCOMPARE(model.faultCount(), 0);
        QCOMPARE(model.staleCount(), 0);
    }

    void showsAFaultWithItsReason()
    {
        // Every poll of update_state times out; the third in a row is a fault.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^meter is in fault: .*timed out"));
        SimLab lab(R"(
[meter]
driver = "sim-sensor"
channels = ["voltage"]
timeout_rate = 1.0
)");
        auto meter = lab.handle("meter");
        DeviceListModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy statuses(&model, &DeviceListModel::statusChanged);
        QSignalSpy counts(&model, &DeviceListModel::countsChanged);
        model.addHandle(meter.get());

        QTRY_COMPARE(statusOf(model, "meter"), QStringLiteral("fault"));
        QVERIFY(!meter->snapshot().fault.isEmpty());
        QCOMPARE(toolTipOf(model, "meter"), "fault: " + meter->snapshot().fault);
        QCOMPARE(model.index(0, DeviceListModel::NameColumn).data(DeviceListModel::StatusTextRole),
            "fault: " + meter->snapshot().fault);
        QCOMPARE(model.reason(0), meter->snapshot().fault);
        QVERIFY(model.index(0, DeviceListModel::NameColumn).data(Qt::BackgroundRole).isValid());
        QCOMPARE(model.faultCount(), 1);
        QVERIFY(!counts.isEmpty());
        const QList<QVariant> &last = statuses.constLast();
        QCOMPARE(last.at(1).toString(), QStringLiteral("fault"));
        QCOMPARE(last.at(2).toString(), meter->snapshot().fault);
    }

    void showsALostLinkAsDisconnected()
    {
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression("^stage is in fault: .*stage: connection lost$"));
        SimLab lab(R"(
[stage]
driver = "sim-motor"
disconnect_after_s = 0.2
)");
        auto stage = lab.handle("stage");
        DeviceListModel model;
        QAbstractItemModelTester tester(&model);
        model.addHandle(stage.get());

        QTRY_COMPARE(statusOf(model, "stage"), QStringLiteral("disconnected"));
        QTRY_VERIFY(stage->snapshot().status == DeviceStatus::Fault);
        QTRY_VERIFY(toolTipOf(model, "stage").endsWith("stage: connection lost"));
        QVERIFY(toolTipOf(model, "stage").startsWith("disconnected: "));
        QCOMPARE(statusOf(model, "stage"), QStringLiteral("disconnected"));
        // Counted once, by the word the list shows.
        QCOMPARE(model.disconnectedCount(), 1);
        QCOMPARE(model.faultCount(), 0);
    }

    // A driver that reconnects by itself (SCPI, Modbus): not in fault, disconnected with the
    // reason its link is down, and back to idle once reconnected.
    void showsWhyAReconnectingDeviceIsDisconnected()
    {
        DeviceListModel model;
        QAbstractItemModelTester tester(&model);
        ScriptedHandle dmm(QStringLiteral("dmm"));
        model.addHandle(&dmm);
        QSignalSpy statuses(&model, &DeviceListModel::statusChanged);
        DeviceSnapshot down = snapshotOf(DeviceStatus::Ready, false, LinkState::Disconnected);
        down.values.insert(
            QStringLiteral("link_error"), QStringLiteral("tcp 10.0.0.5:5025: Connection refused"));
        dmm.deliver(down);
        QCOMPARE(statusOf(model, "dmm"), QStringLiteral("disconnected"));
        QCOMPARE(toolTipOf(model, "dmm"),
            QStringLiteral("disconnected: tcp 10.0.0.5:5025: Connection refused"));
        QCOMPARE(model.faultCount(), 0);
        QCOMPARE(model.disconnectedCount(), 1);
        QCOMPARE(statuses.constLast().at(2).toString(),
            QStringLiteral("tcp 10.0.0.5:5025: Connection refused"));
        dmm.deliver(snapshotOf(DeviceStatus::Ready));
        QCOMPARE(statusOf(model, "dmm"), QStringLiteral("idle"));
        QCOMPARE(model.disconnectedCount(), 0);
    }

    void showsASilentDeviceAsStaleUntilHeardAgain()
    {
        // A signal publishes a reading every 10 ms, so only a stuck device thread keeps it quiet.
        SimLab lab(R"(
[wave]
driver = "sim-signal"
rate_hz = 100.0
)");
        auto wave = lab.handle("wave");
        DeviceListModel model;
        QAbstractItemModelTester tester(&model);
        model.setStaleAfter(300ms);
        QSignalSpy statuses(&model, &DeviceListModel::statusChanged);
        model.addHandle(wave.get());
        QTRY_COMPARE(statusOf(model, "wave"), QStringLiteral("idle"));

        DeviceThreadBlocker blocker(lab.host());
        QTRY_COMPARE(statusOf(model, "wave"), QStringLiteral("stale"));
        QCOMPARE(model.staleCount(), 1);
        QVERIFY(toolTipOf(model, "wave").startsWith("stale: nothing heard since "));
        QCOMPARE(statuses.constLast().at(1).toString(), QStringLiteral("stale"));

        blocker.release();
        QTRY_COMPARE(statusOf(model, "wave"), QStringLiteral("idle"));
        QCOMPARE(model.staleCount(), 0);
        QCOMPARE(toolTipOf(model, "wave"), QString());
        QCOMPARE(statusesOf(statuses, "wave"),
            QStringList({QStringLiteral("idle"), QStringLiteral("stale"), QStringLiteral("idle")}));
    }

    void showsAHandleNeverAnsweredAsStale()
    {
        SimLab lab(R"(
[stage]
driver = "sim-motor"
)");
        auto ghost = lab.handle("ghost"); // the host has no such device and never sends
        DeviceListModel model;
        model.setStaleAfter(300ms);
        model.addHandle(ghost.get());
        QCOMPARE(statusOf(model, "ghost"), QStringLiteral("connecting"));
        QTRY_COMPARE(statusOf(model, "ghost"), QStringLiteral("stale"));
        QCOMPARE(toolTipOf(model, "ghost"), QStringLiteral("stale: nothing heard from it yet"));
        QCOMPARE(model.staleCount(), 1);
    }

    void changesOnlyRowsWhoseShownDataChanged()
    {
        DeviceListModel model;
        QAbstractItemModelTester tester(&model);
        std::vector<std::unique_ptr<ScriptedHandle>> handles;
        for (int i = 0; i < 1000; ++i) {
            handles.push_back(std::make_unique<ScriptedHandle>(QStringLiteral("device-%1").arg(i)));
            model.addHandle(handles.back().get());
            handles.back()->deliver(snapshotOf(DeviceStatus::Ready));
        }
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy statuses(&model, &DeviceListModel::statusChanged);
        for (int round = 0; round < 10; ++round) {
            for (auto &handle : handles) {
                DeviceSnapshot snapshot = snapshotOf(DeviceStatus::Ready);
                snapshot.values.insert(QStringLiteral("position"), round);
                handle->deliver(snapshot);
            }
        }
        QCOMPARE(changed.count(), 0);

        handles[500]->deliver(snapshotOf(DeviceStatus::Ready, true));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 500);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 500);
        QCOMPARE(statuses.count(), 1);
        QCOMPARE(statuses.at(0).at(0).toString(), QStringLiteral("device-500"));
    }

    void removesRows()
    {
        DeviceListModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy counts(&model, &DeviceListModel::countsChanged);
        auto a = std::make_unique<ScriptedHandle>("a");
        auto b = std::make_unique<ScriptedHandle>("b");
        auto c = std::make_unique<ScriptedHandle>("c");
        for (ScriptedHandle *handle : {a.get(), b.get(), c.get()})
            QVERIFY(model.addHandle(handle));
        ScriptedHandle twin("b");
        QVERIFY(!model.addHandle(&twin));
        b->deliver(snapshotOf(DeviceStatus::Fault, false, LinkState::Connected, "broken"));
        QCOMPARE(model.faultCount(), 1);
        QCOMPARE(counts.count(), 1);

        QVERIFY(model.removeHandle("b"));
        QVERIFY(!model.removeHandle("b"));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf("b"), -1);
        QCOMPARE(model.rowOf("c"), 1);
        QCOMPARE(model.faultCount(), 0);
        QCOMPARE(counts.count(), 2);
        b->deliver(snapshotOf(DeviceStatus::Ready, true)); // no longer listened to

        c->deliver(snapshotOf(DeviceStatus::Ready, true));
        QCOMPARE(model.index(1, DeviceListModel::StatusColumn).data(), QStringLiteral("busy"));

        a.reset(); // a handle destroyed while listed leaves the list
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowOf("c"), 0);
        QCOMPARE(model.handle(0), c.get());
        QCOMPARE(model.handle(1), nullptr);
    }

    void drawsEveryStatus()
    {
        DeviceListModel model;
        QAbstractItemModelTester tester(&model);
        model.setStaleAfter(200ms);
        struct Device {
            const char *name;
            const char *kind;
            DeviceSnapshot snapshot;
        };
        const std::vector<Device> devices{
            {"stage-x", "sim-motor", snapshotOf(DeviceStatus::Ready)},
            {"stage-y", "sim-motor", snapshotOf(DeviceStatus::Ready, true)},
            {"spectrometer", "sim-sensor",
                snapshotOf(DeviceStatus::Fault, false, LinkState::Connected,
                    "update_state failed: spectrometer: poll timed out")},
            {"lock-in", "tcp-lockin",
                snapshotOf(DeviceStatus::Ready, false, LinkState::Connecting)},
            {"shutter", "serial-shutter",
                snapshotOf(DeviceStatus::Fault, false, LinkState::Disconnected,
                    "update_state failed: shutter: connection lost")},
            {"old-stage", "sim-motor", snapshotOf(DeviceStatus::Stopped)},
        };
        std::vector<std::unique_ptr<ScriptedHandle>> handles;
        for (const Device &device : devices) {
            handles.push_back(std::make_unique<ScriptedHandle>(device.name, device.kind));
            model.addHandle(handles.back().get());
        }
        ScriptedHandle silent("camera", "sim-camera");
        model.addHandle(&silent);
        QTRY_COMPARE(statusOf(model, "camera"), QStringLiteral("stale"));
        for (std::size_t i = 0; i < devices.size(); ++i)
            handles[i]->deliver(devices[i].snapshot);

        const QStringList expected{
            "idle", "busy", "fault", "connecting", "disconnected", "stopped", "stale"};
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex status = model.index(row, DeviceListModel::StatusColumn);
            QCOMPARE(status.data().toString(), expected.at(row));
            QVERIFY(!status.data(Qt::DecorationRole).value<QIcon>().isNull());
            QVERIFY(status.data(Qt::ForegroundRole).value<QColor>().isValid());
            const bool tinted = status.data(Qt::BackgroundRole).isValid();
            QCOMPARE(tinted,
                expected.at(row) == "fault" || expected.at(row) == "disconnected"
                    || expected.at(row) == "stale");
        }

        QTableView view;
        view.setModel(&model);
        view.verticalHeader()->hide();
        view.horizontalHeader()->setStretchLastSection(true);
        view.resizeColumnsToContents();
        view.resize(420, 260);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QAbstractItemView &asItemView = view;
        for (int column = 0; column < DeviceListModel::ColumnCount; ++column)
            QVERIFY(view.columnWidth(column) >= asItemView.sizeHintForColumn(column));
        if (const QByteArray dir = qgetenv("BENCHTOP_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(view.grab().save(QString::fromLocal8Bit(dir) + "/devicelist.png"));
    }
};

QTEST_MAIN(TestDeviceListModel)
#include "tst_devicelistmodel.moc"
