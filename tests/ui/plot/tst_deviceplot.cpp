// SPDX-License-Identifier: MIT
// DevicePlot: a device's numeric hinted properties as live series, from its handle's snapshots;
// against a scripted handle, and against sim devices run by a real host.
#include "scriptedhandle.h"
#include "uitestsupport.h"

#include <plot/deviceplot.h>
#include <plot/liveplot.h>

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::UiTest;
using namespace Benchtop::Ui;

namespace {

PropertyInfo propertyOf(
    const QString &stateKey, ValueType type, ControlKind kind, const QString &units = {})
{
    return {.name = stateKey.section(QLatin1Char('/'), -1),
        .type = type,
        .stateKey = stateKey,
        .units = units,
        .controlKind = kind};
}

const QList<PropertyInfo> kStageAndSensor{
    propertyOf("position", ValueType::Double, ControlKind::Hinted, "mm"),
    propertyOf("destination", ValueType::Double, ControlKind::Hinted, "mm"),
    propertyOf("measured/spectrum", ValueType::DoubleList, ControlKind::Hinted, "counts"),
    propertyOf("measurement_id", ValueType::Int, ControlKind::Normal),
    propertyOf("counts", ValueType::Int, ControlKind::Hinted),
    propertyOf("outputs/led", ValueType::Bool, ControlKind::Hinted),
    propertyOf("turret", ValueType::String, ControlKind::Hinted),
};

/// Shows `widget` and waits for `plot`'s first frame; and, unless its data never stop coming
/// (`streaming`: a redraw is then always pending somewhere), for nothing left to draw.
bool showAndSettle(QWidget &widget, const LivePlot &plot, bool streaming = false)
{
    widget.resize(800, 360);
    widget.show();
    return QTest::qWaitForWindowExposed(&widget) && QTest::qWaitFor([&] {
        return plot.replotCount() > 0 && (streaming || !plot.isRedrawPending());
    });
}

void saveScreenshotIfAsked(QWidget &widget, const char *name)
{
    const QByteArray dir = qgetenv("BENCHTOP_PLOT_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget.grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + QLatin1String(name));
}

} // namespace

class TestDevicePlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void plotsTheNumericHintedProperties()
    {
        ScriptedHandle handle;
        handle.describe(kStageAndSensor);
        DevicePlot plot(&handle);
        QCOMPARE(plot.plot()->seriesKeys(), (QStringList{"position", "destination", "counts"}));
        QCOMPARE(plot.plot()->valueAxisLabel(LivePlot::ValueAxis::Left),
            QStringLiteral("position, destination (mm)"));
        QCOMPARE(plot.plot()->valueAxisLabel(LivePlot::ValueAxis::Right), QStringLiteral("counts"));
    }

    void appendsEachNewReadingAtItsPublishedTime()
    {
        ScriptedHandle handle;
        handle.describe({propertyOf("position", ValueType::Double, ControlKind::Hinted, "mm"),
            propertyOf("measured/x", ValueType::Double, ControlKind::Hinted, "V")});
        DevicePlot plot(&handle);
        LivePlot *live = plot.plot();
        QVERIFY(!live->latest(QStringLiteral("position")));

        handle.deliver({{"position", 1.5}, {"measured", QVariantMap{{"x", -2.0}}}}, 1);
        QCOMPARE(live->latest(QStringLiteral("position"))->value, 1.5);
        QCOMPARE(live->latest(QStringLiteral("position"))->t,
            LivePlot::toSeconds(handle.readings().at(0)));
        QCOMPARE(live->latest(QStringLiteral("measured/x"))->value, -2.0);

        // a keep-alive repeats the snapshot: nothing new to plot
        const double firstArrival = live->latest(QStringLiteral("position"))->t;
        handle.deliver({{"position", 1.5}, {"measured", QVariantMap{{"x", -2.0}}}}, 1);
        QCOMPARE(live->latest(QStringLiteral("position"))->t, firstArrival);

        // a value missing or not a number is skipped, the others are plotted
        handle.deliver(
            {{"position", QStringLiteral("far")}, {"measured", QVariantMap{{"x", 3}}}}, 2);
        QCOMPARE(live->latest(QStringLiteral("position"))->t, firstArrival);
        QCOMPARE(live->latest(QStringLiteral("measured/x"))->value, 3.0);

        // a restarted device counts again from the start
        handle.deliver({{"position", 4.0}}, 1);
        QCOMPARE(live->latest(QStringLiteral("position"))->value, 4.0);
    }

