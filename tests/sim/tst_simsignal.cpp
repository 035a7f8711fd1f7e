// SPDX-License-Identifier: MIT
// sim-signal: seed 003's 10 Hz and 100 Hz sensors side by side (exactly on a ManualClock, and
// roughly on the real event loop), a reading and a new measurement_id on every update, the
// waveforms, and bad configs.
#include "simtestsupport.h"
#include "testsupport.h"

#include <simsignal.h>

#include <async/async.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>

#include <QTest>

#include <cmath>
#include <numbers>

using namespace std::chrono_literals;
using namespace Benchtop;
using namespace Benchtop::SimTest;
using Benchtop::Async::ManualClock;
using Benchtop::Sim::SimSignal;

namespace {

const QString kKind = QStringLiteral("sim-signal");

/// Every reading: (measurement_id, value).
class ReadingLog {
public:
    explicit ReadingLog(SimSignal &device)
    {
        QObject::connect(&device, &Device::changed, &m_context, [this, &device] {
            const QVariantMap measured = device.measured();
            if (measured.isEmpty())
                return;
            const int id = measured.value(QStringLiteral("measurement_id")).toInt();
            if (m_ids.isEmpty() || m_ids.last() != id) {
                m_ids << id;
                m_values << measured.value(device.channelNames().first()).toDouble();
            }
        });
    }
    const QList<int> &ids() const { return m_ids; }
    const QList<double> &values() const { return m_values; }
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
    QList<double> m_values;
};

} // namespace

