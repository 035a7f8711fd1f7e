// SPDX-License-Identifier: MIT
// sim-accelerometer and its AccelerationFilter (seed 002's apoll): the pure filter first (noise
// dropped, movement accepted, still after the time without movement), then the device on a
// ManualClock: its polling rate, ids increasing by one, "still" after two seconds, shaking and
// tilting through its own messages.
#include "simtestsupport.h"
#include "testsupport.h"

#include <accelerationfilter.h>
#include <simaccelerometer.h>

#include <async/async.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>

#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using namespace Benchtop;
using namespace Benchtop::SimTest;
using Benchtop::Async::ManualClock;
using Benchtop::Sim::AccelerationFilter;
using Benchtop::Sim::SimAccelerometer;

namespace {

const QString kKind = QStringLiteral("sim-accelerometer");

AccelerationFilter::Vector vectorOf(const QVariantMap &measured)
{
    return {measured.value(QStringLiteral("x")).toDouble(),
        measured.value(QStringLiteral("y")).toDouble(),
        measured.value(QStringLiteral("z")).toDouble()};
}

/// Records whether `still` changes, and every filtered vector published.
class Log {
public:
    explicit Log(SimAccelerometer &device)
    {
        QObject::connect(&device, &Device::changed, &m_context, [this, &device] {
            const QVariantMap measured = device.measured();
            if (measured.isEmpty())
                return;
            const int id = measured.value(QStringLiteral("measurement_id")).toInt();
            if (m_ids.isEmpty() || m_ids.last() != id) {
                m_ids << id;
                m_vectors << vectorOf(measured);
            }
        });
    }
    const QList<int> &ids() const { return m_ids; }
    int distinctVectors() const
    {
        QSet<QString> seen;
        for (const auto &v : m_vectors)
            seen.insert(QStringLiteral("%1 %2 %3").arg(v[0]).arg(v[1]).arg(v[2]));
        return int(seen.size());
    }

private:
    QObject m_context;
    QList<int> m_ids;
    QList<AccelerationFilter::Vector> m_vectors;
};

} // namespace

