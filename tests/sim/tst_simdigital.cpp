// SPDX-License-Identifier: MIT
// sim-digital: output lines, simulated presses read by update_state and debounced by the
// runtime's Pushbutton into press / release / double click / long press events, the on_press
// bindings checked at creation, and seed 002's aledflash pattern. On a ManualClock.
#include "simtestsupport.h"
#include "testsupport.h"

#include <simdigital.h>

#include <async/async.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>

#include <QSignalSpy>
#include <QTest>

#include <map>

using namespace std::chrono_literals;
using namespace Benchtop;
using namespace Benchtop::SimTest;
using Benchtop::Async::ManualClock;
using Benchtop::Sim::SimDigital;

namespace {

const QString kKind = QStringLiteral("sim-digital");
const QString kFoot = QStringLiteral("foot");

/// "line:event@ms" for every inputEvent, ms from `start`.
class EventLog {
public:
    EventLog(SimDigital &device, const ManualClock &clock)
        : m_clock(clock)
        , m_start(clock.now())
    {
        QObject::connect(&device, &Device::inputEvent, &m_context,
            [this](const QString &line, InputEvent event) {
                m_events << QStringLiteral("%1:%2@%3")
                                .arg(line, toString(event))
                                .arg(qRound(elapsedMs(m_clock, m_start)));
            });
    }
    const QStringList &events() const { return m_events; }

private:
    QObject m_context;
    const ManualClock &m_clock;
    Async::TimePoint m_start;
    QStringList m_events;
};

/// Every output change: line -> the times (ms from the start) it toggled.
class OutputLog {
public:
    OutputLog(SimDigital &device, const ManualClock &clock)
        : m_clock(clock)
        , m_start(clock.now())
        , m_last(device.values().value(QStringLiteral("outputs")).toMap())
    {
        QObject::connect(&device, &Device::changed, &m_context, [this, &device] {
            const QVariantMap outputs = device.values().value(QStringLiteral("outputs")).toMap();
            for (auto it = outputs.cbegin(); it != outputs.cend(); ++it) {
                if (m_last.value(it.key()) != *it)
                    m_toggles[it.key()] << qRound(elapsedMs(m_clock, m_start));
            }
            m_last = outputs;
        });
    }
    QList<int> toggles(const QString &line) const { return m_toggles.value(line); }

private:
    QObject m_context;
    const ManualClock &m_clock;
    Async::TimePoint m_start;
    QVariantMap m_last;
    QMap<QString, QList<int>> m_toggles;
};

} // namespace

