// SPDX-License-Identifier: MIT
// The run engine against a lab of simulated instruments on the test's thread, on a ManualClock:
// the documents of a scan (values equal to what the instruments were set to), grids, relative
// axes, the configuration of every device, the baseline, pause (deferred and now, mid-move and
// mid-read), stop, abort, suspension on a lost link and its end, adaptive_scan, time_series.
#include "driverconfig.h"
#include "testsupport.h"

#include <async/manualclock.h>
#include <device/device.h>
#include <device/measurementrunner.h>
#include <device/sensorstate.h>
#include <host/devicehost.h>
#include <run/adaptivestepper.h>
#include <run/runengine.h>
#include <simfactory.h>
#include <simlab.h>

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>

using namespace Benchtop;
using namespace Benchtop::Run;
using namespace std::chrono_literals;

namespace {

/// A detector whose reading is a Gaussian peak (centre 5, width 0.5) of where another device
/// (config `axis`) is: what adaptive_scan looks for, and a reading that says where it was taken.
class PeakSensor final
    : public Device
    , public SensorState
    , public MeasurementRunner {
    Q_OBJECT
    Q_INTERFACES(Benchtop::IsSensor Benchtop::HasMeasureTrigger)
public:
    PeakSensor(DeviceSettings settings, std::function<double()> where)
        : Device(std::move(settings))
        , SensorState(this)
        , MeasurementRunner(this, this)
        , m_where(std::move(where))
    {
        setChannels({{QStringLiteral("signal"), QStringLiteral("V"), {}}});
    }
    ~PeakSensor() override { stopTasksNow(); }

    static double at(double x) { return std::exp(-(x - 5) * (x - 5) / (2 * 0.5 * 0.5)); }

protected:
    QCoro::Task<QVariantMap> acquire() override
    {
        co_return QVariantMap{{QStringLiteral("signal"), at(m_where())}};
    }

private:
    std::function<double()> m_where;
};

QVariantMap simConfig(const QString &kind, const QVariantMap &overrides = {})
{
    static const QJsonObject metadata
        = Test::pluginMetadata(QStringLiteral(BENCHTOP_SIM_METADATA_JSON));
    return Test::driverConfig(metadata, kind, overrides);
}

DeviceSettings sim(const QString &name, const QString &kind, const QVariantMap &overrides = {})
{
    return {name, kind, simConfig(kind, overrides)};
}

/// A lab on this thread: sim devices through the sim factory, plus "test-peak".
class Lab {
public:
    explicit Lab(const QList<DeviceSettings> &devices)
        : m_host(drivers(), nullptr)
    {
        m_host.open(devices);
    }
    DeviceHost &host() { return m_host; }
    Device *operator[](const QString &name) const { return m_host.device(name); }

private:
    DeviceHost::Drivers drivers()
    {
        DeviceHost::Drivers d;
        d.create = [this](const DeviceSettings &s) -> std::unique_ptr<Device> {
            if (s.kind == QLatin1String("test-peak")) {
                const QString axis = s.config.value(QStringLiteral("axis")).toString();
                return std::make_unique<PeakSensor>(s, [this, axis] {
                    const Device *device = m_host.device(axis);
                    return device ? device->values().value(QStringLiteral("position")).toDouble()
                                  : 0.0;
                });
            }
            return std::unique_ptr<Device>(m_factory.create(s));
        };
        d.driverFor = [](const QString &kind) -> std::optional<DriverInfo> {
            DriverInfo info;
            info.kind = kind;
            return info;
        };
        return d;
    }