    void aPlotOpenedOnADeviceAtRestStartsFromItsValue()
    {
        ScriptedHandle handle;
        handle.describe({propertyOf("position", ValueType::Double, ControlKind::Hinted, "mm")});
        handle.deliver({{"position", 7.0}}, 1);
        const double published = LivePlot::toSeconds(handle.publishedAt());
        handle.deliver({{"position", 7.0}}, 1); // a keep-alive: no new reading
        QCOMPARE(handle.readings().count(), 0);
        DevicePlot plot(&handle);
        const std::optional<Sample> first = plot.plot()->latest(QStringLiteral("position"));
        QVERIFY(first);
        QCOMPARE(first->value, 7.0);
        QCOMPARE(first->t, published);
    }

    void plotsEveryReadingOfABatchAtItsOwnTime()
    {
        ScriptedHandle handle;
        handle.describe({propertyOf("measured/x", ValueType::Double, ControlKind::Hinted, "V")});
        DevicePlot plot(&handle);
        LivePlot *live = plot.plot();
        const auto start = std::chrono::steady_clock::now();
        using std::chrono::milliseconds;
        const QList<std::chrono::steady_clock::time_point> at{
            start, start + milliseconds(10), start + milliseconds(20)};
        handle.deliverSeveral(
            {{{"measured", QVariantMap{{"x", 1.0}}}}, {{"measured", QVariantMap{{"x", 2.0}}}},
                {{"measured", QVariantMap{{"x", 3.0}}}}},
            at, 1);
        const QList<Sample> samples = live->samples(QStringLiteral("measured/x"));
        QCOMPARE(samples.size(), 3);
        for (qsizetype i = 0; i < 3; ++i) {
            QCOMPARE(samples[i].value, double(i + 1));
            QCOMPARE(samples[i].t, LivePlot::toSeconds(at[i]));
        }
    }

