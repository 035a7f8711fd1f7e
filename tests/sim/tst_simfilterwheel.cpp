// SPDX-License-Identifier: MIT
// sim-filter-wheel: named slots, moves that take seconds_per_slot per slot with an empty
// identifier until the wheel is at the slot, one busy edge pair per move, unknown names
// refused, stop between slots, retargeting, saved state, and the coroutine form.
#include "simtestsupport.h"
#include "testsupport.h"

#include <simfilterwheel.h>

#include <async/async.h>
#include <device/awaitables.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace std::chrono_literals;
using namespace Benchtop;
using namespace Benchtop::SimTest;
using Benchtop::Async::ManualClock;
using Benchtop::Sim::SimFilterWheel;

namespace {

const QString kKind = QStringLiteral("sim-filter-wheel");

/// 0.1 s per slot.
QVariantMap quick(QVariantMap extra = {})
{
    extra.insert(QStringLiteral("seconds_per_slot"), 0.1);
    return extra;
}

} // namespace

class TestSimFilterWheel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void slotsAreNamedPositions()
    {
        ManualClock clock;
        auto wheel = startDevice<SimFilterWheel>(kKind);
        QCOMPARE(wheel->traits(),
            (QStringList{QStringLiteral("is-daemon"), QStringLiteral("is-discrete"),
                QStringLiteral("is-stoppable")}));
        QCOMPARE(invoke(*wheel, QStringLiteral("get_position_identifiers")),
            QVariant(QVariantMap{{QStringLiteral("open"), 0.0}, {QStringLiteral("ND0.5"), 1.0},
                {QStringLiteral("ND1"), 2.0}, {QStringLiteral("ND2"), 3.0},
                {QStringLiteral("red"), 4.0}, {QStringLiteral("green"), 5.0}}));
        QCOMPARE(wheel->identifier(), QStringLiteral("open"));
        QCOMPARE(
            invoke(*wheel, QStringLiteral("get_identifier")), QVariant(QStringLiteral("open")));
        QCOMPARE(wheel->position(), 0.0);
        QCOMPARE(wheel->persistentKeys(), QStringList{QStringLiteral("position")});
        QCOMPARE(wheel->state(), (QVariantMap{{QStringLiteral("position"), 0.0}}));
    }

    void aMoveTakesTimeAndHasNoIdentifierOnTheWay()
    {
        ManualClock clock;
        auto wheel = startDevice<SimFilterWheel>(kKind, quick());
        QSignalSpy busy(wheel.get(), &Device::busyChanged);
        const Async::TimePoint start = clock.now();
        QCOMPARE(invoke(*wheel, QStringLiteral("set_identifier"), {QStringLiteral("ND1")}),
            QVariant(2.0));
        QVERIFY(wheel->busy());
        QCOMPARE(wheel->identifier(), QString());
        QCOMPARE(wheel->destination(), 2.0);
        clock.advance(100ms);
        QVERIFY(std::abs(wheel->position() - 1.0) < 1e-9); // passing slot 1: still moving
        QCOMPARE(wheel->identifier(), QString());
        QCOMPARE(invoke(*wheel, QStringLiteral("get_identifier")), QVariant()); // yaq's null
        clock.advance(50ms);
        QVERIFY(std::abs(wheel->position() - 1.5) < 1e-9);
        QCOMPARE(wheel->identifier(), QString());
        QVERIFY(advanceUntil(
            clock, [&] { return !wheel->busy(); }, 2s));
        const double ms = elapsedMs(clock, start);
        QVERIFY2(ms >= 200 && ms <= 211, qPrintable(QString::number(ms)));
        QCOMPARE(wheel->identifier(), QStringLiteral("ND1"));
        QCOMPARE(wheel->position(), 2.0);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        QCOMPARE(wheel->state(), (QVariantMap{{QStringLiteral("position"), 2.0}}));

        // Back down the wheel.
        invoke(*wheel, QStringLiteral("set_identifier"), {QStringLiteral("open")});
        QVERIFY(advanceUntil(
            clock, [&] { return !wheel->busy(); }, 2s));
        QCOMPARE(wheel->identifier(), QStringLiteral("open"));
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false, true, false}));
    }

    void selectingTheCurrentSlotIsAShortMove()
    {
        ManualClock clock;
        auto wheel = startDevice<SimFilterWheel>(kKind, quick());
        QSignalSpy busy(wheel.get(), &Device::busyChanged);
        invoke(*wheel, QStringLiteral("set_identifier"), {QStringLiteral("open")});
        QVERIFY(advanceUntil(
            clock, [&] { return !wheel->busy(); }, 1s));
        QCOMPARE(wheel->identifier(), QStringLiteral("open"));
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
    }

    void anUnknownSlotIsRefused()
    {
        ManualClock clock;
        auto wheel = startDevice<SimFilterWheel>(kKind);
        const QString error = errorOf(
            [&] { invoke(*wheel, QStringLiteral("set_identifier"), {QStringLiteral("blue")}); });
        QCOMPARE(error,
            QStringLiteral("dut has no slot \"blue\" (slots: open, ND0.5, ND1, ND2, red, green)"));
        QVERIFY(!wheel->busy());
        QCOMPARE(wheel->identifier(), QStringLiteral("open"));
        QVERIFY_THROWS_EXCEPTION(
            DeviceError, invoke(*wheel, QStringLiteral("set_identifier"), {2.0})); // not a name
    }

    void stopBetweenSlots()
    {
        ManualClock clock;
        auto wheel = startDevice<SimFilterWheel>(kKind, quick());
        QSignalSpy busy(wheel.get(), &Device::busyChanged);
        invoke(*wheel, QStringLiteral("set_identifier"), {QStringLiteral("red")});
        clock.advance(235ms);
        invoke(*wheel, QStringLiteral("stop"));
        QVERIFY(!wheel->busy());
        QVERIFY(std::abs(wheel->position() - 2.35) < 1e-9);
        QCOMPARE(wheel->destination(), wheel->position());
        QCOMPARE(wheel->identifier(), QString());
        clock.advance(1s);
        QVERIFY(std::abs(wheel->position() - 2.35) < 1e-9);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        // From between slots to a slot.
        invoke(*wheel, QStringLiteral("set_identifier"), {QStringLiteral("ND2")});
        QVERIFY(advanceUntil(
            clock, [&] { return !wheel->busy(); }, 2s));
        QCOMPARE(wheel->identifier(), QStringLiteral("ND2"));
        QCOMPARE(wheel->position(), 3.0);
    }

    void aNewSlotDuringAMoveTurnsFromWhereTheWheelIs()
    {
        ManualClock clock;
        auto wheel = startDevice<SimFilterWheel>(kKind, quick());
        QSignalSpy busy(wheel.get(), &Device::busyChanged);
        const Async::TimePoint start = clock.now();
        invoke(*wheel, QStringLiteral("set_identifier"), {QStringLiteral("green")});
        clock.advance(150ms); // at 1.5
        invoke(*wheel, QStringLiteral("set_identifier"), {QStringLiteral("ND0.5")});
        QVERIFY(advanceUntil(
            clock, [&] { return !wheel->busy(); }, 2s));
        QCOMPARE(wheel->identifier(), QStringLiteral("ND0.5"));
        const double ms = elapsedMs(clock, start); // 150 ms out, 50 ms back
        QVERIFY2(ms >= 200 && ms <= 211, qPrintable(QString::number(ms)));
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
    }

    void savedStateIsRestored()
    {
        ManualClock clock;
        DevicePtr<SimFilterWheel> wheel(new SimFilterWheel(settings(kKind, quick())));
        wheel->restoreState({{QStringLiteral("position"), 4.0}});
        wheel->start();
        QCOMPARE(wheel->identifier(), QStringLiteral("red"));
        QCOMPARE(wheel->destination(), 4.0);
        clock.advance(300ms);
        QCOMPARE(wheel->position(), 4.0);
        // The simulated wheel is there: one slot to go.
        const Async::TimePoint start = clock.now();
        invoke(*wheel, QStringLiteral("set_identifier"), {QStringLiteral("green")});
        QVERIFY(advanceUntil(
            clock, [&] { return !wheel->busy(); }, 2s));
        QVERIFY(elapsedMs(clock, start) <= 111);

        DevicePtr<SimFilterWheel> other(new SimFilterWheel(settings(kKind)));
        other->restoreState({{QStringLiteral("position"), 99.0}});
        QCOMPARE(other->position(), 5.0); // clamped to the last slot
        QCOMPARE(other->identifier(), QStringLiteral("green"));
    }

    void theCoroutineFormOnTheRealEventLoop()
    {
        auto wheel = startDevice<SimFilterWheel>(kKind, quick());
        QCOMPARE(
            awaitResult(moveToIdentifier(*wheel, QStringLiteral("ND2"))), QStringLiteral("ND2"));
        QCOMPARE(wheel->position(), 3.0);
    }

    void badConfigsAreRefused_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no slot") << "slots" << QVariant(QVariantList{}) << "must name at least one";
        QTest::newRow("an empty name")
            << "slots" << QVariant(QVariantList{QStringLiteral(" ")}) << "has an empty name";
        QTest::newRow("zero time per slot")
            << "seconds_per_slot" << QVariant(0.0) << "config key seconds_per_slot";
    }

    void badConfigsAreRefused()
    {
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        QFETCH(QString, expected);
        const QString error = errorOf([&] {
            SimFilterWheel wheel(settings(kKind, {{key, value}}));
        });
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSimFilterWheel)
#include "tst_simfilterwheel.moc"
