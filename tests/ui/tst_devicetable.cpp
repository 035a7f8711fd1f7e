// SPDX-License-Identifier: MIT
// The device list of the main window, fed by real handles from a host on a device thread.
#include "testdevices.h"
#include "testsupport.h"

#include "devicetable.h"
#include "mainwindow.h"

#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/localdevicehandle.h>

#include <QLabel>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;

namespace {

std::unique_ptr<DeviceHost> makeHost()
{
    DeviceHost::Drivers drivers;
    drivers.create = [](const DeviceSettings &s) -> std::unique_ptr<Device> {
        if (s.kind == "stage")
            return std::make_unique<TestStage>(s);
        throw DeviceError("device \"broken\": key \"speed\" must be a number");
    };
    auto host = std::make_unique<DeviceHost>(drivers, nullptr);
    host->open({{"stage", "stage", {}}, {"broken", "nothing", {}}});
    return host;
}

} // namespace

class TestDeviceTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void showsDevicesLive()
    {
        DeviceThread thread;
        QTest::ignoreMessage(QtWarningMsg,
            "broken is in fault: could not be created: device \"broken\": key \"speed\" must be a "
            "number");
        DeviceHost *host = thread.start(makeHost);
        {
            Ui::MainWindow window;
            std::vector<std::unique_ptr<DeviceHandle>> handles;
            handles.push_back(std::make_unique<LocalDeviceHandle>(host, "stage"));
            handles.push_back(std::make_unique<LocalDeviceHandle>(host, "broken"));
            window.showLab("test lab", std::move(handles),
                {"lab.toml:3:9: device \"broken\": key \"speed\" must be a number"});
            window.show();
            auto *table = window.findChild<Ui::DeviceTable *>("deviceTable");
            QVERIFY(table);
            QCOMPARE(table->topLevelItemCount(), 2);
            QTreeWidgetItem *stage = table->topLevelItem(0);
            QTRY_COMPARE(stage->text(Ui::DeviceTable::KindColumn), QStringLiteral("stage"));
            QCOMPARE(stage->text(Ui::DeviceTable::StatusColumn), QStringLiteral("ready"));
            QTRY_COMPARE(table->topLevelItem(1)->text(Ui::DeviceTable::StatusColumn),
                QStringLiteral("fault: could not be created: device \"broken\": key \"speed\" must "
                               "be a number"));
            auto *status = window.statusBar()->findChild<QLabel *>("loopStatusLabel");
            QTRY_COMPARE(status->text(), QStringLiteral("Device loop: 2 devices, 1 in fault"));
            QVERIFY(window.findChild<QPlainTextEdit *>("labErrors")
                        ->toPlainText()
                        .contains("lab.toml:3:9"));

            QMetaObject::invokeMethod(host, [host] { host->call("stage", "set_position", {2.5}); });
            QTRY_COMPARE(stage->text(Ui::DeviceTable::StatusColumn), QStringLiteral("busy"));
            QVERIFY(stage->text(Ui::DeviceTable::ValuesColumn).contains("destination = 2.5 mm"));
            QMetaObject::invokeMethod(
                host, [host] { qobject_cast<TestStage *>(host->device("stage"))->arrive(); });
            QTRY_COMPARE(stage->text(Ui::DeviceTable::StatusColumn), QStringLiteral("ready"));
            QVERIFY(stage->text(Ui::DeviceTable::ValuesColumn).contains("position = 2.5 mm"));
        }
        QVERIFY(thread.stop());
    }
};

QTEST_MAIN(TestDeviceTable)
#include "tst_devicetable.moc"
