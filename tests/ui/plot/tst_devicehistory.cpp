// SPDX-License-Identifier: MIT
// DeviceHistory and LabHistory: every device's recent plotted readings, kept with no plot open,
// bounded, allocated only for a device that has measured something, and the plot they start.
#include "scriptedhandle.h"
#include "testsupport.h"

#include <plot/devicehistory.h>
#include <plot/deviceplot.h>
#include <plot/labhistory.h>
#include <plot/liveplot.h>

#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::Ui;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

PropertyInfo hinted(const QString &stateKey, const QString &units = {})
{
    return {.name = stateKey.section(QLatin1Char('/'), -1),
        .type = ValueType::Double,
        .stateKey = stateKey,
        .units = units,
        .controlKind = ControlKind::Hinted};
}

DeviceSnapshot reading(double position, LinkState link = LinkState::Connected)
{
    DeviceSnapshot snapshot{.values = {{"position", position}}};
    snapshot.link = link;
    return snapshot;
}

double seconds(Clock::time_point at)
{
    return LivePlot::toSeconds(at);
}

} // namespace

class TestDeviceHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    // A device that has not measured anything (still connecting, in fault from the start, or
    // silent) costs nothing: no history is made for it.
    void nothingIsHeldForADeviceThatNeverMeasured()
    {
        LabHistory lab;
        ScriptedHandle silent(QStringLiteral("silent"));
        silent.describe({hinted("position", "mm")});
        ScriptedHandle connecting(QStringLiteral("connecting"));
        connecting.describe({hinted("position", "mm")});
        connecting.deliverSeveral({reading(0, LinkState::Connecting)}, {Clock::now()}, 1);
        lab.record(silent);
        lab.record(connecting);
        QCOMPARE(lab.deviceCount(), 0);
        QVERIFY(!lab.find(QStringLiteral("silent")));
        QVERIFY(!lab.find(QStringLiteral("connecting")));

        // its first measured reading makes one
        connecting.deliverSeveral({reading(1.5)}, {Clock::now()}, 2);
        lab.record(connecting);
        QCOMPARE(lab.deviceCount(), 1);
        const DeviceHistory *history = lab.find(QStringLiteral("connecting"));
        QVERIFY(history);
        QCOMPARE(history->keys(), QStringList{"position"});
        QCOMPARE(history->samples(QStringLiteral("position")).back().value, 1.5);
        QVERIFY(history->outages().empty()); // it had never been measured before
        lab.forget(QStringLiteral("connecting"));
        QCOMPARE(lab.deviceCount(), 0);
    }

    // At 100 Hz for five minutes: the last two minutes, at most the two extremes of each
    // bucket, every spike kept, and the newest reading last.
    void keepsTheLastTwoMinutesBounded()
    {
        ScriptedHandle handle;
        handle.describe({hinted("position", "mm")});
        DeviceHistory history;
        const Clock::time_point start = Clock::now() - 300s;
        quint64 sequence = 1;
        for (int second = 0; second < 300; ++second) {
            QList<DeviceSnapshot> batch;
            QList<Clock::time_point> at;
            for (int i = 0; i < 100; ++i) {
                const int n = second * 100 + i;
                batch << reading(n == 25'003 ? 1000.0 : std::sin(n * 0.01));
                at << start + std::chrono::milliseconds(n * 10);
            }
            handle.deliverSeveral(batch, at, sequence);
            sequence += 100;
            history.record(handle);
        }
        const std::vector<Sample> samples = history.samples(QStringLiteral("position"));
        const double newest = seconds(start + std::chrono::milliseconds(299'990));
        QCOMPARE(samples.back(), (Sample{newest, std::sin(29'999 * 0.01)}));
        QVERIFY(samples.front().t >= newest - DeviceHistory::kSpanS - DeviceHistory::kBucketS);
        QVERIFY(samples.front().t <= newest - DeviceHistory::kSpanS + DeviceHistory::kBucketS);
        QVERIFY2(qsizetype(samples.size())
                <= 2 * qsizetype(DeviceHistory::kSpanS / DeviceHistory::kBucketS) + 3,
            qPrintable(QString::number(samples.size())));
        QVERIFY(std::is_sorted(samples.begin(), samples.end(),
            [](const Sample &a, const Sample &b) { return a.t < b.t; }));
        QVERIFY(std::any_of(samples.begin(), samples.end(),
            [](const Sample &sample) { return sample.value == 1000.0; }));
    }

    // A stage at rest reads once: that reading is its value however long ago it came.
    void aValueThatHoldsIsKeptHoweverOld()
    {
        ScriptedHandle handle;
        handle.describe({hinted("position", "mm")});
        DeviceHistory history;
        const Clock::time_point long_ago = Clock::now() - 1h;
        handle.deliverSeveral({reading(7.25)}, {long_ago}, 1);
        history.record(handle);
        handle.deliver({{"position", 7.25}}, 1); // a keep-alive: no new reading
        history.record(handle);
        QCOMPARE(history.samples(QStringLiteral("position")),
            (std::vector<Sample>{{seconds(long_ago), 7.25}}));
    }

    // Readings not measured add nothing; the first of them after a measured one is an outage,
    // kept while nothing is measured, and forgotten two minutes after readings came back.
    void outagesAreKept()
    {
        ScriptedHandle handle;
        handle.describe({hinted("position", "mm")});
        DeviceHistory history;
        const Clock::time_point start = Clock::now() - 1h;
        DeviceSnapshot fault = reading(2.0);
        fault.status = DeviceStatus::Fault;
        handle.deliverSeveral({reading(2.0), reading(2.0, LinkState::Disconnected),
                                  reading(2.0, LinkState::Connecting), fault},
            {start, start + 1s, start + 2s, start + 3s}, 1);
        history.record(handle);
        QVERIFY(!history.isMeasuring());
        QCOMPARE(history.outages().size(), size_t(1));
        QCOMPARE(history.outages().front().t, seconds(start + 1s));
        QVERIFY(history.outages().front().link == LinkState::Disconnected);
        QCOMPARE(history.samples(QStringLiteral("position")).size(), size_t(1));

        handle.deliverSeveral({reading(3.0)}, {start + 10s}, 5);
        history.record(handle);
        QVERIFY(history.isMeasuring());
        QCOMPARE(history.outages().size(), size_t(1));
        QCOMPARE(history.samples(QStringLiteral("position")).back().value, 3.0);

        handle.deliverSeveral({reading(4.0)}, {start + 200s}, 6);
        history.record(handle);
        QVERIFY(history.outages().empty());
    }

    // A plot opened on a device starts with what the history kept of it: its readings, its
    // outages, and whether it is being measured now.
    void aPlotStartsWithTheHistory()
    {
        ScriptedHandle handle;
        handle.describe({hinted("position", "mm"), hinted("destination", "mm")});
        DeviceHistory history;
        const Clock::time_point start = Clock::now() - 30s;
        QList<DeviceSnapshot> batch;
        QList<Clock::time_point> at;
        for (int i = 0; i < 10; ++i) {
            batch << reading(double(i));
            batch.last().values.insert(QStringLiteral("destination"), 9.0);
            at << start + std::chrono::seconds(i);
        }
        batch << reading(9.0, LinkState::Disconnected);
        at << start + 20s;
        handle.deliverSeveral(batch, at, 1);
        history.record(handle);

        DevicePlot plot(&handle, nullptr, &history);
        LivePlot *live = plot.plot();
        const QList<Sample> positions = live->samples(QStringLiteral("position"));
        QCOMPARE(positions.size(), 10);
        QCOMPARE(positions.first(), (Sample{seconds(start), 0.0}));
        QCOMPARE(positions.last(), (Sample{seconds(start + 9s), 9.0}));
        QCOMPARE(live->samples(QStringLiteral("destination")).last().value, 9.0);
        QCOMPARE(live->breaks().size(), 1);
        QCOMPARE(live->breaks().first().t, seconds(start + 20s));
        QVERIFY(live->breaks().first().label.startsWith(QStringLiteral("link lost ")));

        // Still not measured: a row that is not changes nothing; the next measured one is
        // plotted, with no second marker.
        handle.deliverSeveral(
            {reading(9.0, LinkState::Connecting), reading(11.0)}, {start + 25s, start + 26s}, 20);
        QCOMPARE(live->breaks().size(), 1);
        QCOMPARE(live->latest(QStringLiteral("position"))->value, 11.0);
    }
};

QTEST_MAIN(TestDeviceHistory)
#include "tst_devicehistory.moc"