    // After the link to the instrument is lost the plot does not draw the last value on as if
    // it were still read: the series stop at the loss, marked with its time, and resume with
    // the next measured reading (issue 18 item 5).
    void aLostLinkBreaksTheSeriesUntilReadingsComeAgain()
    {
        using namespace std::chrono_literals;
        ScriptedHandle handle;
        handle.describe({propertyOf("position", ValueType::Double, ControlKind::Hinted, "mm")});
        DevicePlot plot(&handle);
        LivePlot *live = plot.plot();
        const auto start = std::chrono::steady_clock::now() - 8s;
        DeviceSnapshot up{.values = {{"position", 2.0}}};
        DeviceSnapshot lost = up; // the device still shows the last position it knew
        lost.link = LinkState::Disconnected;
        DeviceSnapshot reconnecting = lost;
        reconnecting.link = LinkState::Connecting;
        handle.deliverSeveral({up, lost, reconnecting}, {start, start + 2s, start + 3s}, 1);

        const QString key = QStringLiteral("position");
        QCOMPARE(live->samples(key), (QList<Sample>{{LivePlot::toSeconds(start), 2.0}}));
        QCOMPARE(live->breaks().size(), 1);
        QCOMPARE(live->breaks().first().t, LivePlot::toSeconds(start + 2s));
        QVERIFY2(QRegularExpression(QStringLiteral("^link lost \\d\\d:\\d\\d:\\d\\d$"))
                     .match(live->breaks().first().label)
                     .hasMatch(),
            qPrintable(live->breaks().first().label));
        QVERIFY(showAndSettle(plot, *live));
        const QList<LivePlot::Break> marked = live->plottedBreaks();
        QCOMPARE(marked.size(), 1);
        QList<QPointF> points = live->plottedPoints(key);
        QVERIFY(std::isnan(points.last().y()));
        for (const QPointF &point : points)
            QVERIFY2(point.x() <= marked.first().t, "nothing drawn after the link was lost");

        // Connected again: the line resumes at the next reading.
        DeviceSnapshot back = up;
        back.values = {{"position", 3.0}};
        handle.deliverSeveral({back}, {start + 6s}, 4);
        QCOMPARE(live->latest(key)->value, 3.0);
        QTRY_VERIFY(!live->isRedrawPending());
        points = live->plottedPoints(key);
        QCOMPARE(points.last().y(), 3.0);
        QVERIFY(points.last().x() > -0.5);
        const auto gap = std::find_if(points.begin(), points.end(),
            [](const QPointF &point) { return std::isnan(point.y()); });
        QVERIFY(gap != points.end());
        QCOMPARE((gap + 1)->y(), 3.0);
        QVERIFY((gap + 1)->x() - gap->x() > 3.5); // nothing in between: 4 s from loss to data
        saveScreenshotIfAsked(plot, "deviceplot-linkback.png");

        // A fault is a break too, said as such.
        DeviceSnapshot fault = back;
        fault.status = DeviceStatus::Fault;
        handle.deliverSeveral({fault}, {start + 7s}, 5);
        QCOMPARE(live->breaks().size(), 2);
        QVERIFY(live->breaks().last().label.startsWith(QStringLiteral("fault ")));
    }

