// SPDX-License-Identifier: MIT
// sim-sensor: measurement ids increasing by one from 0, one busy edge pair per measurement (or
// loop), kickoff / poll / read timing, loops and stop_looping, stop mid-measurement, spectra,
// and the blocking mode on the device's executor, which must not block the event loop.
#include "simtestsupport.h"
#include "testsupport.h"

#include <simsensor.h>

#include <async/async.h>
#include <device/awaitables.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace std::chrono_literals;
using namespace Benchtop;
using namespace Benchtop::SimTest;
using Benchtop::Async::ManualClock;
using Benchtop::Sim::SimSensor;

namespace {

const QString kKind = QStringLiteral("sim-sensor");

QVariantMap integration(int ms, QVariantMap extra = {})
{
    extra.insert(QStringLiteral("integration_ms"), ms);
    return extra;
}

/// Records the id of every measurement the device publishes.
class IdLog {
public:
    explicit IdLog(SimSensor &sensor)
    {
        QObject::connect(&sensor, &Device::changed, &m_context, [this, &sensor] {
            const QVariant id = sensor.values().value(QStringLiteral("measurement_id"));
            if (id.isValid() && (m_ids.isEmpty() || m_ids.last() != id.toInt()))
                m_ids << id.toInt();
        });
    }
    const QList<int> &ids() const { return m_ids; }
    bool consecutiveFromZero() const
    {
        for (qsizetype i = 0; i < m_ids.size(); ++i) {
            if (m_ids[i] != i)
                return false;
        }
        return true;
    }

private:
    QObject m_context;
    QList<int> m_ids;
};

} // namespace