class TestSimAccelerometer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    // ---- AccelerationFilter (pure) -------------------------------------------------------

    void theFilterTakesItsFirstSample()
    {
        AccelerationFilter filter(0.1, 2s);
        const AccelerationFilter::TimePoint t0{};
        QVERIFY(!filter.hasSample());
        QVERIFY(!filter.isStill(t0 + 10s));
        QVERIFY(filter.update({0, 0, 1}, t0));
        QVERIFY(filter.hasSample());
        QCOMPARE(filter.vector(), (AccelerationFilter::Vector{0, 0, 1}));
        QCOMPARE(filter.lastMovement(), t0);
    }

    void theFilterDropsNoiseAndAcceptsMovement()
    {
        AccelerationFilter filter(0.1, 2s);
        const AccelerationFilter::TimePoint t0{};
        filter.update({0, 0, 1}, t0);
        // Within 0.1 (distance) of the accepted vector: noise.
        QVERIFY(!filter.update({0.05, 0.05, 1.05}, t0 + 100ms)); // 0.087
        QVERIFY(!filter.update({0.1, 0, 1}, t0 + 200ms)); // exactly the threshold
        QCOMPARE(filter.vector(), (AccelerationFilter::Vector{0, 0, 1}));
        QCOMPARE(filter.lastMovement(), t0);
        // Beyond it: movement, which becomes the reference.
        QVERIFY(filter.update({0.06, 0.06, 1.06}, t0 + 300ms)); // 0.104
        QCOMPARE(filter.vector(), (AccelerationFilter::Vector{0.06, 0.06, 1.06}));
        QCOMPARE(filter.lastMovement(), t0 + 300ms);
        // Small steps that drift away are measured from the accepted vector, not the last sample.
        QVERIFY(!filter.update({0.12, 0.06, 1.06}, t0 + 400ms));
        QVERIFY(filter.update({0.17, 0.06, 1.06}, t0 + 500ms));
    }

    void theFilterIsStillAfterTheTimeWithoutMovement()
    {
        AccelerationFilter filter(0.1, 2s);
        const AccelerationFilter::TimePoint t0{};
        filter.update({0, 0, 1}, t0);
        filter.update({0, 0, 1.5}, t0 + 1s);
        filter.update({0, 0.01, 1.5}, t0 + 2s); // noise does not count as movement
        QVERIFY(!filter.isStill(t0 + 2999ms));
        QVERIFY(filter.isStill(t0 + 3s));
        QVERIFY(filter.isStill(t0 + 60s));
    }

    // ---- the device ----------------------------------------------------------------------

    void channels()
    {
        ManualClock clock;
        auto device = startDevice<SimAccelerometer>(kKind);
        QCOMPARE(device->traits(),
            (QStringList{QStringLiteral("is-daemon"), QStringLiteral("is-sensor")}));
        QCOMPARE(invoke(*device, QStringLiteral("get_channel_names")),
            QVariant(QStringList{QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")}));
        QCOMPARE(device->channelUnits().value(QStringLiteral("z")), QVariant(QStringLiteral("g")));
        QVERIFY(device->channelShapes().value(QStringLiteral("x")).isEmpty());
    }

    void itPollsAtItsRateWithIdsIncreasingByOne_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("expected");
        QTest::newRow("10 Hz") << 10.0 << 11; // at 0, 100, ..., 1000 ms
        QTest::newRow("50 Hz") << 50.0 << 51;
    }

    void itPollsAtItsRateWithIdsIncreasingByOne()
    {
        QFETCH(double, rate);
        QFETCH(int, expected);
        ManualClock clock;
        auto device = startDevice<SimAccelerometer>(kKind, {{QStringLiteral("rate_hz"), rate}});
        Log log(*device);
        clock.advance(1s);
        QCOMPARE(device->measurementId(), expected - 1);
        for (qsizetype i = 1; i < log.ids().size(); ++i)
            QCOMPARE(log.ids()[i], log.ids()[i - 1] + 1);
        QCOMPARE(
            device->measured().value(QStringLiteral("measurement_id")), QVariant(expected - 1));
    }

    void itIsStillAfterTwoSecondsWithoutMovement()
    {
        ManualClock clock;
        auto device = startDevice<SimAccelerometer>(kKind, {{QStringLiteral("seed"), 7}});
        Log log(*device);
        QVERIFY(!device->isStill());
        clock.advance(1900ms);
        QVERIFY(!device->isStill());
        clock.advance(100ms);
        QVERIFY(device->isStill());
        // Resting: the noise (0.01 g) never passes the threshold (0.1 g); one vector throughout.
        clock.advance(10s);
        QVERIFY(device->isStill());
        QCOMPARE(log.distinctVectors(), 1);
        const AccelerationFilter::Vector v = vectorOf(device->measured());
        QVERIFY(std::abs(v[0]) < 0.05 && std::abs(v[1]) < 0.05 && std::abs(v[2] - 1) < 0.05);
    }

    void shakingMovesItUntilTwoSecondsAfterItEnds()
    {
        ManualClock clock;
        auto device = startDevice<SimAccelerometer>(kKind, {{QStringLiteral("seed"), 11}});
        clock.advance(3s);
        QVERIFY(device->isStill());
        Log log(*device);
        invoke(*device, QStringLiteral("shake"), {1.0});
        clock.advance(100ms);
        QVERIFY(!device->isStill());
        clock.advance(900ms); // the shaking has ended
        QVERIFY(log.distinctVectors() >= 5);
        QVERIFY(!device->isStill());
        clock.advance(1500ms);
        QVERIFY(!device->isStill());
        QVERIFY(advanceUntil(
            clock, [&] { return device->isStill(); }, 1s));
        // Back at rest, upright.
        const AccelerationFilter::Vector v = vectorOf(device->measured());
        QVERIFY(std::abs(v[2] - 1) < 0.05);
    }

    void aTiltIsOneMovement()
    {
        ManualClock clock;
        auto device = startDevice<SimAccelerometer>(kKind, {{QStringLiteral("seed"), 3}});
        clock.advance(2500ms);
        QVERIFY(device->isStill());
        Log log(*device);
        clock.advance(200ms); // two readings before the tilt
        invoke(*device, QStringLiteral("tilt"), {0.0, 1.0, 0.0});
        clock.advance(100ms);
        QVERIFY(!device->isStill());
        const AccelerationFilter::Vector v = vectorOf(device->measured());
        QVERIFY(std::abs(v[1] - 1) < 0.05 && std::abs(v[2]) < 0.05);
        QVERIFY(advanceUntil(
            clock, [&] { return device->isStill(); }, 3s));
        QCOMPARE(log.distinctVectors(), 2); // before and after the tilt
    }

    void ownMessagesCheckTheirArguments()
    {
        ManualClock clock;
        auto device = startDevice<SimAccelerometer>(kKind);
        QVERIFY_THROWS_EXCEPTION(
            DeviceError, invoke(*device, QStringLiteral("shake"), {QStringLiteral("hard")}));
        QVERIFY_THROWS_EXCEPTION(DeviceError, invoke(*device, QStringLiteral("shake"), {1, 2, 3}));
        QVERIFY_THROWS_EXCEPTION(DeviceError, invoke(*device, QStringLiteral("shake"), {-1}));
        QVERIFY_THROWS_EXCEPTION(DeviceError, invoke(*device, QStringLiteral("tilt"), {0, 1}));
        QVERIFY_THROWS_EXCEPTION(UnknownMessage, invoke(*device, QStringLiteral("spin")));
        QCOMPARE(invoke(*device, QStringLiteral("shake")), QVariant()); // defaults: 1 s, 0.5 g
    }
};

QTEST_GUILESS_MAIN(TestSimAccelerometer)
#include "tst_simaccelerometer.moc"
