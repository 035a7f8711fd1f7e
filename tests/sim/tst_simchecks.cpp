// SPDX-License-Identifier: MIT
// The sim driver's own rules (checkSimConfig): what SimFactory::checkConfig tells the lab
// checker, and that a device created without the checker is refused for the same reason, in the
// same words.
#include "simtestsupport.h"

#include "simchecks.h"
#include "simfactory.h"

#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Sim;
using namespace Benchtop::SimTest;

namespace {

QString describe(const QList<ConfigProblem> &problems)
{
    QStringList lines;
    for (const ConfigProblem &p : problems)
        lines << QStringLiteral("[%1|%2] %3").arg(p.key, p.isError() ? "E" : "W", p.message);
    return lines.join('\n');
}

/// What creating the device says, or "" when it is created.
QString creationError(const DeviceSettings &settings)
{
    try {
        SimFactory factory;
        std::unique_ptr<Device> device(factory.create(settings));
        device->stopTasksNow();
        return {};
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
}

} // namespace

class TestSimChecks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void rules_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QVariantMap>("overrides");
        QTest::addColumn<QString>("problems");

        QTest::newRow("motor: defaults") << "sim-motor" << QVariantMap{} << "";
        QTest::newRow("motor: limits beyond the travel")
            << "sim-motor" << QVariantMap{{"limits", QVariantList{200.0, 300.0}}}
            << "[limits|E] key \"limits\" [200, 300] does not overlap hw_limits [-110, 110]";
        QTest::newRow("motor: limits reaching beyond the travel")
            << "sim-motor" << QVariantMap{{"limits", QVariantList{-200.0, 50.0}}}
            << "[limits|W] key \"limits\" [-200, 50] reaches beyond hw_limits [-110, 110]: the "
               "limits in force are [-110, 50]";
        QTest::newRow("motor: switch beyond the travel")
            << "sim-motor" << QVariantMap{{"home_position", 500.0}}
            << "[home_position|E] key \"home_position\" (500) is outside hw_limits [-110, 110]";
        QTest::newRow("sensor: no channel")
            << "sim-sensor" << QVariantMap{{"channels", QStringList{}}}
            << "[channels|E] key \"channels\" must name at least one";
        QTest::newRow("sensor: a channel twice")
            << "sim-sensor" << QVariantMap{{"channels", QStringList{"a", "a"}}}
            << "[channels[1]|E] key \"channels\" names \"a\" twice";
        QTest::newRow("sensor: a blank channel")
            << "sim-sensor" << QVariantMap{{"channels", QStringList{"a", " "}}}
            << "[channels[1]|E] key \"channels\" has an empty name";
        QTest::newRow("sensor: a reserved channel")
            << "sim-sensor" << QVariantMap{{"channels", QStringList{"measurement_id"}}}
            << "[channels|E] key \"channels\" may not name measurement_id";
        QTest::newRow("motor: reconnecting a connection never lost")
            << "sim-motor" << QVariantMap{{"reconnect_after_s", 1.0}}
            << "[reconnect_after_s|W] key \"reconnect_after_s\" has no effect without "
               "disconnect_after_s (a connection that is never lost)";
        QTest::newRow("sensor: lost and back")
            << "sim-sensor" << QVariantMap{{"disconnect_after_s", 1.0}, {"reconnect_after_s", 1.0}}
            << "";
        QTest::newRow("wheel: no slot")
            << "sim-filter-wheel" << QVariantMap{{"slots", QStringList{}}}
            << "[slots|E] key \"slots\" must name at least one";
        QTest::newRow("digital: no lines at all")
            << "sim-digital" << QVariantMap{{"inputs", QStringList{}}, {"outputs", QStringList{}}}
            << "";
        QTest::newRow("digital: a line both ways")
            << "sim-digital" << QVariantMap{{"outputs", QStringList{"red", "foot"}}}
            << "[outputs[1]|E] key \"outputs\" names \"foot\", which is also an input";
        QTest::newRow("digital: binding an output")
            << "sim-digital" << QVariantMap{{"on_press", QVariantMap{{"red", "stage.home"}}}}
            << "[on_press.red|E] key \"on_press\" binds \"red\", which is not an input (inputs: "
               "foot, button)";
        QTest::newRow("signal: a reserved channel")
            << "sim-signal" << QVariantMap{{"channel", "measurement_id"}}
            << "[channel|E] key \"channel\" must be a name other than measurement_id, not "
               "\"measurement_id\"";
        QTest::newRow("signal: a blank channel")
            << "sim-signal" << QVariantMap{{"channel", " "}}
            << "[channel|E] key \"channel\" must be a name other than measurement_id, not \" \"";
    }

    void rules()
    {
        QFETCH(QString, kind);
        QFETCH(QVariantMap, overrides);
        QFETCH(QString, problems);
        const DeviceSettings dut = settings(kind, overrides);
        const QList<ConfigProblem> found = SimFactory().checkConfig(dut);
        QCOMPARE(describe(found), problems);

        // Each rule once: the device refuses the errors in the checker's words, and takes
        // what only warns.
        QStringList errors;
        for (const ConfigProblem &p : found) {
            if (p.isError())
                errors << p.message;
        }
        QCOMPARE(creationError(dut),
            errors.isEmpty() ? QString() : "device \"dut\": " + errors.join("; "));
    }

    // A config that has not been through the schema check: the typed reads say what is wrong.
    void aValueOfTheWrongTypeIsLeftToTheTypedReads()
    {
        // Not normalized (no lab checker): a number where names are expected.
        const DeviceSettings dut = settings("sim-sensor", {{"channels", QVariantList{1, 1}}});
        QVERIFY(SimFactory().checkConfig(dut).isEmpty());
        QVERIFY(creationError(dut).contains("config key channels must be a list of strings"));
    }
};

QTEST_GUILESS_MAIN(TestSimChecks)
#include "tst_simchecks.moc"