class TestSimSensor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void channelsUnitsAndShapes()
    {
        ManualClock clock;
        auto sensor = startDevice<SimSensor>(kKind);
        QCOMPARE(sensor->traits(),
            (QStringList{QStringLiteral("is-daemon"), QStringLiteral("is-sensor"),
                QStringLiteral("has-measure-trigger"), QStringLiteral("has-mapping"),
                QStringLiteral("is-stoppable")}));
        const QStringList channels{QStringLiteral("signal"), QStringLiteral("reference")};
        QCOMPARE(invoke(*sensor, QStringLiteral("get_channel_names")), QVariant(channels));
        QCOMPARE(invoke(*sensor, QStringLiteral("get_channel_units")),
            QVariant(QVariantMap{{QStringLiteral("signal"), QStringLiteral("V")},
                {QStringLiteral("reference"), QStringLiteral("V")}}));
        QCOMPARE(invoke(*sensor, QStringLiteral("get_channel_shapes")),
            QVariant(QVariantMap{{QStringLiteral("signal"), QVariantList{}},
                {QStringLiteral("reference"), QVariantList{}}}));
        QCOMPARE(sensor->measurementId(), -1);
        QVERIFY(sensor->measured().isEmpty());
        QVERIFY(sensor->persistentKeys().isEmpty());

        auto spectrometer = startDevice<SimSensor>(kKind,
            {{QStringLiteral("channels"), QVariantList{QStringLiteral("counts")}},
                {QStringLiteral("units"), QStringLiteral("counts")},
                {QStringLiteral("points"), 64}});
        QCOMPARE(spectrometer->channelShapes().value(QStringLiteral("counts")), QList<int>{64});
        // Without wavelengths_nm, no channel has a mapping: plots use the index.
        QCOMPARE(
            invoke(*spectrometer, QStringLiteral("get_channel_mappings")), QVariant(QVariantMap{}));
    }

    // wavelengths_nm = [first, last]: every spectrum's axis is a wavelength mapping in nm, one
    // value per point, evenly spaced from first to last (has-mapping, as a yaq spectrometer).
    void wavelengthsAreTheSpectraAxis()
    {
        auto spectrometer = startDevice<SimSensor>(kKind,
            {{QStringLiteral("channels"), QVariantList{QStringLiteral("sample")}},
                {QStringLiteral("points"), 5},
                {QStringLiteral("wavelengths_nm"), QVariantList{400.0, 800.0}}});
        QCOMPARE(invoke(*spectrometer, QStringLiteral("get_channel_mappings")),
            QVariant(QVariantMap{{QStringLiteral("sample"), QVariantList{"wavelength"}}}));
        QCOMPARE(invoke(*spectrometer, QStringLiteral("get_mapping_units")),
            QVariant(QVariantMap{{QStringLiteral("wavelength"), QStringLiteral("nm")}}));
        QCOMPARE(invoke(*spectrometer, QStringLiteral("get_mappings")),
            QVariant(QVariantMap{
                {QStringLiteral("wavelength"), QVariantList{400.0, 500.0, 600.0, 700.0, 800.0}}}));
        QCOMPARE(invoke(*spectrometer, QStringLiteral("get_mapping_id")), QVariant(0));
    }

    void idsIncreaseByOneFromZero()
    {
        ManualClock clock;
        auto sensor = startDevice<SimSensor>(kKind, integration(50));
        QSignalSpy busy(sensor.get(), &Device::busyChanged);
        for (int k = 0; k < 5; ++k) {
            const Async::TimePoint start = clock.now();
            QCOMPARE(invoke(*sensor, QStringLiteral("measure")), QVariant(k));
            QVERIFY(sensor->busy());
            QVERIFY(advanceUntil(
                clock, [&] { return !sensor->busy(); }, 1s));
            // Kickoff, then the status is polled every 10 ms until the 50 ms are up, then read.
            const double ms = elapsedMs(clock, start);
            QVERIFY2(ms >= 50 && ms <= 60, qPrintable(QString::number(ms)));
            const QVariantMap measured = sensor->measured();
            QCOMPARE(measured.value(QStringLiteral("measurement_id")), QVariant(k));
            QVERIFY(measured.contains(QStringLiteral("signal")));
            QVERIFY(measured.contains(QStringLiteral("reference")));
            QCOMPARE(sensor->measurementId(), k);
            QCOMPARE(invoke(*sensor, QStringLiteral("get_measurement_id")), QVariant(k));
            QCOMPARE(invoke(*sensor, QStringLiteral("get_measured")), QVariant(measured));
            clock.advance(30ms);
        }
        QCOMPARE(busyEdges(busy),
            (QList<bool>{true, false, true, false, true, false, true, false, true, false}));
    }

    void aLoopMeasuresUntilStopLooping()
    {
        ManualClock clock;
        auto sensor = startDevice<SimSensor>(kKind, integration(20));
        QSignalSpy busy(sensor.get(), &Device::busyChanged);
        IdLog log(*sensor);
        QCOMPARE(invoke(*sensor, QStringLiteral("measure"), {true}), QVariant(0));
        QVERIFY(sensor->isLooping());
        clock.advance(205ms); // one measurement per 20 ms
        QCOMPARE(log.ids().size(), 10);
        QVERIFY(sensor->busy());
        invoke(*sensor, QStringLiteral("stop_looping"));
        QVERIFY(sensor->busy()); // the measurement in progress ends first
        QVERIFY(advanceUntil(
            clock, [&] { return !sensor->busy(); }, 1s));
        QCOMPARE(log.ids().size(), 11);
        QVERIFY(log.consecutiveFromZero());
        QCOMPARE(sensor->measurementId(), 10);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        clock.advance(200ms);
        QCOMPARE(log.ids().size(), 11);
    }

    void measureDuringAMeasurementGivesItsId()
    {
        ManualClock clock;
        auto sensor = startDevice<SimSensor>(kKind, integration(50));
        QSignalSpy busy(sensor.get(), &Device::busyChanged);
        IdLog log(*sensor);
        QCOMPARE(sensor->measure(false), 0);
        clock.advance(20ms);
        QCOMPARE(sensor->measure(false), 0); // yaq: the one in progress
        QVERIFY(advanceUntil(
            clock, [&] { return !sensor->busy(); }, 1s));
        QCOMPARE(log.ids(), QList<int>{0});
        // measure(true) during a single measurement turns it into a loop, measure(false) during
        // a loop ends it after the measurement in progress.
        QCOMPARE(sensor->measure(false), 1);
        QCOMPARE(sensor->measure(true), 1);
        clock.advance(120ms);
        QVERIFY(sensor->busy());
        sensor->measure(false);
        QVERIFY(advanceUntil(
            clock, [&] { return !sensor->busy(); }, 1s));
        QVERIFY(log.consecutiveFromZero());
        QVERIFY(log.ids().size() >= 3);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false, true, false}));
    }

    void stopEndsAMeasurementWithoutAResult()
    {
        ManualClock clock;
        auto sensor = startDevice<SimSensor>(kKind, integration(50));
        sensor->measure(false);
        QVERIFY(advanceUntil(
            clock, [&] { return !sensor->busy(); }, 1s));
        const QVariantMap first = sensor->measured();
        QSignalSpy busy(sensor.get(), &Device::busyChanged);
        QCOMPARE(sensor->measure(false), 1);
        clock.advance(20ms);
        invoke(*sensor, QStringLiteral("stop"));
        QVERIFY(!sensor->busy());
        QCOMPARE(sensor->measured(), first);
        QCOMPARE(sensor->measurementId(), 0);
        clock.advance(200ms);
        QCOMPARE(sensor->measured(), first);
        QCOMPARE(busyEdges(busy), (QList<bool>{true, false}));
        // The stopped measurement's id goes to the next one.
        QCOMPARE(sensor->measure(false), 1);
        QVERIFY(advanceUntil(
            clock, [&] { return !sensor->busy(); }, 1s));
        QCOMPARE(sensor->measurementId(), 1);
    }

    void stopEndsALoop()
    {
        ManualClock clock;
        auto sensor = startDevice<SimSensor>(kKind, integration(20));
        IdLog log(*sensor);
        sensor->measure(true);
        clock.advance(105ms);
        sensor->stop();
        QVERIFY(!sensor->busy());
        QVERIFY(!sensor->isLooping());
        const qsizetype measured = log.ids().size();
        QCOMPARE(measured, 5);
        clock.advance(500ms);
        QCOMPARE(log.ids().size(), measured);
    }

    void anInstantMeasurementLoopStillLetsTheEventLoopRun()
    {
        // Integration 0 and no latency: a measurement completes without waiting (at once, inside
        // measure()), so a loop must yield between measurements. On the real event loop.
        auto sensor = startDevice<SimSensor>(kKind, integration(0));
        QCOMPARE(sensor->measure(false), 0);
        QVERIFY(!sensor->busy());
        QCOMPARE(sensor->measurementId(), 0);
        Benchtop::Test::EventLoopChecker checker(1ms);
        sensor->measure(true);
        QTRY_VERIFY(sensor->measurementId() > 100 && checker.ticks() > 3);
        sensor->stop();
        QVERIFY(!sensor->busy());
    }

    void aSpectrum()
    {
        ManualClock clock;
        auto sensor = startDevice<SimSensor>(kKind,
            integration(0,
                {{QStringLiteral("channels"), QVariantList{QStringLiteral("counts")}},
                    {QStringLiteral("points"), 101}}));
        sensor->measure(false);
        const QVariantList spectrum = sensor->measured().value(QStringLiteral("counts")).toList();
        QCOMPARE(spectrum.size(), 101);
        const auto peak = std::max_element(spectrum.begin(), spectrum.end(),
            [](const QVariant &a, const QVariant &b) { return a.toDouble() < b.toDouble(); });
        const auto at = std::distance(spectrum.begin(), peak);
        QVERIFY2(at >= 35 && at <= 65, qPrintable(QString::number(at)));
        QVERIFY(std::abs(peak->toDouble() - 1.02) < 0.05);
    }

    void noiselessReadingsFollowTheModel()
    {
        ManualClock clock;
        auto sensor = startDevice<SimSensor>(kKind, integration(10));
        for (int k = 0; k < 20; ++k) {
            sensor->measure(false);
            QVERIFY(advanceUntil(
                clock, [&] { return !sensor->busy(); }, 1s));
            const QVariantMap m = sensor->measured();
            QVERIFY(std::abs(m.value(QStringLiteral("signal")).toDouble() - 1.0) <= 0.05);
            QVERIFY(std::abs(m.value(QStringLiteral("reference")).toDouble() - 1.1) <= 0.05);
            clock.advance(137ms);
        }
    }

    void measureOnceOnTheRealEventLoop()
    {
        auto sensor = startDevice<SimSensor>(kKind, integration(20));
        const QVariantMap first = awaitResult(measureOnce(*sensor));
        QCOMPARE(first.value(QStringLiteral("measurement_id")), QVariant(0));
        const QVariantMap second = awaitResult(measureOnce(*sensor));
        QCOMPARE(second.value(QStringLiteral("measurement_id")), QVariant(1));
    }

    void theBlockingModeDoesNotBlockTheEventLoop()
    {
        auto sensor
            = startDevice<SimSensor>(kKind, integration(300, {{QStringLiteral("blocking"), true}}));
        QVERIFY(sensor->isBlocking());
        Benchtop::Test::EventLoopChecker checker;
        QElapsedTimer timer;
        timer.start();
        const QVariantMap measured = awaitResult(measureOnce(*sensor));
        const qint64 ms = timer.elapsed();
        QCOMPARE(measured.value(QStringLiteral("measurement_id")), QVariant(0));
        QVERIFY2(ms >= 300, qPrintable(QString::number(ms)));
        // A 5 ms timer ticked while the 300 ms blocking read ran on the executor's thread.
        QVERIFY2(checker.ticks() >= 20, qPrintable(QString::number(checker.ticks())));
    }

    void aStoppedBlockingReadStillRunsToItsEndBeforeTheNext()
    {
        auto sensor
            = startDevice<SimSensor>(kKind, integration(200, {{QStringLiteral("blocking"), true}}));
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(sensor->measure(false), 0);
        sensor->stop(); // the vendor call cannot be interrupted; the device is idle at once
        QVERIFY(!sensor->busy());
        const QVariantMap measured = awaitResult(measureOnce(*sensor));
        QCOMPARE(measured.value(QStringLiteral("measurement_id")), QVariant(0));
        // The serial executor ran the next read only after the abandoned one had ended.
        const qint64 ms = timer.elapsed();
        QVERIFY2(ms >= 390, qPrintable(QString::number(ms)));
    }

    void messagesCheckTheirArguments()
    {
        ManualClock clock;
        auto sensor = startDevice<SimSensor>(kKind);
        QVERIFY_THROWS_EXCEPTION(DeviceError, invoke(*sensor, QStringLiteral("measure"), {1, 2}));
        QVERIFY(!sensor->busy());
        QCOMPARE(invoke(*sensor, QStringLiteral("measure"), {false}), QVariant(0));
        invoke(*sensor, QStringLiteral("stop_looping"));
        QVERIFY(advanceUntil(
            clock, [&] { return !sensor->busy(); }, 1s));
        QVERIFY_THROWS_EXCEPTION(
            UnknownMessage, invoke(*sensor, QStringLiteral("set_position"), {1.0}));
    }

    void badConfigsAreRefused_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no channel")
            << "channels" << QVariant(QVariantList{}) << "must name at least one";
        QTest::newRow("a channel twice")
            << "channels" << QVariant(QVariantList{QStringLiteral("a"), QStringLiteral("a")})
            << "names \"a\" twice";
        QTest::newRow("a reserved channel")
            << "channels" << QVariant(QVariantList{QStringLiteral("measurement_id")})
            << "may not name measurement_id";
        QTest::newRow("negative points") << "points" << QVariant(-1) << "config key points";
        QTest::newRow("fractional integration")
            << "integration_ms" << QVariant(2.5) << "config key integration_ms";
        QTest::newRow("blocking not a bool")
            << "blocking" << QVariant(QStringLiteral("yes")) << "config key blocking";
        QTest::newRow("negative noise") << "noise" << QVariant(-0.1) << "config key noise";
    }

    void badConfigsAreRefused()
    {
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        QFETCH(QString, expected);
        const QString error = errorOf([&] { SimSensor sensor(settings(kKind, {{key, value}})); });
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSimSensor)
#include "tst_simsensor.moc"