    Sim::SimFactory m_factory;
    DeviceHost m_host;
};

/// An instant stage, an instant two-channel meter, the peak seen from the stage, a second
/// instant stage, a filter wheel and a signal source.
QList<DeviceSettings> instantLab()
{
    return {sim("stage", "sim-motor", {{"instant", true}}),
        sim("meter", "sim-sensor", {{"integration_ms", 0}, {"seed", 7}}),
        {"peak", "test-peak", {{"axis", "stage"}}}, sim("stage2", "sim-motor", {{"instant", true}}),
        sim("wheel", "sim-filter-wheel"), sim("sig", "sim-signal", {{"rate_hz", 10.0}})};
}

PlanAxis linearAxis(const QString &device, double start, double stop, int points)
{
    PlanAxis axis;
    axis.device = device;
    axis.start = start;
    axis.stop = stop;
    axis.points = points;
    return axis;
}

std::vector<QVariant> linearValues(double start, double stop, int points)
{
    std::vector<QVariant> values;
    for (int k = 0; k < points; ++k)
        values.push_back(points > 1 ? start + (stop - start) * k / (points - 1) : start);
    return values;
}

/// A 1-axis scan of `device` from start to stop, read by `detectors`.
RunInput scan(const QString &device, double start, double stop, int points,
    const QStringList &detectors = {QStringLiteral("peak"), QStringLiteral("meter")})
{
    RunInput input;
    input.plan.kind = QStringLiteral("scan");
    input.plan.text = "kind = \"scan\"\n";
    input.plan.detectors = detectors;
    input.plan.axes << linearAxis(device, start, stop, points);
    input.plan.metadata = {{QStringLiteral("sample"), QStringLiteral("quartz")}};
    for (const QVariant &v : linearValues(start, stop, points))
        input.expanded.points.push_back({{v}, {}});
    input.expanded.shape = {points};
    input.expanded.pointCount = points;
    input.labPath = QStringLiteral("lab.toml");
    input.labText = "[stage]\ndriver = \"sim-motor\"\n";
    return input;
}

/// What the sink received.
struct Documents {
    std::vector<Document> all;
    RunEngine::DocumentSink sink()
    {
        return [this](const Document &d) { all.push_back(d); };
    }
    template<typename T>
    QList<T> of() const
    {
        QList<T> result;
        for (const Document &d : all) {
            if (const T *t = std::get_if<T>(&d))
                result << *t;
        }
        return result;
    }
    Descriptor stream(const QString &name) const
    {
        for (const Descriptor &d : of<Descriptor>()) {
            if (d.name == name)
                return d;
        }
        return {};
    }
    QList<Event> events(const QString &streamName = QStringLiteral("primary")) const
    {
        const QString uid = stream(streamName).uid;
        QList<Event> result;
        for (const Event &e : of<Event>()) {
            if (e.descriptor == uid)
                result << e;
        }
        return result;
    }
    /// Column `name` of every event of the primary stream.
    QList<QVariant> column(const QString &name) const
    {
        const qsizetype c = [&] {
            const QList<DataKey> keys = stream(QStringLiteral("primary")).dataKeys;
            for (qsizetype i = 0; i < keys.size(); ++i) {
                if (keys[i].name == name)
                    return i;
            }
            return qsizetype(-1);
        }();
        QList<QVariant> values;
        if (c < 0)
            return values;
        for (const Event &e : events())
            values << e.data[std::size_t(c)];
        return values;
    }
    RunStop stop() const
    {
        const QList<RunStop> stops = of<RunStop>();
        return stops.isEmpty() ? RunStop{} : stops.back();
    }
};

template<typename Condition>
bool advanceUntil(Async::ManualClock &clock, Condition &&condition, Async::Clock::duration limit,
    Async::Clock::duration step = 1ms)
{
    const Async::TimePoint end = clock.now() + limit;
    clock.advance(0ms);
    while (!condition()) {
        if (clock.now() >= end)
            return false;
        clock.advance(step);
    }
    return true;
}

QList<qint64> seqNums(const QList<Event> &events)
{
    QList<qint64> result;
    for (const Event &e : events)
        result << e.seqNum;
    return result;
}

QList<qint64> oneTo(qint64 n)
{
    QList<qint64> result;
    for (qint64 k = 1; k <= n; ++k)
        result << k;
    return result;
}

QStringList states(const QSignalSpy &spy)
{
    QStringList result;
    for (const QList<QVariant> &arguments : spy)
        result << toString(arguments.at(0).value<RunState>());
    return result;
}

} // namespace

class TestRunEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<RunState>(); }
    void init() { Test::failOnQtWarnings(); }

    void aScanGivesOneEventPerPointWithWhatTheInstrumentsSaid()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        Documents docs;
        RunEngine engine(lab.host(), scan("stage", 3, 7, 9), docs.sink());
        QCOMPARE(engine.points(), qint64(9));
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 5s));

        // The documents, in order.
        QStringList order;
        for (const Document &d : docs.all) {
            order << std::visit(
                [](const auto &doc) -> QString {
                    using T = std::decay_t<decltype(doc)>;
                    if constexpr (std::is_same_v<T, RunStart>)
                        return "start";
                    else if constexpr (std::is_same_v<T, Descriptor>)
                        return "descriptor:" + doc.name;
                    else if constexpr (std::is_same_v<T, Event>)
                        return "event";
                    else if constexpr (std::is_same_v<T, RunStop>)
                        return "stop";
                    else
                        return "suspension";
                },
                d);
        }
        QStringList expected{"start", "descriptor:baseline", "event", "descriptor:primary"};
        for (int k = 0; k < 9; ++k)
            expected << "event";
        expected << "event"
                 << "stop";
        QCOMPARE(order, expected);

        const RunStart start = docs.of<RunStart>().front();
        QCOMPARE(start.uid, engine.uid());
        QCOMPARE(QUuid::fromString(start.uid).version(), QUuid::Random);
        QCOMPARE(start.planKind, QStringLiteral("scan"));
        QCOMPARE(start.planText, QByteArray("kind = \"scan\"\n"));
        QCOMPARE(start.shape, (QList<int>{9}));
        QCOMPARE(start.expectedPoints, qint64(9));
        QCOMPARE(start.axes, QStringList{"stage"});
        QCOMPARE(start.metadata.value("sample").toString(), QStringLiteral("quartz"));
        QCOMPARE(start.labText, QByteArray("[stage]\ndriver = \"sim-motor\"\n"));

        const Descriptor primary = docs.stream("primary");
        QStringList names;
        for (const DataKey &k : primary.dataKeys)
            names << k.name;
        QCOMPARE(names, (QStringList{"stage", "peak.signal", "meter.signal", "meter.reference"}));
        QCOMPARE(primary.dataKeys[0].role, QStringLiteral("axis"));
        QCOMPARE(primary.dataKeys[0].dtype, QStringLiteral("number"));
        QCOMPARE(primary.dataKeys[0].units, QStringLiteral("mm"));
        QCOMPARE(primary.dataKeys[0].source, QStringLiteral("stage.position"));
        QCOMPARE(primary.dataKeys[1].role, QStringLiteral("detector"));
        QCOMPARE(primary.dataKeys[1].units, QStringLiteral("V"));
        QCOMPARE(primary.dataKeys[2].source, QStringLiteral("meter.signal"));
        QCOMPARE(primary.runStart, start.uid);

        const QList<Event> events = docs.events();
        QCOMPARE(seqNums(events), oneTo(9));
        const QList<QVariant> stage = docs.column("stage");
        const QList<QVariant> peak = docs.column("peak.signal");
        const QList<QVariant> meter = docs.column("meter.signal");
        for (int k = 0; k < 9; ++k) {
            const double x = 3 + 0.5 * k;
            QCOMPARE(stage[k].toDouble(), x);
            QCOMPARE(peak[k].toDouble(), PeakSensor::at(x));
            // sim-sensor: 1 + 0.05 sin(...) on its first channel
            QVERIFY(std::abs(meter[k].toDouble() - 1.0) <= 0.05 + 1e-12);
            QVERIFY(events[k].gridIndex.empty());
        }
        // Each point triggered one measurement of the meter: its ids went 0..8.
        QCOMPARE(lab["meter"]->values().value("measurement_id").toInt(), 8);

        const RunStop stop = docs.stop();
        QCOMPARE(stop.exitStatus, QStringLiteral("success"));
        QCOMPARE(stop.reason, QStringLiteral("completed"));
        QCOMPARE(stop.numEvents, qint64(9));
        QCOMPARE(stop.runStart, start.uid);
        QCOMPARE(engine.point(), qint64(9));
    }

    void aRunHeldBackByItsWriterTakesNoPointUntilReleased()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        Documents docs;
        bool writerBehind = true; // it falls behind once three points are in
        RunEngine::Options options;
        options.holdBack = [&] { return writerBehind && docs.events().size() >= 3; };
        RunEngine engine(lab.host(), scan("stage", 0, 9, 10), docs.sink(), options);
        engine.start();
        clock.advance(2s);
        QCOMPARE(docs.events().size(), 3); // not a point more while held back
        QCOMPARE(toString(engine.state()), QStringLiteral("running"));
        writerBehind = false;
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 5s));
        QCOMPARE(seqNums(docs.events()), oneTo(10));
    }

    void theConfigurationListsEveryDeviceAndTheBaselineIsReadAtStartAndEnd()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        Documents docs;
        RunEngine engine(lab.host(), scan("stage", 1, 2, 2, {"peak"}), docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 5s));

        for (const QString &streamName : {QStringLiteral("primary"), QStringLiteral("baseline")}) {
            const QList<DeviceConfiguration> configuration = docs.stream(streamName).configuration;
            QStringList names;
            for (const DeviceConfiguration &c : configuration)
                names << c.name;
            QCOMPARE(names, lab.host().deviceNames()); // every device, not only the plan's
            QCOMPARE(configuration[0].driver, QStringLiteral("sim-motor"));
            QVERIFY(configuration[0].traits.contains("has-position"));
            QCOMPARE(configuration[0].config.value("instant").toBool(), true);
            QVERIFY(configuration[0].state.contains("position"));
            QCOMPARE(
                configuration[0].identity.value("make").toString(), QStringLiteral("Benchtop"));
            QCOMPARE(configuration[4].driver, QStringLiteral("sim-filter-wheel"));
            QCOMPARE(configuration[5].driver, QStringLiteral("sim-signal"));
        }

        const Descriptor baseline = docs.stream("baseline");
        QStringList names;
        for (const DataKey &k : baseline.dataKeys)
            names << k.name;
        for (const char *name : {"stage.position", "stage2.position", "meter.signal",
                 "wheel.position_identifier", "sig.signal", "peak.signal"})
            QVERIFY2(names.contains(QLatin1String(name)), name);
        const QList<Event> readings = docs.events("baseline");
        QCOMPARE(seqNums(readings), (QList<qint64>{1, 2}));
        const qsizetype position = names.indexOf("stage.position");
        QCOMPARE(readings[0].data[std::size_t(position)].toDouble(), 0.0); // before the run
        QCOMPARE(readings[1].data[std::size_t(position)].toDouble(), 2.0); // after it
        const qsizetype wheel = names.indexOf("wheel.position_identifier");
        QCOMPARE(readings[0].data[std::size_t(wheel)].toString(), QStringLiteral("open"));
        QCOMPARE(baseline.dataKeys[wheel].choices.size(), 6);
    }

    void aGridsEventsCarryTheirGridIndexAndTheSnakedOrder()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        RunInput input;
        input.plan.kind = QStringLiteral("grid_scan");
        input.plan.detectors = {QStringLiteral("peak")};
        input.plan.axes << linearAxis("stage", 0, 2, 3) << linearAxis("stage2", 10, 40, 4);
        input.plan.axes[1].snake = true;
        // 3 × 4, the fast axis snaked (what the expander gives).
        for (int i = 0; i < 3; ++i) {
            for (int k = 0; k < 4; ++k) {
                const int j = i % 2 == 0 ? k : 3 - k;
                input.expanded.points.push_back({{double(i), 10.0 + 10 * j}, {i, j}});
            }
        }
        input.expanded.shape = {3, 4};
        input.expanded.pointCount = 12;
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 5s));
        const QList<Event> events = docs.events();
        QCOMPARE(events.size(), 12);
        QCOMPARE(docs.of<RunStart>().front().shape, (QList<int>{3, 4}));
        QCOMPARE(docs.of<RunStart>().front().axes, (QStringList{"stage", "stage2"}));
        for (int n = 0; n < 12; ++n) {
            const int i = n / 4;
            const int j = i % 2 == 0 ? n % 4 : 3 - n % 4;
            QCOMPARE(events[n].gridIndex, (std::vector<int>{i, j}));
            QCOMPARE(events[n].data[0].toDouble(), double(i));
            QCOMPARE(events[n].data[1].toDouble(), 10.0 + 10 * j);
        }
    }

    void relativeAxesAreOffsetsFromTheStartAndReturnToStartGoesBack()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        lab.host().call("stage", "set_position", {10.0});
        RunInput input = scan("stage", -1, 1, 3, {"peak"});
        input.plan.axes[0].relative = true;
        input.plan.returnToStart = true;
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 5s));
        QCOMPARE(docs.column("stage"), (QList<QVariant>{9.0, 10.0, 11.0}));
        QCOMPARE(lab["stage"]->values().value("position").toDouble(), 10.0);
        QCOMPARE(docs.stop().exitStatus, QStringLiteral("success"));
    }

    void aListScanOfIdentifiersMovesTheWheel()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        RunInput input;
        input.plan.kind = QStringLiteral("list_scan");
        input.plan.detectors = {QStringLiteral("meter")};
        PlanAxis axis;
        axis.device = QStringLiteral("wheel");
        axis.values = {QStringLiteral("red"), QStringLiteral("ND1")};
        input.plan.axes << axis;
        input.expanded.points = {{{QStringLiteral("red")}, {}}, {{QStringLiteral("ND1")}, {}}};
        input.expanded.shape = {2};
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 10s));
        QCOMPARE(
            docs.column("wheel"), (QList<QVariant>{QStringLiteral("red"), QStringLiteral("ND1")}));
        const DataKey key = docs.stream("primary").dataKeys.front();
        QCOMPARE(key.dtype, QStringLiteral("string"));
        QCOMPARE(key.choices.size(), 6);
    }

    void aPlanTheLabCannotRunFailsBeforeAnythingMoves()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        Documents docs;
        RunEngine engine(lab.host(), scan("stage", 0, 1, 2, {"nosuch"}), docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 1s));
        QCOMPARE(docs.all.size(), std::size_t(2)); // RunStart, RunStop
        QCOMPARE(docs.stop().exitStatus, QStringLiteral("fail"));
        QVERIFY(docs.stop().reason.contains("nosuch"));
        QCOMPARE(lab["stage"]->values().value("position").toDouble(), 0.0);
    }

    // ---- control ----------------------------------------------------------------------------

    void aDeferredPauseMidMoveFinishesThePointThenPauses()
    {
        Async::ManualClock clock;
        Lab lab({sim("stage", "sim-motor", {{"speed", 10.0}, {"acceleration", 1000.0}}),
            sim("meter", "sim-sensor", {{"integration_ms", 50}})});
        Documents docs;
        RunEngine engine(lab.host(), scan("stage", 0, 4, 5, {"meter"}), docs.sink());
        QSignalSpy stateSpy(&engine, &RunEngine::stateChanged);
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.point() == 1 && lab["stage"]->busy(); }, 5s));
        engine.pause(); // mid-move to point 2
        QCOMPARE(toString(engine.state()), toString(RunState::Pausing));
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Paused; }, 5s));
        QCOMPARE(engine.point(), qint64(2)); // point 2 completed, nothing after it
        clock.advance(2s);
        QCOMPARE(engine.point(), qint64(2));
        QVERIFY(!lab["stage"]->busy());
        engine.resume();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 10s));
        QCOMPARE(seqNums(docs.events()), oneTo(5));
        QCOMPARE(docs.column("stage"), (QList<QVariant>{0.0, 1.0, 2.0, 3.0, 4.0}));
        QCOMPARE(
            states(stateSpy), (QStringList{"running", "pausing", "paused", "running", "done"}));
        QCOMPARE(docs.stop().exitStatus, QStringLiteral("success"));
    }

    void aDeferredPauseMidReadFinishesTheReading()
    {
        Async::ManualClock clock;
        Lab lab({sim("stage", "sim-motor", {{"speed", 10.0}, {"acceleration", 1000.0}}),
            sim("meter", "sim-sensor", {{"integration_ms", 200}})});
        Documents docs;
        RunEngine engine(lab.host(), scan("stage", 0, 2, 3, {"meter"}), docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.point() == 1 && lab["meter"]->busy(); }, 5s));
        engine.pause(PauseMode::Deferred);
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Paused; }, 5s));
        QCOMPARE(engine.point(), qint64(2));
        QCOMPARE(lab["meter"]->values().value("measurement_id").toInt(), 1); // read whole
        engine.resume();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 10s));
        QCOMPARE(seqNums(docs.events()), oneTo(3));
        QCOMPARE(docs.column("stage"), (QList<QVariant>{0.0, 1.0, 2.0}));
    }

    void pauseNowMidMoveStopsTheStageAndResumeGoesBackToTheSetpoint()
    {
        Async::ManualClock clock;
        Lab lab({sim("stage", "sim-motor", {{"speed", 2.0}, {"acceleration", 1000.0}}),
            sim("meter", "sim-sensor", {{"integration_ms", 10}})});
        Documents docs;
        RunEngine engine(lab.host(), scan("stage", 0, 4, 3, {"meter"}), docs.sink());
        engine.start();
        // On its way from 0 to 2 (a second at 2 mm/s).
        QVERIFY(advanceUntil(
            clock,
            [&] {
                return engine.point() == 1
                    && lab["stage"]->values().value("position").toDouble() > 0.5;
            },
            5s));
        engine.pause(PauseMode::Now);
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Paused; }, 1s));
        QVERIFY(!lab["stage"]->busy()); // stopped where it was
        const double stoppedAt = lab["stage"]->values().value("position").toDouble();
        QVERIFY(stoppedAt > 0.5 && stoppedAt < 2.0);
        clock.advance(3s);
        QCOMPARE(engine.point(), qint64(1)); // the point in flight was dropped
        QCOMPARE(lab["stage"]->values().value("position").toDouble(), stoppedAt);
        engine.resume();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 10s));
        QCOMPARE(seqNums(docs.events()), oneTo(3)); // no duplicate, none missing
        QCOMPARE(docs.column("stage"), (QList<QVariant>{0.0, 2.0, 4.0}));
        QCOMPARE(docs.stop().exitStatus, QStringLiteral("success"));
    }

    void pauseNowMidReadDropsTheReadingAndTakesThePointAgain()
    {
        Async::ManualClock clock;
        Lab lab({sim("stage", "sim-motor", {{"instant", true}}),
            sim("meter", "sim-sensor", {{"integration_ms", 300}})});
        Documents docs;
        RunEngine engine(lab.host(), scan("stage", 0, 2, 3, {"meter"}), docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.point() == 1 && lab["meter"]->busy(); }, 5s));
        clock.advance(100ms);
        engine.pause(PauseMode::Now);
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Paused; }, 1s));
        QVERIFY(!lab["meter"]->busy()); // its measurement was stopped
        QCOMPARE(engine.point(), qint64(1));
        lab.host().call("stage", "set_position", {-5.0}); // someone moves it meanwhile
        engine.resume();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 10s));
        QCOMPARE(seqNums(docs.events()), oneTo(3));
        QCOMPARE(docs.column("stage"), (QList<QVariant>{0.0, 1.0, 2.0})); // setpoints re-reached
    }

    void stopEndsAfterThePointWithSuccessStopped()
    {
        Async::ManualClock clock;
        Lab lab({sim("meter", "sim-sensor", {{"integration_ms", 100}})});
        RunInput input;
        input.plan.kind = QStringLiteral("count"); // until stopped
        input.plan.detectors = {QStringLiteral("meter")};
        input.plan.delaySeconds = 0.05;
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        QCOMPARE(engine.points(), qint64(-1));
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.point() == 3 && lab["meter"]->busy(); }, 5s));
        engine.stop();
        QCOMPARE(toString(engine.state()), toString(RunState::Stopping));
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 5s));
        QCOMPARE(engine.point(), qint64(4)); // the point in flight completed
        QCOMPARE(docs.stop().exitStatus, QStringLiteral("success"));
        QCOMPARE(docs.stop().reason, QStringLiteral("stopped"));
        QCOMPARE(docs.stop().numEvents, qint64(4));
    }

    void stopWhilePausedEndsAtOnce()
    {
        Async::ManualClock clock;
        Lab lab({sim("meter", "sim-sensor", {{"integration_ms", 100}})});
        RunInput input;
        input.plan.kind = QStringLiteral("count");
        input.plan.points = 10;
        input.plan.detectors = {QStringLiteral("meter")};
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        QCOMPARE(engine.points(), qint64(10));
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.point() == 2; }, 5s));
        engine.pause();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Paused; }, 5s));
        engine.stop();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 1s));
        QCOMPARE(docs.stop().reason, QStringLiteral("stopped"));
        QCOMPARE(docs.stop().numEvents, qint64(3));
    }

    void abortDropsThePointStopsTheStageAndEndsWithAbort()
    {
        Async::ManualClock clock;
        Lab lab({sim("stage", "sim-motor", {{"speed", 2.0}, {"acceleration", 1000.0}}),
            sim("meter", "sim-sensor", {{"integration_ms", 10}})});
        Documents docs;
        RunEngine engine(lab.host(), scan("stage", 0, 4, 3, {"meter"}), docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.point() == 1 && lab["stage"]->busy(); }, 5s));
        clock.advance(200ms);
        engine.abort(QStringLiteral("the sample is melting"));
        QCOMPARE(toString(engine.state()), toString(RunState::Aborting));
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 1s));
        QVERIFY(!lab["stage"]->busy());
        QCOMPARE(docs.events().size(), 1);
        QCOMPARE(docs.stop().exitStatus, QStringLiteral("abort"));
        QCOMPARE(docs.stop().reason, QStringLiteral("the sample is melting"));
        QCOMPARE(docs.stop().numEvents, qint64(1));
        QCOMPARE(docs.events("baseline").size(), 2);
    }

    // ---- suspension -------------------------------------------------------------------------

    void aLostLinkSuspendsTheRunWhichResumesWhenItComesBack()
    {
        Async::ManualClock clock;
        Lab lab({sim("stage", "sim-motor",
                     {{"speed", 10.0}, {"acceleration", 1000.0}, {"disconnect_after_s", 0.5},
                         {"reconnect_after_s", 1.0}}),
            sim("meter", "sim-sensor", {{"integration_ms", 20}})});
        Documents docs;
        RunEngine::Options options;
        options.resumeDelay = 200ms;
        RunEngine engine(lab.host(), scan("stage", 0, 9, 10, {"meter"}), docs.sink(), options);
        QSignalSpy stateSpy(&engine, &RunEngine::stateChanged);
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Suspended; }, 5s));
        QCOMPARE(toString(lab["stage"]->link()), toString(LinkState::Disconnected));
        QCOMPARE(toString(lab["stage"]->status()), QStringLiteral("ready")); // not a fault
        const qint64 before = engine.point();
        QVERIFY(before > 0 && before < 10);
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 20s));
        QCOMPARE(seqNums(docs.events()), oneTo(10));
        QCOMPARE(docs.column("stage"),
            (QList<QVariant>{0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0}));
        const QList<Suspension> suspensions = docs.of<Suspension>();
        QCOMPARE(suspensions.size(), 1);
        QCOMPARE(suspensions[0].device, QStringLiteral("stage"));
        QVERIFY(suspensions[0].reason.contains("disconnected"));
        QVERIFY(suspensions[0].end > suspensions[0].start);
        QCOMPARE(suspensions[0].runStart, engine.uid());
        QVERIFY(states(stateSpy).contains("suspended"));
        QCOMPARE(docs.stop().exitStatus, QStringLiteral("success"));
        QCOMPARE(docs.stop().reason, QStringLiteral("completed"));
    }

    void aSuspensionLongerThanTheTimeoutFailsTheRun()
    {
        Async::ManualClock clock;
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression("stage is in fault: .*connection lost"));
        Lab lab({sim("stage", "sim-motor",
                     {{"speed", 10.0}, {"acceleration", 1000.0}, {"disconnect_after_s", 0.5}}),
            sim("meter", "sim-sensor", {{"integration_ms", 20}})});
        Documents docs;
        RunInput input = scan("stage", 0, 9, 10, {"meter"});
        input.plan.suspendTimeoutSeconds = 2;
        RunEngine engine(lab.host(), input, docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Suspended; }, 5s));
        const Async::TimePoint suspended = clock.now();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 10s));
        const double waited = std::chrono::duration<double>(clock.now() - suspended).count();
        QVERIFY2(waited >= 2.0 && waited < 2.2, qPrintable(QString::number(waited)));
        QCOMPARE(docs.stop().exitStatus, QStringLiteral("fail"));
        QVERIFY(docs.stop().reason.startsWith("suspended for longer than 2 s"));
        QVERIFY(docs.stop().reason.contains("connection lost"));
        QCOMPARE(docs.of<Suspension>().size(), 1);
        QCOMPARE(docs.stop().numEvents, engine.point());
    }

    void aSuspendersConditionSuspendsTheRunWhileItDoesNotHold()
    {
        Async::ManualClock clock;
        // +1 for a second, -1 for the next, ... (a beam that goes away and comes back).
        Lab lab({sim("meter", "sim-sensor", {{"integration_ms", 50}}),
            sim("beam", "sim-signal",
                {{"waveform", "square"}, {"frequency_hz", 0.5}, {"rate_hz", 20.0}})});
        clock.advance(100ms); // the beam has a first reading
        RunInput input;
        input.plan.kind = QStringLiteral("count");
        input.plan.points = 40;
        input.plan.detectors = {QStringLiteral("meter")};
        input.plan.record = {QStringLiteral("beam.signal")};
        input.suspenders << SuspendCondition{.value = QStringLiteral("beam.signal"),
            .kind = SuspendCondition::Kind::Below,
            .low = 0.0};
        RunEngine::Options options;
        options.resumeDelay = 100ms;
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink(), options);
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Suspended; }, 5s));
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 20s));
        QCOMPARE(docs.stop().exitStatus, QStringLiteral("success"));
        QCOMPARE(seqNums(docs.events()), oneTo(40));
        for (const QVariant &beam : docs.column("beam.signal"))
            QCOMPARE(beam.toDouble(), 1.0); // never recorded while it was away
        const QList<Suspension> suspensions = docs.of<Suspension>();
        QVERIFY(!suspensions.isEmpty());
        QCOMPARE(suspensions[0].device, QString());
        QCOMPARE(suspensions[0].reason, QStringLiteral("beam.signal is -1, below 0"));
    }

    void aConditionSaysWhyItDoesNotHold_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("reading");
        QTest::addColumn<QString>("why");
        QTest::newRow("below") << int(SuspendCondition::Kind::Below) << 0.5
                               << "x.v is 0.5, below 1";
        QTest::newRow("not below") << int(SuspendCondition::Kind::Below) << 1.0 << "";
        QTest::newRow("above") << int(SuspendCondition::Kind::Above) << 2.5
                               << "x.v is 2.5, above 2";
        QTest::newRow("not above") << int(SuspendCondition::Kind::Above) << 2.0 << "";
        QTest::newRow("outside") << int(SuspendCondition::Kind::Outside) << 3.0
                                 << "x.v is 3, outside [1, 2]";
        QTest::newRow("inside") << int(SuspendCondition::Kind::Outside) << 1.5 << "";
        QTest::newRow("not a number")
            << int(SuspendCondition::Kind::Outside) << qQNaN() << "x.v has no value";
    }
    void aConditionSaysWhyItDoesNotHold()
    {
        QFETCH(int, kind);
        QFETCH(double, reading);
        QFETCH(QString, why);
        const SuspendCondition condition{.value = QStringLiteral("x.v"),
            .kind = SuspendCondition::Kind(kind),
            .low = 1,
            .high = 2};
        QCOMPARE(condition.violation(reading).value_or(QString()), why);
    }

    // ---- adaptive_scan and time_series ------------------------------------------------------

    void adaptiveScanTakesSmallerStepsNearThePeak()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        RunInput input;
        input.plan.kind = QStringLiteral("adaptive_scan");
        input.plan.detectors = {QStringLiteral("peak")};
        input.plan.axes << linearAxis("stage", 0, 10, 0);
        input.plan.target = QStringLiteral("peak.signal");
        input.plan.minStep = 0.05;
        input.plan.maxStep = 1.0;
        input.plan.targetDelta = 0.05;
        input.plan.backstep = true;
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        QCOMPARE(engine.points(), qint64(-1));
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 10s));
        const QList<QVariant> x = docs.column("stage");
        const QList<QVariant> y = docs.column("peak.signal");
        QVERIFY(x.size() > 10);
        QCOMPARE(x.front().toDouble(), 0.0);
        QVERIFY(x.back().toDouble() <= 10.0);
        double nearPeak = 1e9;
        double farFromIt = 0;
        for (qsizetype k = 0; k + 1 < x.size(); ++k) {
            QCOMPARE(y[k].toDouble(), PeakSensor::at(x[k].toDouble()));
            const double step = x[k + 1].toDouble() - x[k].toDouble();
            if (step <= 0)
                continue; // a backstep
            if (std::abs(x[k].toDouble() - 5) < 1)
                nearPeak = std::min(nearPeak, step);
            if (x[k].toDouble() < 2.5 || x[k].toDouble() > 8)
                farFromIt = std::max(farFromIt, step);
        }
        QVERIFY2(nearPeak * 4 < farFromIt,
            qPrintable(QStringLiteral("%1 vs %2").arg(nearPeak).arg(farFromIt)));
    }

    void adaptiveStepperFollowsBlueskysRule_data()
    {
        QTest::addColumn<double>("start");
        QTest::addColumn<double>("stop");
        QTest::newRow("upwards") << 0.0 << 10.0;
        QTest::newRow("downwards") << 10.0 << 0.0;
    }
    void adaptiveStepperFollowsBlueskysRule()
    {
        QFETCH(double, start);
        QFETCH(double, stop);
        AdaptiveStepper stepper({.start = start,
            .stop = stop,
            .minStep = 0.1,
            .maxStep = 1.0,
            .targetDelta = 0.1,
            .backstep = false});
        QCOMPARE(*stepper.next(), start);
        QCOMPARE(stepper.step(), 0.45); // (max - min) / 2
        stepper.measured(0.0);
        const double direction = stop > start ? 1 : -1;
        QCOMPARE(*stepper.next(), start + direction * 0.45);
        stepper.measured(0.0); // flat: the step grows by 10%, smoothed
        QCOMPARE(stepper.step(), 0.2 * 0.495 + 0.8 * 0.45);
        stepper.measured(10.0); // steep: the smallest step, smoothed
        QCOMPARE(stepper.step(), 0.2 * 0.1 + 0.8 * (0.2 * 0.495 + 0.8 * 0.45));
        int points = 3;
        while (stepper.next()) {
            stepper.measured(0.0);
            QVERIFY(++points < 100);
        }
    }

    void timeSeriesRecordsAtAFixedPeriodUntilItsDuration()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        RunInput input;
        input.plan.kind = QStringLiteral("time_series");
        input.plan.record = {QStringLiteral("sig.signal"), QStringLiteral("sig.measurement_id"),
            QStringLiteral("stage.position")};
        input.plan.periodSeconds = 0.25;
        input.plan.durationSeconds = 2.0;
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        engine.start();
        const Async::TimePoint started = clock.now();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 5s));
        const double took = std::chrono::duration<double>(clock.now() - started).count();
        QVERIFY2(took >= 1.75 && took < 1.8, qPrintable(QString::number(took)));
        QCOMPARE(docs.events().size(), 8); // at 0, 0.25, ... 1.75 s
        const Descriptor primary = docs.stream("primary");
        QCOMPARE(primary.dataKeys[0].role, QStringLiteral("record"));
        QCOMPARE(primary.dataKeys[0].units, QStringLiteral("V"));
        QCOMPARE(primary.dataKeys[1].dtype, QStringLiteral("integer"));
        // The 10 Hz source: each period of 0.25 s saw two or three of its readings.
        const QList<QVariant> ids = docs.column("sig.measurement_id");
        for (qsizetype k = 2; k < ids.size(); ++k) { // the first before any reading
            const qint64 step = ids[k].toLongLong() - ids[k - 1].toLongLong();
            QVERIFY(step == 2 || step == 3);
        }
    }

    void timeSeriesOnChangeRecordsEveryUpdate()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        RunInput input;
        input.plan.kind = QStringLiteral("time_series");
        input.plan.record = {QStringLiteral("sig.signal"), QStringLiteral("sig.measurement_id")};
        input.plan.onChange = true;
        input.plan.durationSeconds = 1.0;
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 5s));
        const QList<QVariant> ids = docs.column("sig.measurement_id");
        QVERIFY(ids.size() >= 10);
        QVERIFY(!ids[0].isValid()); // at the start: no reading yet
        QCOMPARE(ids[1].toLongLong(), 0);
        for (qsizetype k = 2; k < ids.size(); ++k)
            QCOMPARE(ids[k].toLongLong(), ids[k - 1].toLongLong() + 1); // none dropped
    }

    void aPausedTimeSeriesRecordsNothingAndResumesFromTheValuesOfNow()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        RunInput input;
        input.plan.kind = QStringLiteral("time_series");
        input.plan.record = {QStringLiteral("sig.measurement_id")};
        input.plan.onChange = true;
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.point() == 4; }, 5s));
        engine.pause();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Paused; }, 1s));
        const qint64 paused = engine.point();
        clock.advance(1s); // ten updates nobody records
        QCOMPARE(engine.point(), paused);
        engine.resume();
        clock.advance(0ms); // the next update is 100 ms away: this row is the value of now
        QCOMPARE(engine.point(), paused + 1);
        QVERIFY(advanceUntil(
            clock, [&] { return engine.point() == paused + 3; }, 2s));
        engine.stop();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 1s));
        const QList<QVariant> ids = docs.column("sig.measurement_id");
        // At the resume, the value of then (ten past the last recorded), then each update.
        QVERIFY(ids[paused].toLongLong() >= ids[paused - 1].toLongLong() + 9);
        QCOMPARE(ids[paused + 1].toLongLong(), ids[paused].toLongLong() + 1);
        QCOMPARE(ids[paused + 2].toLongLong(), ids[paused].toLongLong() + 2);
    }

    void aTimeSeriesWithoutADurationRunsUntilStopped()
    {
        Async::ManualClock clock;
        Lab lab(instantLab());
        RunInput input;
        input.plan.kind = QStringLiteral("time_series");
        input.plan.record = {QStringLiteral("sig.signal")};
        input.plan.periodSeconds = 0.1;
        Documents docs;
        RunEngine engine(lab.host(), input, docs.sink());
        engine.start();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.point() == 5; }, 5s));
        engine.stop();
        QVERIFY(advanceUntil(
            clock, [&] { return engine.state() == RunState::Done; }, 1s));
        QCOMPARE(docs.stop().reason, QStringLiteral("stopped"));
        QCOMPARE(docs.stop().numEvents, qint64(5));
    }

    // ---- on the device thread ---------------------------------------------------------------

    void aRunOnTheDeviceThreadIsControlledFromAnother()
    {
        SimLab lab(R"([stage]
driver = "sim-motor"
instant = true

[meter]
driver = "sim-sensor"
integration_ms = 2
)");
        // The sink runs on the device thread; a writer would queue there, as this does.
        std::mutex mutex;
        std::vector<Document> received;
        std::atomic<bool> stopped = false;
        auto sink = [&](const Document &d) {
            const std::lock_guard lock(mutex);
            received.push_back(d);
            if (std::holds_alternative<RunStop>(d))
                stopped = true;
        };
        RunInput input;
        input.plan.kind = QStringLiteral("count"); // until stopped
        input.plan.detectors = {QStringLiteral("meter")};
        RunEngine *engine = nullptr;
        QMetaObject::invokeMethod(
            lab.host(), [&] { engine = new RunEngine(*lab.host(), input, sink); },
            Qt::BlockingQueuedConnection);
        QStringList seen; // on this thread, through queued signals
        connect(engine, &RunEngine::stateChanged, this,
            [&](RunState state) { seen << toString(state); });
        QMetaObject::invokeMethod(engine, [engine] { engine->start(); });
        QTRY_VERIFY([&] {
            const std::lock_guard lock(mutex);
            return received.size() > 20;
        }());
        QMetaObject::invokeMethod(engine, [engine] { engine->pause(); });
        QTRY_COMPARE(seen.size(), 3);
        QCOMPARE(seen, (QStringList{"running", "pausing", "paused"}));
        QMetaObject::invokeMethod(engine, [engine] { engine->resume(); });
        QMetaObject::invokeMethod(engine, [engine] { engine->stop(); });
        QTRY_VERIFY(stopped);
        QTRY_COMPARE(seen.back(), QStringLiteral("done"));
        QMetaObject::invokeMethod(
            lab.host(), [&] { delete engine; }, Qt::BlockingQueuedConnection);

        const std::lock_guard lock(mutex);
        const RunStop stop = std::get<RunStop>(received.back());
        QCOMPARE(stop.exitStatus, QStringLiteral("success"));
        QCOMPARE(stop.reason, QStringLiteral("stopped"));
        QString primary;
        QList<qint64> seq;
        for (const Document &d : received) {
            if (const auto *descriptor = std::get_if<Descriptor>(&d);
                descriptor && descriptor->name == QLatin1String("primary"))
                primary = descriptor->uid;
            if (const auto *event = std::get_if<Event>(&d); event && event->descriptor == primary)
                seq << event->seqNum;
        }
        QCOMPARE(seq, oneTo(stop.numEvents));
        QVERIFY(stop.numEvents > 10);
    }
};

QTEST_GUILESS_MAIN(TestRunEngine)
#include "tst_runengine.moc"