    // The same with a sim device whose connection drops after half a second.
    void aSimDeviceWhoseLinkDropsIsNotDrawnOnAfterIt()
    {
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression("^source is in fault: .*connection lost"));
        SimLab lab(R"(
[source]
driver = "sim-signal"
rate_hz = 100.0
channel = "signal"
units = "V"
frequency_hz = 2.0
amplitude = 1.0
seed = 3
disconnect_after_s = 0.5
)");
        auto handle = lab.handle("source");
        DevicePlot plot(handle.get());
        LivePlot *live = plot.plot();
        const QString key = QStringLiteral("measured/signal");
        QTRY_COMPARE(live->seriesKeys(), QStringList{key});
        plot.resize(800, 360);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QTRY_VERIFY_WITH_TIMEOUT(handle->snapshot().status == DeviceStatus::Fault, 10000);
        QTRY_COMPARE(live->breaks().size(), 1);
        QVERIFY(live->breaks().first().label.startsWith(QStringLiteral("link lost ")));
        QVERIFY(!live->samples(key).isEmpty()); // it was read before
        QTRY_COMPARE(live->plottedBreaks().size(), 1);
        QTRY_VERIFY(!live->isRedrawPending());
        const double lostX = live->plottedBreaks().first().t;
        const QList<QPointF> points = live->plottedPoints(key);
        QVERIFY(points.size() > 10);
        QVERIFY(std::isnan(points.last().y()));
        for (const QPointF &point : points)
            QVERIFY2(point.x() <= lostX, "nothing drawn after the link was lost");
        QVERIFY(live->samples(key).last().t <= live->breaks().first().t);
        saveScreenshotIfAsked(plot, "deviceplot-linklost.png");
    }

    void aNewDescriptionRebuildsTheSeries()
    {
        ScriptedHandle handle;
        handle.describe(kStageAndSensor);
        DevicePlot plot(&handle);
        handle.deliver({{"position", 2.0}, {"destination", 3.0}}, 1);
        handle.describe({propertyOf("position", ValueType::Double, ControlKind::Hinted, "mm"),
            propertyOf("measured/y", ValueType::Double, ControlKind::Hinted, "V")});
        QCOMPARE(plot.plot()->seriesKeys(), (QStringList{"position", "measured/y"}));
        QCOMPARE(plot.plot()->latest(QStringLiteral("position"))->value, 2.0);
    }

    void outlivesItsHandle()
    {
        auto handle = std::make_unique<ScriptedHandle>();
        handle->describe(kStageAndSensor);
        DevicePlot plot(handle.get());
        handle->deliver({{"position", 2.0}}, 1);
        handle.reset();
        QVERIFY(!plot.handle());
        QCOMPARE(plot.plot()->latest(QStringLiteral("position"))->value, 2.0);
    }

    void plotsASimSignalAt100Hz()
    {
        SimLab lab(R"(
[source]
driver = "sim-signal"
rate_hz = 100.0
channel = "signal"
units = "V"
frequency_hz = 2.0
amplitude = 1.0
seed = 3
)");
        auto handle = lab.handle("source");
        DevicePlot plot(handle.get());
        LivePlot *live = plot.plot();
        const QString key = QStringLiteral("measured/signal");
        QTRY_COMPARE(live->seriesKeys(), QStringList{key});
        QVERIFY(showAndSettle(plot, *live, true));
        // a second of readings: more than a period of the sine
        QTRY_VERIFY_WITH_TIMEOUT(live->plottedPoints(key).size() > 100, 10000);

        // What the plot holds last is what the handle holds now, and it is drawn.
        QCOMPARE(live->latest(key)->value, valueAt(handle->snapshot().values, key).toDouble());
        QVERIFY(live->visibleValueRange(key).contains(live->latest(key)->value));
        QVERIFY(live->seriesLabel(key).endsWith(QStringLiteral(" V")));
        double lowest = 0;
        double highest = 0;
        for (const QPointF &point : live->plottedPoints(key)) {
            QVERIFY(std::abs(point.y()) <= 1.0 + 1e-9);
            QVERIFY(live->visibleTimeRange().contains(point.x()) || point.x() < 0);
            lowest = std::min(lowest, point.y());
            highest = std::max(highest, point.y());
        }
        QVERIFY2(highest - lowest > 1.0, "a sine of amplitude 1 over more than a period");
        saveScreenshotIfAsked(plot, "deviceplot-signal.png");
    }

    void followsAMovingSimStage()
    {
        SimLab lab(R"(
[stage]
driver = "sim-motor"
speed = 20.0
acceleration = 40.0
)");
        auto handle = lab.handle("stage");
        DevicePlot plot(handle.get());
        LivePlot *live = plot.plot();
        QTRY_COMPARE(live->seriesKeys(), (QStringList{"destination", "position"}));
        QVERIFY(showAndSettle(plot, *live));

        QCOMPARE(waitFor(handle->moveTo(12.5)), 12.5);
        // the last point drawn is where the stage is now
        QTRY_COMPARE(live->plottedPoints(QStringLiteral("position")).last().y(), 12.5);
        QCOMPARE(handle->snapshot().values.value("position").toDouble(), 12.5);
        QCOMPARE(
            live->seriesLabel(QStringLiteral("position")), QStringLiteral("position: 12.500 mm"));
        // and it was drawn on the way there
        QSet<double> positions;
        for (const QPointF &point : live->plottedPoints(QStringLiteral("position")))
            positions.insert(point.y());
        QVERIFY2(positions.size() > 10, qPrintable(QString::number(positions.size())));
        QCOMPARE(live->plottedPoints(QStringLiteral("destination")).last().y(), 12.5);
        saveScreenshotIfAsked(plot, "deviceplot-stage.png");
    }

    void aSpectrometerHasNothingToPlot()
    {
        SimLab lab(R"(
[spectrometer]
driver = "sim-sensor"
channels = ["counts"]
points = 512
integration_ms = 1
)");
        auto handle = lab.handle("spectrometer");
        DevicePlot plot(handle.get());
        QTRY_COMPARE(handle->description().kind, QStringLiteral("sim-sensor"));
        QVERIFY(plot.plot()->seriesKeys().isEmpty());
    }
};

QTEST_MAIN(TestDevicePlot)
#include "tst_deviceplot.moc"
