// SPDX-License-Identifier: MIT
// The UI tests' lab of sim devices (uitestsupport.h): the plugin loads, the devices run on
// their own thread in a LabSession, and handles on this thread see their state and call them.
#include "uitestsupport.h"

#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::UiTest;

class TestSimLab : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void handlesSeeAndCallSimDevices()
    {
        SimLab lab(R"(
[stage]
driver = "sim-motor"
speed = 1000.0
acceleration = 100000.0

[meter]
driver = "sim-sensor"
channels = ["voltage"]
integration_ms = 1
)");
        auto stage = lab.handle("stage");
        auto meter = lab.handle("meter");
        QTRY_COMPARE(stage->description().kind, QStringLiteral("sim-motor"));
        QVERIFY(stage->description().traits.contains("has-position"));
        QCOMPARE(waitFor(stage->moveTo(2.0)), 2.0);
        QTRY_COMPARE(stage->snapshot().values.value("position").toDouble(), 2.0);
        const QVariantMap measured = waitFor(meter->measure());
        QVERIFY(measured.contains("voltage"));
        QTRY_COMPARE(meter->snapshot().values.value("measurement_id").toInt(),
            measured.value("measurement_id").toInt());
        QVERIFY(meter->lastHeard() > std::chrono::steady_clock::time_point());
        // A LabSession runs it, with a handle per device of its own, as the window's.
        QCOMPARE(lab.devices().size(), 2);
        QCOMPARE(lab.session().path(), lab.path());
        QTRY_COMPARE(
            lab.session().handle("stage")->snapshot().values.value("position").toDouble(), 2.0);
        QVERIFY(lab.stop());
        QVERIFY(!lab.session().isOpen());
    }
};

QTEST_MAIN(TestSimLab)
#include "tst_simlab.moc"