class TestSimDigital : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void linesAndOutputs()
    {
        ManualClock clock;
        auto panel = startDevice<SimDigital>(kKind);
        QCOMPARE(panel->traits(),
            (QStringList{QStringLiteral("is-daemon"), QStringLiteral("has-digital-io")}));
        QCOMPARE(invoke(*panel, QStringLiteral("get_input_names")),
            QVariant(QStringList{kFoot, QStringLiteral("button")}));
        QCOMPARE(invoke(*panel, QStringLiteral("get_output_names")),
            QVariant(QStringList{QStringLiteral("red"), QStringLiteral("green"),
                QStringLiteral("yellow"), QStringLiteral("blue")}));
        QCOMPARE(panel->values().value(QStringLiteral("inputs")),
            QVariant(QVariantMap{{kFoot, false}, {QStringLiteral("button"), false}}));
        invoke(*panel, QStringLiteral("set_output"), {QStringLiteral("green"), true});
        QCOMPARE(invoke(*panel, QStringLiteral("get_output"), {QStringLiteral("green")}),
            QVariant(true));
        QCOMPARE(
            panel->values().value(QStringLiteral("outputs")).toMap().value(QStringLiteral("green")),
            QVariant(true));
        QCOMPARE(panel->output(QStringLiteral("red")), false);
        const QString error = errorOf([&] {
            invoke(*panel, QStringLiteral("set_output"), {QStringLiteral("purple"), true});
        });
        QCOMPARE(error,
            QStringLiteral("dut has no output \"purple\" (outputs: red, green, yellow, blue)"));
        QVERIFY_THROWS_EXCEPTION(
            DeviceError, invoke(*panel, QStringLiteral("get_input"), {QStringLiteral("red")}));
        QVERIFY(panel->persistentKeys().isEmpty());
    }

    void aPressAndAReleaseAreDebouncedEvents()
    {
        ManualClock clock;
        auto panel = startDevice<SimDigital>(kKind);
        EventLog log(*panel, clock);
        invoke(*panel, QStringLiteral("press"), {kFoot});
        QVERIFY(!panel->input(kFoot)); // read at the next 10 ms poll
        clock.advance(10ms);
        QVERIFY(panel->input(kFoot));
        QCOMPARE(invoke(*panel, QStringLiteral("get_input"), {kFoot}), QVariant(true));
        QCOMPARE(
            panel->values().value(QStringLiteral("inputs")).toMap().value(kFoot), QVariant(true));
        clock.advance(190ms);
        invoke(*panel, QStringLiteral("release"), {kFoot}); // just after the poll at 200 ms
        clock.advance(600ms);
        QVERIFY(!panel->input(kFoot));
        QCOMPARE(log.events(),
            (QStringList{QStringLiteral("foot:press@10"), QStringLiteral("foot:release@210")}));
    }

    void bounceIsIgnored()
    {
        ManualClock clock;
        auto panel = startDevice<SimDigital>(kKind);
        EventLog log(*panel, clock);
        // A contact that bounces for 30 ms, read every 10 ms.
        for (int i = 0; i < 3; ++i) {
            panel->setRawInput(kFoot, i % 2 == 0);
            clock.advance(10ms);
        }
        panel->setRawInput(kFoot, true);
        clock.advance(300ms);
        panel->setRawInput(kFoot, false);
        clock.advance(1s);
        QCOMPARE(log.events(),
            (QStringList{QStringLiteral("foot:press@10"), QStringLiteral("foot:release@340")}));
    }

    void aDoubleClick()
    {
        ManualClock clock;
        auto panel = startDevice<SimDigital>(kKind);
        EventLog log(*panel, clock);
        invoke(*panel, QStringLiteral("click"), {kFoot});
        clock.advance(200ms);
        invoke(*panel, QStringLiteral("click"), {kFoot, 80});
        clock.advance(1s);
        QCOMPARE(log.events(),
            (QStringList{QStringLiteral("foot:press@10"), QStringLiteral("foot:release@100"),
                QStringLiteral("foot:press@210"), QStringLiteral("foot:double@210"),
                QStringLiteral("foot:release@280")}));
    }

    void aLongPress()
    {
        ManualClock clock;
        auto panel = startDevice<SimDigital>(kKind);
        EventLog log(*panel, clock);
        invoke(*panel, QStringLiteral("click"), {QStringLiteral("button"), 1500});
        clock.advance(2s);
        QCOMPARE(log.events(),
            (QStringList{QStringLiteral("button:press@10"), QStringLiteral("button:long@1010"),
                QStringLiteral("button:release@1500")}));
    }

    void theTimingsComeFromTheConfig()
    {
        ManualClock clock;
        auto panel = startDevice<SimDigital>(kKind,
            {{QStringLiteral("poll_ms"), 5}, {QStringLiteral("long_press_ms"), 300},
                {QStringLiteral("double_click_ms"), 0}});
        EventLog log(*panel, clock);
        invoke(*panel, QStringLiteral("click"), {kFoot, 400});
        clock.advance(500ms);
        invoke(*panel, QStringLiteral("click"), {kFoot, 50});
        clock.advance(500ms);
        QCOMPARE(log.events(),
            (QStringList{QStringLiteral("foot:press@5"), QStringLiteral("foot:long@305"),
                QStringLiteral("foot:release@400"), QStringLiteral("foot:press@505"),
                QStringLiteral("foot:release@555")})); // the release at 550 waits for the debounce
    }

    void pressMessagesCheckTheirArguments()
    {
        ManualClock clock;
        auto panel = startDevice<SimDigital>(kKind);
        QVERIFY_THROWS_EXCEPTION(
            DeviceError, invoke(*panel, QStringLiteral("press"), {QStringLiteral("pedal")}));
        QVERIFY_THROWS_EXCEPTION(DeviceError, invoke(*panel, QStringLiteral("press")));
        QVERIFY_THROWS_EXCEPTION(
            DeviceError, invoke(*panel, QStringLiteral("click"), {kFoot, QStringLiteral("long")}));
        QVERIFY_THROWS_EXCEPTION(
            DeviceError, invoke(*panel, QStringLiteral("press"), {QStringLiteral("red")}));
        QVERIFY_THROWS_EXCEPTION(DeviceError, invoke(*panel, QStringLiteral("flash"), {-1}));
        QVERIFY_THROWS_EXCEPTION(UnknownMessage, invoke(*panel, QStringLiteral("blink")));
    }

    void bindingsAreCheckedAtCreation_data()
    {
        QTest::addColumn<QVariantMap>("bindings");
        QTest::addColumn<QString>("error");
        QTest::newRow("valid") << QVariantMap{{kFoot, QStringLiteral("spectrometer.measure")}}
                               << QString();
        QTest::newRow("none") << QVariantMap{} << QString();
        QTest::newRow("not an input")
            << QVariantMap{{QStringLiteral("pedal"), QStringLiteral("spectrometer.measure")}}
            << QStringLiteral("device \"dut\": key \"on_press\" binds \"pedal\", which is not an "
                              "input (inputs: foot, button)");
        QTest::newRow("an output")
            << QVariantMap{{QStringLiteral("red"), QStringLiteral("stage.home")}}
            << QStringLiteral("device \"dut\": key \"on_press\" binds \"red\", which is not an "
                              "input (inputs: foot, button)");
        QTest::newRow("no message")
            << QVariantMap{{kFoot, QStringLiteral("spectrometer")}}
            << QStringLiteral("dut: config key on_press binds \"foot\" to \"spectrometer\"; a "
                              "binding is \"device.message\"");
        QTest::newRow("not a string")
            << QVariantMap{{kFoot, 5}}
            << QStringLiteral("dut: config key on_press binds \"foot\" to \"5\"; a binding is "
                              "\"device.message\"");
    }

    void bindingsAreCheckedAtCreation()
    {
        QFETCH(QVariantMap, bindings);
        QFETCH(QString, error);
        QCOMPARE(errorOf([&] {
            SimDigital panel(settings(kKind, {{QStringLiteral("on_press"), bindings}}));
            QCOMPARE(panel.bindings(), bindings);
        }),
            error);
    }

    void aLineIsEitherAnInputOrAnOutput()
    {
        const QString error = errorOf([&] {
            SimDigital panel(settings(kKind, {{QStringLiteral("outputs"), QVariantList{kFoot}}}));
        });
        QCOMPARE(error,
            QStringLiteral(
                "device \"dut\": key \"outputs\" names \"foot\", which is also an input"));
    }

    void theFlashPatternTogglesEachLedAtItsOwnPeriod()
    {
        ManualClock clock;
        auto panel = startDevice<SimDigital>(kKind, {{QStringLiteral("seed"), 5}});
        OutputLog log(*panel, clock);
        invoke(*panel, QStringLiteral("flash"), {3.0});
        QVERIFY(panel->isFlashing());
        QCOMPARE(panel->values().value(QStringLiteral("flashing")), QVariant(true));
        clock.advance(2999ms);
        QList<int> periods;
        for (const QString &line : panel->outputNames()) {
            const QList<int> toggles = log.toggles(line);
            QVERIFY2(toggles.size() >= 2, qPrintable(line));
            // A fixed period per LED, between 200 and 1000 ms.
            const int period = toggles[0];
            QVERIFY2(period >= 200 && period <= 1000, qPrintable(QString::number(period)));
            for (qsizetype i = 1; i < toggles.size(); ++i)
                QCOMPARE(toggles[i] - toggles[i - 1], period);
            periods << period;
        }
        QVERIFY(
            !std::all_of(periods.begin(), periods.end(), [&](int p) { return p == periods[0]; }));
        clock.advance(1ms); // 3 s: over, every LED off
        QVERIFY(!panel->isFlashing());
        for (const QString &line : panel->outputNames())
            QCOMPARE(panel->output(line), false);
        const QList<int> before = log.toggles(QStringLiteral("red"));
        clock.advance(3s);
        QCOMPARE(log.toggles(QStringLiteral("red")).size(), before.size());
    }

    void theSameSeedGivesTheSamePattern()
    {
        ManualClock clock;
        auto a = startDevice<SimDigital>(kKind, {{QStringLiteral("seed"), 9}}, QStringLiteral("a"));
        auto b = startDevice<SimDigital>(kKind, {{QStringLiteral("seed"), 9}}, QStringLiteral("b"));
        OutputLog logA(*a, clock);
        OutputLog logB(*b, clock);
        a->flash(2s);
        b->flash(2s);
        clock.advance(2s);
        for (const QString &line : a->outputNames())
            QCOMPARE(logA.toggles(line), logB.toggles(line));
    }

    void stopFlashAndSetOutputEndThePattern()
    {
        ManualClock clock;
        auto panel = startDevice<SimDigital>(kKind, {{QStringLiteral("seed"), 5}});
        OutputLog log(*panel, clock);
        invoke(*panel, QStringLiteral("flash"), {0}); // until stopped
        invoke(*panel, QStringLiteral("set_output"), {QStringLiteral("blue"), true});
        clock.advance(5s);
        QVERIFY(panel->isFlashing());
        QVERIFY(log.toggles(QStringLiteral("blue")).size() == 1); // set once, then left alone
        QVERIFY(panel->output(QStringLiteral("blue")));
        QVERIFY(log.toggles(QStringLiteral("red")).size() >= 5);
        invoke(*panel, QStringLiteral("stop_flash"));
        QVERIFY(!panel->isFlashing());
        QVERIFY(!panel->output(QStringLiteral("red")));
        QVERIFY(panel->output(QStringLiteral("blue"))); // not part of the pattern any more
        const qsizetype redToggles = log.toggles(QStringLiteral("red")).size();
        clock.advance(3s);
        QCOMPARE(log.toggles(QStringLiteral("red")).size(), redToggles);
    }
};

QTEST_GUILESS_MAIN(TestSimDigital)
#include "tst_simdigital.moc"
