// SPDX-License-Identifier: MIT
// Device panels against real sim devices on a real device thread (SimLab), driven with real
// clicks: what the operator sees, what reaches the device, and what is refused.
#include "framestepper.h"
#include "scriptedhandle.h"
#include "uitestsupport.h"

#include <panels/devicepanel.h>
#include <widgets/ledindicator.h>

#include <async/event.h>

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::UiTest;
using Benchtop::Ui::DevicePanel;

namespace {

template<typename T>
T *find(const QWidget &panel, const QString &name)
{
    return panel.findChild<T *>(name);
}

/// A label's text, or a marker while the panel has not built it yet (QTRY_* keep polling).
QString textOf(const QWidget &panel, const QString &name)
{
    const auto *label = find<QLabel>(panel, name);
    return label ? label->text() : QStringLiteral("<no %1 yet>").arg(name);
}

double number(const QLabel *label)
{
    bool ok = false;
    const double x = label->text().toDouble(&ok);
    return ok ? x : qQNaN();
}

/// Every status line the panel showed, one per snapshot it received (connected after the panel,
/// so it reads what the panel has just drawn).
struct StatusLog {
    StatusLog(DeviceHandle *handle, const DevicePanel &panel)
        : label(find<QLabel>(panel, QStringLiteral("statusLabel")))
    {
        QObject::connect(
            handle, &DeviceHandle::snapshotChanged, label, [this] { texts << label->text(); });
    }
    QLabel *label;
    QStringList texts;
};

void typeInto(QDoubleSpinBox *spin, const QString &text)
{
    spin->selectAll();
    QTest::keyClicks(spin, text);
}

void sendWheel(QWidget *widget)
{
    const QPointF centre = QRectF(widget->rect()).center();
    QWheelEvent event(centre, widget->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
        Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &event);
}

DeviceDescription triggeredSensor()
{
    PropertyInfo channel{.name = "x",
        .getter = "get_measured",
        .stateKey = "measured/x",
        .units = "V",
        .controlKind = ControlKind::Hinted};
    return {.name = "meter",
        .kind = "scripted",
        .traits = {"is-daemon", "is-sensor", "has-measure-trigger"},
        .messages = {"measure", "stop_looping"},
        .properties = {channel}};
}

/// Counts the layout requests of a widget tree.
class LayoutRequests : public QObject {
public:
    explicit LayoutRequests(QWidget *root)
    {
        root->installEventFilter(this);
        for (QWidget *child : root->findChildren<QWidget *>())
            child->installEventFilter(this);
    }
    int count = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::LayoutRequest)
            ++count;
        return false;
    }
};

const QByteArray kFastStage = R"(
[stage]
driver = "sim-motor"
speed = 50.0
acceleration = 1000.0
)";

} // namespace

class TestDevicePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void headerNamesTheDeviceAndItsState()
    {
        SimLab lab(kFastStage);
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QCOMPARE(textOf(panel, "nameLabel"), QStringLiteral("stage"));
        QTRY_COMPARE(textOf(panel, "kindLabel"), QStringLiteral("sim-motor"));
        QTRY_COMPARE(textOf(panel, "statusLabel"), QStringLiteral("ready"));
        QVERIFY(find<QPushButton>(panel, "goButton"));
        QVERIFY(find<QPushButton>(panel, "homeButton"));
        QVERIFY(find<QPushButton>(panel, "stopButton"));
        QVERIFY(!find<QPushButton>(panel, "measureButton"));
        QCOMPARE(textOf(panel, "limitsLabel"), QStringLiteral("-100 … 100 mm; outside: closest"));
        QCOMPARE(find<QDoubleSpinBox>(panel, "targetSpin")->suffix(), QStringLiteral(" mm"));
    }

    void measureShowsTheValueAndItsId()
    {
        SimLab lab(R"(
[meter]
driver = "sim-sensor"
channels = ["signal", "reference"]
integration_ms = 20
)");
        auto meter = lab.handle("meter");
        DevicePanel panel(meter.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        QTRY_VERIFY(find<QPushButton>(panel, "measureButton"));
        auto *id = find<QLabel>(panel, "measurementIdLabel");
        auto *signal = find<QLabel>(panel, "channelValue:signal");
        QVERIFY(signal);
        QTRY_COMPARE(id->text(), QStringLiteral("—"));

        QTest::mouseClick(find<QPushButton>(panel, "measureButton"), Qt::LeftButton);
        QCOMPARE(actions.size(), 1);
        QCOMPARE(actions[0], (QVariantList{"meter", "Measure"}));
        QTRY_COMPARE(id->text(), QStringLiteral("0"));
        // sim-sensor's clean signal is 1 ± 0.05 on channel 0.
        QVERIFY2(qAbs(number(signal) - 1.0) < 0.1, qPrintable(signal->text()));
        QVERIFY(number(find<QLabel>(panel, "channelValue:reference")) > 0.5);
        QVERIFY(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d$"))
                    .match(textOf(panel, "lastMeasuredLabel"))
                    .hasMatch());
        QTRY_COMPARE(textOf(panel, "statusLabel"), QStringLiteral("ready"));
    }

    void spectraAreSummarised()
    {
        SimLab lab(R"(
[spectrometer]
driver = "sim-sensor"
channels = ["counts"]
points = 512
integration_ms = 1
)");
        auto spectrometer = lab.handle("spectrometer");
        DevicePanel panel(spectrometer.get());
        panel.show();
        QTRY_VERIFY(find<QPushButton>(panel, "measureButton"));
        QTest::mouseClick(find<QPushButton>(panel, "measureButton"), Qt::LeftButton);
        QTRY_VERIFY2(textOf(panel, "channelValue:counts").startsWith("[512 values]"),
            qPrintable(textOf(panel, "channelValue:counts")));
    }

    void goMovesAndShowsBusyThenThePosition()
    {
        SimLab lab(kFastStage);
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        QSignalSpy refused(&panel, &DevicePanel::inputRefused);
        StatusLog statuses(stage.get(), panel);
        QTRY_VERIFY(find<QPushButton>(panel, "goButton"));
        auto *target = find<QDoubleSpinBox>(panel, "targetSpin");
        QTRY_COMPARE(textOf(panel, "positionLabel"), QStringLiteral("0.000"));

        typeInto(target, "20");
        QCOMPARE(target->value(), 20.0);
        QTest::mouseClick(find<QPushButton>(panel, "goButton"), Qt::LeftButton);
        QCOMPARE(actions.size(), 1);
        QCOMPARE(actions[0], (QVariantList{"stage", "Go to 20.000 mm"}));
        QTRY_VERIFY(statuses.texts.contains("busy"));
        QTRY_COMPARE(textOf(panel, "positionLabel"), QStringLiteral("20.000"));
        QTRY_COMPARE(statuses.label->text(), QStringLiteral("ready"));
        QCOMPARE(textOf(panel, "destinationLabel"), QStringLiteral("20.000"));
        QCOMPARE(refused.size(), 0);
        QVERIFY(!find<QLabel>(panel, "messageLabel")->isVisible());
    }

    void relativeStepsMoveByTheStepSize()
    {
        SimLab lab(kFastStage);
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        QTRY_COMPARE(textOf(panel, "destinationLabel"), QStringLiteral("0.000"));
        typeInto(find<QDoubleSpinBox>(panel, "stepSpin"), "2.5");
        QTest::mouseClick(find<QPushButton>(panel, "stepUpButton"), Qt::LeftButton);
        QTRY_COMPARE(textOf(panel, "positionLabel"), QStringLiteral("2.500"));
        QTRY_COMPARE(textOf(panel, "destinationLabel"), QStringLiteral("2.500"));
        QTest::mouseClick(find<QPushButton>(panel, "stepDownButton"), Qt::LeftButton);
        QTest::mouseClick(find<QPushButton>(panel, "stepDownButton"), Qt::LeftButton);
        QTRY_COMPARE(textOf(panel, "positionLabel"), QStringLiteral("-2.500"));
        QCOMPARE(actions[0], (QVariantList{"stage", "Step +2.500 mm"}));
        QCOMPARE(actions[1], (QVariantList{"stage", "Step −2.500 mm"}));
    }

    void homeGoesBusyThenIdlesAtTheDestination()
    {
        SimLab lab(kFastStage);
        auto stage = lab.handle("stage");
        QCOMPARE(waitFor(stage->moveTo(5.0)), 5.0);
        DevicePanel panel(stage.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        StatusLog statuses(stage.get(), panel);
        QTRY_COMPARE(textOf(panel, "positionLabel"), QStringLiteral("5.000"));
        QCOMPARE(stage->snapshot().values.value("homed").toBool(), false);

        QTest::mouseClick(find<QPushButton>(panel, "homeButton"), Qt::LeftButton);
        QCOMPARE(actions[0], (QVariantList{"stage", "Home"}));
        QTRY_VERIFY(statuses.texts.contains("busy"));
        QTRY_VERIFY(stage->snapshot().values.value("homed").toBool());
        QTRY_COMPARE(statuses.label->text(), QStringLiteral("ready"));
        QCOMPARE(textOf(panel, "positionLabel"), QStringLiteral("5.000"));
        QCOMPARE(textOf(panel, "destinationLabel"), QStringLiteral("5.000"));
    }

    // A target outside the limits, per out_of_limits: "error" and "ignore" are refused by the
    // panel without a call, "closest" goes to the limit; each says why under the target.
    void outOfLimits_data()
    {
        QTest::addColumn<QByteArray>("policy");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("sent"); // the operator action, or empty: nothing sent
        QTest::addColumn<double>("spinAfter");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("positionAfter");
        QTest::newRow("error: refused, not sent")
            << QByteArray("error") << "50" << QString() << 50.0 // the spin box is not clamped
            << "Target 50 mm is above the upper limit 10 mm: refused (out_of_limits = error); "
               "not sent"
            << "0.0000";
        QTest::newRow("closest: clamped and said so")
            << QByteArray("closest") << "50"
            << "Go to 10.0000 mm" << 10.0
            << "Target 50 mm is above the upper limit 10 mm: moving to the limit instead"
            << "10.0000";
        QTest::newRow("ignore: the device would ignore it, not sent")
            << QByteArray("ignore") << "-20" << QString() << -20.0
            << "Target -20 mm is below the lower limit -10 mm: the device ignores such targets "
               "(out_of_limits = ignore); not sent"
            << "0.0000";
    }

    void outOfLimits()
    {
        QFETCH(QByteArray, policy);
        QFETCH(QString, target);
        QFETCH(QString, sent);
        QFETCH(double, spinAfter);
        QFETCH(QString, message);
        QFETCH(QString, positionAfter);
        SimLab lab(kFastStage + "limits = [-10.0, 10.0]\nout_of_limits = \"" + policy + "\"\n");
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        QSignalSpy refused(&panel, &DevicePanel::inputRefused);
        QTRY_COMPARE(textOf(panel, "destinationLabel"), QStringLiteral("0.0000"));

        typeInto(find<QDoubleSpinBox>(panel, "targetSpin"), target);
        QTest::mouseClick(find<QPushButton>(panel, "goButton"), Qt::LeftButton);
        QCOMPARE(find<QDoubleSpinBox>(panel, "targetSpin")->value(), spinAfter);
        auto *label = find<QLabel>(panel, "messageLabel");
        QVERIFY(label->isVisible());
        QCOMPARE(label->text(), message);
        if (sent.isEmpty()) {
            QCOMPARE(actions.size(), 0);
            QCOMPARE(refused.size(), 1);
            QCOMPARE(refused[0], (QVariantList{"stage", message}));
            // A round trip after the click: any call the panel had made would have been handled.
            QCOMPARE(waitFor(stage->call("get_destination")).toDouble(), 0.0);
            QCOMPARE(stage->snapshot().busy, false);
            QCOMPARE(textOf(panel, "destinationLabel"), QStringLiteral("0.0000"));
        } else {
            QCOMPARE(refused.size(), 0);
            QCOMPARE(actions.size(), 1);
            QCOMPARE(actions[0], (QVariantList{"stage", sent}));
        }
        QTRY_COMPARE(textOf(panel, "positionLabel"), positionAfter);
    }

    // "Moving to the limit instead" is said in the panel and for the log, and goes when it no
    // longer holds: a new target typed, or another move begun.
    void aClampNoticeIsLoggedAndGoesWhenNoLongerTrue()
    {
        SimLab lab(kFastStage + "limits = [-10.0, 10.0]\nout_of_limits = \"closest\"\n");
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QSignalSpy notified(&panel, &DevicePanel::notified);
        QTRY_COMPARE(textOf(panel, "destinationLabel"), QStringLiteral("0.0000"));
        auto *target = find<QDoubleSpinBox>(panel, "targetSpin");
        auto *label = find<QLabel>(panel, "messageLabel");
        const QString notice
            = "Target 50 mm is above the upper limit 10 mm: moving to the limit instead";

        typeInto(target, "50");
        QTest::mouseClick(find<QPushButton>(panel, "goButton"), Qt::LeftButton);
        QCOMPARE(label->text(), notice);
        QCOMPARE(notified.size(), 1);
        QCOMPARE(notified[0], (QVariantList{"stage", notice}));
        QTRY_COMPARE(textOf(panel, "positionLabel"), QStringLiteral("10.0000"));
        QVERIFY(label->isVisible()); // still true: it is at the limit instead
        QTest::keyClicks(target, "3"); // a new target typed
        QVERIFY(!label->isVisible());

        typeInto(target, "50");
        QTest::mouseClick(find<QPushButton>(panel, "goButton"), Qt::LeftButton);
        QVERIFY(label->isVisible());
        QTRY_COMPARE(textOf(panel, "destinationLabel"), QStringLiteral("10.0000"));
        waitFor(stage->call("set_position", {2.0})); // another move, from elsewhere
        QTRY_VERIFY(!label->isVisible());
    }

    void deviceErrorsAreShown()
    {
        // Homing takes ten seconds here; a Go meanwhile is refused by the device itself.
        SimLab lab(R"(
[stage]
driver = "sim-motor"
speed = 2.0
acceleration = 100.0
home_position = -20.0
)");
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QSignalSpy refused(&panel, &DevicePanel::inputRefused);
        QTRY_COMPARE(textOf(panel, "statusLabel"), QStringLiteral("ready"));
        QTest::mouseClick(find<QPushButton>(panel, "homeButton"), Qt::LeftButton);
        QTRY_COMPARE(textOf(panel, "statusLabel"), QStringLiteral("busy"));
        typeInto(find<QDoubleSpinBox>(panel, "targetSpin"), "1");
        QTest::mouseClick(find<QPushButton>(panel, "goButton"), Qt::LeftButton);
        const QString reason = QStringLiteral("stage is homing; wait for it or stop it");
        QTRY_COMPARE(refused.size(), 1);
        QCOMPARE(refused[0], (QVariantList{"stage", reason}));
        QCOMPARE(textOf(panel, "messageLabel"), reason);
        QTest::mouseClick(find<QPushButton>(panel, "stopButton"), Qt::LeftButton);
        QTRY_COMPARE(textOf(panel, "statusLabel"), QStringLiteral("ready"));
    }

    void stopEndsASlowMoveBeforeItsTarget()
    {
        SimLab lab(R"(
[stage]
driver = "sim-motor"
speed = 2.0
acceleration = 100.0
)");
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        QTRY_COMPARE(textOf(panel, "destinationLabel"), QStringLiteral("0.000"));
        typeInto(find<QDoubleSpinBox>(panel, "targetSpin"), "50");
        QTest::mouseClick(find<QPushButton>(panel, "goButton"), Qt::LeftButton);
        QTRY_COMPARE(textOf(panel, "statusLabel"), QStringLiteral("busy"));
        QTRY_COMPARE(textOf(panel, "destinationLabel"), QStringLiteral("50.000"));
        QTest::mouseClick(find<QPushButton>(panel, "stopButton"), Qt::LeftButton);
        QCOMPARE(actions.last(), (QVariantList{"stage", "Stop"}));
        QTRY_COMPARE(textOf(panel, "statusLabel"), QStringLiteral("ready"));
        // Stopped where it was: the destination is the position, short of the target.
        QTRY_COMPARE(textOf(panel, "destinationLabel"), textOf(panel, "positionLabel"));
        QVERIFY(number(find<QLabel>(panel, "positionLabel")) < 50.0);
    }

    void loopKeepsMeasuringUntilUnchecked()
    {
        SimLab lab(R"(
[meter]
driver = "sim-sensor"
channels = ["signal"]
integration_ms = 10
)");
        auto meter = lab.handle("meter");
        DevicePanel panel(meter.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        QTRY_VERIFY(find<QPushButton>(panel, "loopButton"));
        auto *loop = find<QPushButton>(panel, "loopButton");
        auto *id = find<QLabel>(panel, "measurementIdLabel");
        QVERIFY(loop->isCheckable());

        QTest::mouseClick(loop, Qt::LeftButton);
        QVERIFY(loop->isChecked());
        QVERIFY(!find<QPushButton>(panel, "measureButton")->isEnabled());
        QCOMPARE(actions[0], (QVariantList{"meter", "Loop on"}));
        QTRY_VERIFY(number(id) >= 3);
        const double seen = number(id);
        QTRY_VERIFY(number(id) > seen); // still increasing
        QVERIFY(loop->isChecked());

        QTest::mouseClick(loop, Qt::LeftButton);
        QVERIFY(!loop->isChecked());
        QCOMPARE(actions[1], (QVariantList{"meter", "Loop off"}));
        // A sim-sensor is busy for as long as it loops.
        QTRY_COMPARE(textOf(panel, "statusLabel"), QStringLiteral("ready"));
        const QString last = id->text();
        QCOMPARE(waitFor(meter->call("get_measurement_id")).toString(), last);
        QTest::qWait(100);
        QCOMPARE(id->text(), last);
        QVERIFY(find<QPushButton>(panel, "measureButton")->isEnabled());
    }

    void loopToggleFollowsTheDevice()
    {
        SimLab lab(R"(
[meter]
driver = "sim-sensor"
channels = ["signal"]
integration_ms = 10
)");
        auto meter = lab.handle("meter");
        DevicePanel panel(meter.get());
        panel.show();
        QTRY_VERIFY(find<QPushButton>(panel, "loopButton"));
        auto *loop = find<QPushButton>(panel, "loopButton");
        QTest::mouseClick(loop, Qt::LeftButton);
        QTRY_VERIFY(number(find<QLabel>(panel, "measurementIdLabel")) >= 2);
        waitFor(meter->call("stop")); // someone else ends the loop
        QTRY_VERIFY(!loop->isChecked());
        QVERIFY(find<QPushButton>(panel, "measureButton")->isEnabled());
    }

    void selectorMovesTheFilterWheel()
    {
        SimLab lab(R"(
[wheel]
driver = "sim-filter-wheel"
seconds_per_slot = 0.05
)");
        auto wheel = lab.handle("wheel");
        DevicePanel panel(wheel.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        QTRY_VERIFY(find<QComboBox>(panel, "identifierCombo"));
        auto *combo = find<QComboBox>(panel, "identifierCombo");
        auto *current = find<QLabel>(panel, "identifierLabel");
        QTRY_COMPARE(current->text(), QStringLiteral("open"));
        QCOMPARE(combo->currentText(), QStringLiteral("open"));
        QVERIFY(find<QPushButton>(panel, "discreteStopButton"));
        // In slot order, as the lab lists them (sim.json's default slots), not alphabetically.
        QStringList listed;
        for (int i = 0; i < combo->count(); ++i)
            listed << combo->itemText(i);
        QCOMPARE(listed, (QStringList{"open", "ND0.5", "ND1", "ND2", "red", "green"}));

        QStringList shown;
        connect(wheel.get(), &DeviceHandle::snapshotChanged, current,
            [&] { shown << current->text(); });
        combo->showPopup();
        QAbstractItemView *view = combo->view();
        QTRY_VERIFY(view->isVisible());
        // Chosen with the keyboard: the popup ignores a mouse release that follows its opening
        // within a double-click interval, as a test's click does.
        view->setCurrentIndex(view->model()->index(combo->findText("red"), 0));
        QTest::keyClick(view, Qt::Key_Return);
        QVERIFY(!view->isVisible());
        QCOMPARE(actions.size(), 1);
        QCOMPARE(actions[0], (QVariantList{"wheel", "Go to red"}));
        QTRY_COMPARE(current->text(), QStringLiteral("red"));
        QCOMPARE(wheel->snapshot().values.value("position_identifier").toString(),
            QStringLiteral("red"));
        QVERIFY(shown.contains("between positions"));
        QCOMPARE(combo->currentText(), QStringLiteral("red"));
    }

    void outputToggleSwitchesTheLine()
    {
        SimLab lab(R"(
[panel]
driver = "sim-digital"
)");
        auto io = lab.handle("panel");
        DevicePanel panel(io.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        QTRY_VERIFY(find<QPushButton>(panel, "output:red"));
        auto *red = find<QPushButton>(panel, "output:red");
        QVERIFY(red->isCheckable());
        QVERIFY(!red->isChecked());

        QTest::mouseClick(red, Qt::LeftButton);
        QCOMPARE(actions[0], (QVariantList{"panel", "Set red on"}));
        QTRY_VERIFY(io->snapshot().values.value("outputs").toMap().value("red").toBool());
        QVERIFY(red->isChecked());
        QVERIFY(!io->snapshot().values.value("outputs").toMap().value("green").toBool());

        QTest::mouseClick(red, Qt::LeftButton);
        QCOMPARE(actions[1], (QVariantList{"panel", "Set red off"}));
        QTRY_VERIFY(!io->snapshot().values.value("outputs").toMap().value("red").toBool());
        QVERIFY(!red->isChecked());

        // The toggle follows the device when something else switches the line.
        waitFor(io->call("set_output", {"green", true}));
        QTRY_VERIFY(find<QPushButton>(panel, "output:green")->isChecked());
    }

    void inputsShowTheirLevelAndLastEvent()
    {
        SimLab lab(R"(
[panel]
driver = "sim-digital"
poll_ms = 2
debounce_ms = 5
double_click_ms = 0
long_press_ms = 0
)");
        auto io = lab.handle("panel");
        DevicePanel panel(io.get());
        panel.show();
        QTRY_VERIFY(find<Ui::LedIndicator>(panel, "input:foot"));
        auto *lamp = find<Ui::LedIndicator>(panel, "input:foot");
        auto *event = find<QLabel>(panel, "inputEvent:foot");
        QVERIFY(!lamp->isOn());
        QCOMPARE(event->text(), QString());

        waitFor(io->call("press", {"foot"}));
        QTRY_VERIFY(lamp->isOn());
        QTRY_COMPARE(event->text(), QStringLiteral("pressed"));
        QVERIFY(!find<Ui::LedIndicator>(panel, "input:button")->isOn());

        waitFor(io->call("release", {"foot"}));
        QTRY_VERIFY(!lamp->isOn());
        QTRY_COMPARE(event->text(), QStringLiteral("released"));
    }

    void faultShowsAndDisablesControls()
    {
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression("^stage is in fault: .*connection lost"));
        SimLab lab(kFastStage + "disconnect_after_s = 0.3\n");
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QTRY_VERIFY(find<QPushButton>(panel, "goButton"));
        auto *status = find<QLabel>(panel, "statusLabel");
        QTRY_VERIFY2(status->text().startsWith("fault: "), qPrintable(status->text()));
        QVERIFY(status->text().contains("connection lost"));
        for (const char *name : {"goButton", "homeButton", "stopButton", "stepUpButton"})
            QVERIFY2(!find<QPushButton>(panel, name)->isEnabled(), name);
        QVERIFY(!find<QDoubleSpinBox>(panel, "targetSpin")->isEnabled());
        // What is shown stays readable: the advanced section still opens.
        QVERIFY(find<QToolButton>(panel, "advancedToggle")->isEnabled());
    }

    void controlsAreEnabledWhileReady()
    {
        SimLab lab(kFastStage);
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QTRY_COMPARE(textOf(panel, "statusLabel"), QStringLiteral("ready"));
        QVERIFY(find<QPushButton>(panel, "goButton")->isEnabled());
        QVERIFY(find<QDoubleSpinBox>(panel, "targetSpin")->isEnabled());
    }

    void wheelEventsDoNotChangeValues()
    {
        SimLab lab(kFastStage + R"(
[wheel]
driver = "sim-filter-wheel"
)");
        auto stage = lab.handle("stage");
        auto wheel = lab.handle("wheel");
        QWidget window;
        auto *stagePanel = new DevicePanel(stage.get(), &window);
        auto *wheelPanel = new DevicePanel(wheel.get(), &window);
        // Controls: the same event does change a plain spin box and a plain combo box.
        auto *plainSpin = new QDoubleSpinBox(&window);
        auto *plainCombo = new QComboBox(&window);
        plainCombo->addItems({"a", "b", "c"});
        plainCombo->setCurrentIndex(1);
        window.show();
        QTRY_VERIFY(find<QDoubleSpinBox>(*stagePanel, "targetSpin"));
        QTRY_VERIFY(find<QComboBox>(*wheelPanel, "identifierCombo"));
        auto *target = find<QDoubleSpinBox>(*stagePanel, "targetSpin");
        auto *step = find<QDoubleSpinBox>(*stagePanel, "stepSpin");
        auto *combo = find<QComboBox>(*wheelPanel, "identifierCombo");
        QTRY_COMPARE(combo->currentText(), QStringLiteral("open"));
        target->setFocus();
        const double targetBefore = target->value();
        const double stepBefore = step->value();
        const int comboBefore = combo->currentIndex();

        sendWheel(plainSpin);
        sendWheel(plainCombo);
        QCOMPARE(plainSpin->value(), 1.0);
        QVERIFY(plainCombo->currentIndex() != 1);

        sendWheel(target);
        sendWheel(step);
        sendWheel(combo);
        QCOMPARE(target->value(), targetBefore);
        QCOMPARE(step->value(), stepBefore);
        QCOMPARE(combo->currentIndex(), comboBefore);
        QCOMPARE(target->focusPolicy(), Qt::StrongFocus);
    }

    void advancedIsCollapsedAndShowsConfigAndOtherValues()
    {
        SimLab lab(kFastStage);
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QTRY_VERIFY(find<QToolButton>(panel, "advancedToggle"));
        auto *content = find<QWidget>(panel, "advancedContent");
        QVERIFY(!content->isVisible());
        QTest::mouseClick(find<QToolButton>(panel, "advancedToggle"), Qt::LeftButton);
        QVERIFY(content->isVisible());
        QCOMPARE(textOf(panel, "config:speed"), QStringLiteral("50"));
        QCOMPARE(textOf(panel, "config:out_of_limits"), QStringLiteral("closest"));
        QTRY_VERIFY(find<QLabel>(panel, "value:homed"));
        QCOMPARE(textOf(panel, "value:homed"), QStringLiteral("off"));
        QTest::mouseClick(find<QPushButton>(panel, "homeButton"), Qt::LeftButton);
        QTRY_COMPARE(textOf(panel, "value:homed"), QStringLiteral("on"));
    }

    void advancedShowsNormalProperties()
    {
        SimLab lab(R"(
[meter]
driver = "sim-sensor"
channels = ["signal"]
integration_ms = 1
)");
        auto meter = lab.handle("meter");
        DevicePanel panel(meter.get());
        panel.show();
        QTRY_VERIFY(find<QToolButton>(panel, "advancedToggle"));
        QTest::mouseClick(find<QToolButton>(panel, "advancedToggle"), Qt::LeftButton);
        auto *id = find<QLabel>(panel, "property:measurement_id");
        QVERIFY(id);
        QVERIFY(!find<QWidget>(panel, "edit:measurement_id")); // read-only: no setter
        QTest::mouseClick(find<QPushButton>(panel, "measureButton"), Qt::LeftButton);
        QTRY_COMPARE(id->text(), QStringLiteral("0"));
    }

    void liveUpdatesNeverReLayOut()
    {
        const QString mm = QStringLiteral("mm");
        PropertyInfo destination{.name = "destination",
            .setter = "set_position",
            .stateKey = "destination",
            .units = mm,
            .controlKind = ControlKind::Hinted};
        PropertyInfo position{.name = "position",
            .stateKey = "position",
            .units = mm,
            .controlKind = ControlKind::Hinted};
        PropertyInfo channel{.name = "x",
            .getter = "get_measured",
            .stateKey = "measured/x",
            .units = "V",
            .controlKind = ControlKind::Hinted};
        ScriptedHandle handle({.name = "fast",
            .kind = "scripted",
            .traits = {"is-daemon", "has-position", "is-sensor"},
            .messages = {"set_position", "set_relative"},
            .properties = {destination, position, channel}});
        FrameStepper steps;
        QVERIFY(steps.wasQuiet());
        DevicePanel panel(&handle);
        panel.show();
        handle.publish({{"position", 0.0}, {"destination", 0.0},
            {"measured", QVariantMap{{"x", 0.0}, {"measurement_id", 0}}}, {"measurement_id", 0}});
        QCOMPARE(textOf(panel, "statusLabel"), QStringLiteral("ready"));
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        steps.ticks(3); // the first layout settles
        LayoutRequests layouts(&panel);
        for (int i = 1; i <= 1000; ++i) {
            const double x = i * 1.234567;
            handle.publish({{"position", x}, {"destination", 1234.5},
                {"measured", QVariantMap{{"x", -x}, {"measurement_id", i}}},
                {"measurement_id", i}});
        }
        // The readouts follow on the next frame, and end at the last value.
        QVERIFY(steps.until([&] { return textOf(panel, "measurementIdLabel") == "1000"; }, 4));
        QCOMPARE(textOf(panel, "positionLabel"), QStringLiteral("1234.567"));
        QCOMPARE(textOf(panel, "channelValue:x"), QStringLiteral("-1234.57"));
        steps.ticks(3);
        QCOMPARE(layouts.count, 0);
    }

    void readoutsFollowAtAHumanRateAndEndAtTheLastValue()
    {
        FrameStepper steps;
        QVERIFY(steps.wasQuiet());
        ScriptedHandle handle(triggeredSensor());
        DevicePanel panel(&handle);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        handle.publish(
            {{"measured", QVariantMap{{"x", 0.5}, {"measurement_id", 0}}}, {"measurement_id", 0}});
        // The first snapshot is prompt: shown at once.
        QCOMPARE(textOf(panel, "channelValue:x"), QStringLiteral("0.5"));
        auto *value = find<QLabel>(panel, "channelValue:x");
        QStringList shown;
        QObject::connect(
            &handle, &DeviceHandle::snapshotChanged, value, [&] { shown << value->text(); });
        // A burst faster than any screen, five a frame for 40 frames (667 ms): the readout
        // skips values, never the last one, and changes at most once per kReadoutInterval.
        const Async::TimePoint start = Async::now();
        for (int i = 1; i <= 200; ++i) {
            handle.publish({{"measured", QVariantMap{{"x", double(i)}, {"measurement_id", i}}},
                {"measurement_id", i}});
            if (i % 5 == 0)
                steps.tick();
        }
        QVERIFY(steps.until([&] { return value->text() == QStringLiteral("200"); }, 4));
        QCOMPARE(textOf(panel, "measurementIdLabel"), QStringLiteral("200"));
        shown.removeDuplicates();
        const auto elapsed = Async::now() - start;
        const qsizetype mostChanges = 1 + elapsed / DevicePanel::kReadoutInterval;
        QVERIFY2(shown.size() >= 3 && shown.size() <= mostChanges,
            qPrintable(
                QStringLiteral("%1 values shown, at most %2").arg(shown.size()).arg(mostChanges)));
    }

    void aLiveValueIsCopiedFromItsContextMenu()
    {
        ScriptedHandle handle(triggeredSensor());
        DevicePanel panel(&handle);
        panel.show();
        handle.publish(
            {{"measured", QVariantMap{{"x", 2.25}, {"measurement_id", 7}}}, {"measurement_id", 7}});
        QTRY_COMPARE(textOf(panel, "channelValue:x"), QStringLiteral("2.25"));
        auto *value = find<QLabel>(panel, "channelValue:x");
        // Plain, not selectable: a selectable label re-lays out its text on every change.
        QVERIFY(!(value->textInteractionFlags() & Qt::TextSelectableByMouse));
        QCOMPARE(value->contextMenuPolicy(), Qt::ActionsContextMenu);
        auto *copy = value->findChild<QAction *>(QStringLiteral("copyAction"));
        QVERIFY(copy);
        QVERIFY(value->actions().contains(copy));
        copy->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("2.25"));
        // Opaque, and filled like the inside of its section's frame: no lighter patch.
        QVERIFY(value->autoFillBackground());
        const QImage shot = panel.grab().toImage();
        QCOMPARE(shot.pixelColor(value->mapTo(&panel, QPoint(2, 2))),
            shot.pixelColor(value->mapTo(&panel, QPoint(-3, 2))));
        // Set BENCHTOP_SCREENSHOT_DIR to look at the panel.
        if (const QByteArray dir = qgetenv("BENCHTOP_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(shot.save(QString::fromLocal8Bit(dir) + "/devicepanel-sensor.png"));
    }

    void aPanelOutOfSightCatchesUpWhenScrolledIntoView()
    {
        FrameStepper steps;
        QVERIFY(steps.wasQuiet());
        ScriptedHandle handle(triggeredSensor());
        QScrollArea scroll;
        auto *content = new QWidget;
        auto *layout = new QVBoxLayout(content);
        auto *spacer = new QWidget;
        spacer->setFixedHeight(3000);
        layout->addWidget(spacer);
        auto *panel = new DevicePanel(&handle);
        layout->addWidget(panel);
        scroll.setWidget(content);
        scroll.setWidgetResizable(true);
        scroll.resize(400, 300);
        scroll.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scroll));
        handle.publish(
            {{"measured", QVariantMap{{"x", 1.0}, {"measurement_id", 1}}}, {"measurement_id", 1}});
        QCOMPARE(textOf(*panel, "statusLabel"), QStringLiteral("ready"));
        QVERIFY(panel->visibleRegion().isEmpty());
        QCOMPARE(textOf(*panel, "channelValue:x"), QStringLiteral("1")); // prompt: at once
        handle.publish(
            {{"measured", QVariantMap{{"x", 2.0}, {"measurement_id", 2}}}, {"measurement_id", 2}});
        steps.ticks(12); // several frames: none refreshes a panel nobody sees
        QCOMPARE(textOf(*panel, "channelValue:x"), QStringLiteral("1"));
        scroll.ensureWidgetVisible(panel);
        QVERIFY(steps.until([&] { return textOf(*panel, "channelValue:x") == "2"; }));
    }

    void enterInTheTargetBoxGoes()
    {
        SimLab lab(kFastStage);
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QSignalSpy actions(&panel, &DevicePanel::operatorAction);
        QTRY_COMPARE(textOf(panel, "destinationLabel"), QStringLiteral("0.000"));
        auto *target = find<QDoubleSpinBox>(panel, "targetSpin");
        typeInto(target, "-4");
        QTest::keyClick(target, Qt::Key_Return);
        QCOMPARE(actions.size(), 1);
        QCOMPARE(actions[0], (QVariantList{"stage", "Go to -4.000 mm"}));
        QTRY_COMPARE(textOf(panel, "positionLabel"), QStringLiteral("-4.000"));
    }

    void answersAfterARebuildReachNoOldSection()
    {
        ScriptedHandle handle(triggeredSensor());
        handle.holdAnswers = true;
        DevicePanel panel(&handle);
        panel.show();
        handle.publish({});
        auto *oldLoop = find<QPushButton>(panel, "loopButton");
        QTest::mouseClick(oldLoop, Qt::LeftButton);
        QCOMPARE(handle.calls, QStringList{"measure"});
        handle.describeAgain(); // rebuilds the panel: the section that asked is gone
        auto *loop = find<QPushButton>(panel, "loopButton");
        QVERIFY(loop);
        QVERIFY(!loop->isChecked());
        handle.answer.set();
        QCoreApplication::processEvents();
        QVERIFY(!loop->isChecked());
        QVERIFY(find<QPushButton>(panel, "measureButton")->isEnabled());
    }

    void aDestroyedPanelAbandonsItsCalls()
    {
        ScriptedHandle handle(triggeredSensor());
        handle.holdAnswers = true;
        {
            DevicePanel panel(&handle);
            panel.show();
            handle.publish({});
            QTest::mouseClick(find<QPushButton>(panel, "loopButton"), Qt::LeftButton);
            QCOMPARE(handle.calls, QStringList{"measure"});
        }
        handle.answer.set(); // nothing is left to resume
        QCoreApplication::processEvents();
    }

    void hiddenPanelCatchesUpWhenShown()
    {
        SimLab lab(kFastStage);
        auto stage = lab.handle("stage");
        DevicePanel panel(stage.get());
        panel.show();
        QTRY_COMPARE(textOf(panel, "positionLabel"), QStringLiteral("0.000"));
        panel.hide();
        QCOMPARE(waitFor(stage->moveTo(3.0)), 3.0);
        QTRY_COMPARE(stage->snapshot().values.value("position").toDouble(), 3.0);
        QCOMPARE(textOf(panel, "positionLabel"), QStringLiteral("0.000"));
        panel.show();
        QCOMPARE(textOf(panel, "positionLabel"), QStringLiteral("3.000"));
    }
};

QTEST_MAIN(TestDevicePanel)
#include "tst_devicepanel.moc"