class TestSimSignal : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void waveformShapes()
    {
        using W = SimSignal::Waveform;
        auto near = [](double a, double b) { return std::abs(a - b) < 1e-12; };
        QVERIFY(near(SimSignal::shape(W::Sine, 0), 0));
        QVERIFY(near(SimSignal::shape(W::Sine, 0.25), 1));
        QVERIFY(near(SimSignal::shape(W::Sine, 0.75), -1));
        QCOMPARE(SimSignal::shape(W::Square, 0.25), 1.0);
        QCOMPARE(SimSignal::shape(W::Square, 0.75), -1.0);
        QCOMPARE(SimSignal::shape(W::Triangle, 0), -1.0);
        QCOMPARE(SimSignal::shape(W::Triangle, 0.25), 0.0);
        QCOMPARE(SimSignal::shape(W::Triangle, 0.5), 1.0);
        QCOMPARE(SimSignal::shape(W::Triangle, 0.75), 0.0);
        QCOMPARE(SimSignal::shape(W::Sawtooth, 0), -1.0);
        QCOMPARE(SimSignal::shape(W::Sawtooth, 0.5), 0.0);
        for (double x = -2; x < 2; x += 0.1) {
            for (W w : {W::Sine, W::Square, W::Triangle, W::Sawtooth})
                QVERIFY(near(SimSignal::shape(w, x), SimSignal::shape(w, x + 3)));
        }
    }

    void aChannel()
    {
        ManualClock clock;
        auto signal = startDevice<SimSignal>(kKind,
            {{QStringLiteral("channel"), QStringLiteral("temperature")},
                {QStringLiteral("units"), QStringLiteral("K")}});
        QCOMPARE(signal->traits(),
            (QStringList{QStringLiteral("is-daemon"), QStringLiteral("is-sensor")}));
        QCOMPARE(invoke(*signal, QStringLiteral("get_channel_names")),
            QVariant(QStringList{QStringLiteral("temperature")}));
        QCOMPARE(signal->channelUnits(),
            (QVariantMap{{QStringLiteral("temperature"), QStringLiteral("K")}}));
        QCOMPARE(signal->measurementId(), -1);
        clock.advance(100ms);
        QCOMPARE(signal->measurementId(), 0);
        const QVariantMap measured = signal->measured();
        QCOMPARE(measured.keys(),
            (QStringList{QStringLiteral("measurement_id"), QStringLiteral("temperature")}));
        QCOMPARE(signal->values().value(QStringLiteral("measurement_id")), QVariant(0));
        QVERIFY(signal->persistentKeys().isEmpty());
    }

    void tenAndHundredHzSideBySide()
    {
        ManualClock clock;
        auto slow = startDevice<SimSignal>(
            kKind, {{QStringLiteral("rate_hz"), 10.0}}, QStringLiteral("slow"));
        auto fast = startDevice<SimSignal>(
            kKind, {{QStringLiteral("rate_hz"), 100.0}}, QStringLiteral("fast"));
        ReadingLog slowLog(*slow);
        ReadingLog fastLog(*fast);
        clock.advance(1s);
        QCOMPARE(slowLog.ids().size(), 10);
        QCOMPARE(fastLog.ids().size(), 100);
        QVERIFY(slowLog.consecutiveFromZero());
        QVERIFY(fastLog.consecutiveFromZero());
        clock.advance(9s);
        QCOMPARE(slow->measurementId(), 99);
        QCOMPARE(fast->measurementId(), 999);
    }

    void tenAndHundredHzOnTheRealEventLoop()
    {
        auto slow = startDevice<SimSignal>(
            kKind, {{QStringLiteral("rate_hz"), 10.0}}, QStringLiteral("slow"));
        auto fast = startDevice<SimSignal>(
            kKind, {{QStringLiteral("rate_hz"), 100.0}}, QStringLiteral("fast"));
        ReadingLog fastLog(*fast);
        QTRY_VERIFY_WITH_TIMEOUT(slow->measurementId() >= 4, 5000); // 500 ms
        const int fastId = fast->measurementId();
        QVERIFY2(fastId >= 30 && fastId <= 60, qPrintable(QString::number(fastId)));
        QVERIFY(fastLog.consecutiveFromZero());
    }

    void readingsFollowTheWaveform_data()
    {
        QTest::addColumn<QString>("waveform");
        QTest::newRow("sine") << "sine";
        QTest::newRow("square") << "square";
        QTest::newRow("triangle") << "triangle";
        QTest::newRow("sawtooth") << "sawtooth";
    }

    void readingsFollowTheWaveform()
    {
        QFETCH(QString, waveform);
        ManualClock clock;
        auto signal = startDevice<SimSignal>(kKind,
            {{QStringLiteral("rate_hz"), 100.0}, {QStringLiteral("waveform"), waveform},
                {QStringLiteral("amplitude"), 2.0}, {QStringLiteral("frequency_hz"), 1.3},
                {QStringLiteral("offset"), 0.5}});
        ReadingLog log(*signal);
        clock.advance(2s);
        QCOMPARE(log.ids().size(), 200);
        const auto shape = static_cast<SimSignal::Waveform>(QStringList{QStringLiteral("sine"),
            QStringLiteral("square"), QStringLiteral("triangle"), QStringLiteral("sawtooth")}
                                                                .indexOf(waveform));
        int mismatches = 0;
        for (int k = 0; k < 200; ++k) {
            const double t = (k + 1) * 0.010; // reading k comes one period after reading k - 1
            const double expected = 0.5 + 2.0 * SimSignal::shape(shape, 1.3 * t);
            if (std::abs(log.values()[k] - expected) > 1e-6)
                ++mismatches;
        }
        // A square wave's edge may fall either side of a reading taken exactly on it.
        QVERIFY2(mismatches <= (waveform == QLatin1String("square") ? 3 : 0),
            qPrintable(QString::number(mismatches)));
    }

    void theNoiseWaveform()
    {
        ManualClock clock;
        auto signal = startDevice<SimSignal>(kKind,
            {{QStringLiteral("rate_hz"), 1000.0},
                {QStringLiteral("waveform"), QStringLiteral("noise")},
                {QStringLiteral("amplitude"), 0.5}, {QStringLiteral("offset"), 3.0},
                {QStringLiteral("seed"), 1}});
        ReadingLog log(*signal);
        clock.advance(1s);
        QCOMPARE(log.values().size(), 1000);
        double sum = 0, squares = 0;
        for (double v : log.values()) {
            sum += v;
            squares += v * v;
        }
        const double mean = sum / 1000;
        const double sd = std::sqrt(squares / 1000 - mean * mean);
        QVERIFY2(std::abs(mean - 3.0) < 0.1, qPrintable(QString::number(mean)));
        QVERIFY2(std::abs(sd - 0.5) < 0.05, qPrintable(QString::number(sd)));
    }

    void badConfigsAreRefused_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("expected");
        // The lab checker's rule (checkSimConfig), in its words.
        QTest::newRow("reserved channel")
            << "channel" << QVariant(QStringLiteral("measurement_id"))
            << "key \"channel\" must be a name other than measurement_id";
        QTest::newRow("unknown waveform") << "waveform" << QVariant(QStringLiteral("cosine"))
                                          << "sine, square, triangle, sawtooth, noise";
        QTest::newRow("rate zero") << "rate_hz" << QVariant(0.0) << "config key rate_hz";
        QTest::newRow("negative frequency")
            << "frequency_hz" << QVariant(-1.0) << "config key frequency_hz";
    }

    void badConfigsAreRefused()
    {
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        QFETCH(QString, expected);
        const QString error = errorOf([&] { SimSignal signal(settings(kKind, {{key, value}})); });
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSimSignal)
#include "tst_simsignal.moc"
