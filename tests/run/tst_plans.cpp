// SPDX-License-Identifier: MIT
// Plans (core/run/plan*, filenaming): the bad-plans corpora (each file refused with its exact
// message: tests/run/badplans on its own, tests/run/badplans-demolab against the built-in demo
// lab), good plans of every kind and the example plans (parsed, checked against the demo lab
// run by the sim plugin, expanded), --set overrides, expansion (a snaked grid's visit order,
// repeats, axes moved together), the check of turret slots and relative axes, and the files'
// names: the template, the data folder, the scan_id counter under two processes at once, and
// never overwriting a file.
#include "simlab.h"
#include "testsupport.h"

#include <run/filenaming.h>
#include <run/plancheck.h>
#include <run/planexpansion.h>
#include <run/planfile.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>

using namespace Benchtop;
using namespace Benchtop::Run;
using namespace Benchtop::Test;

namespace {

const QString kBad = QStringLiteral(BENCHTOP_TEST_PLANS "/badplans/");
const QString kBadOnDemoLab = QStringLiteral(BENCHTOP_TEST_PLANS "/badplans-demolab/");
const QString kExamples = QStringLiteral(BENCHTOP_EXAMPLE_PLANS "/");
const char *const kTakeIds = "--take-scan-ids";

/// The first error each bad plan is refused with, after its path: exactly.
struct Expected {
    const char *file;
    const char *error;
};

const Expected kRefusals[] = {
    {"adaptive-axis-points.toml",
        ":12:10: axis 1: the axes of plan kind \"adaptive_scan\" do not take key \"points\" (it is "
        "for scan and grid_scan; an adaptive_scan chooses its own steps)"},
    {"adaptive-min-step-above-max.toml", ":4:12: key \"min_step\" (2) is above max_step (1)"},
    {"adaptive-step-zero.toml", ":4:12: key \"min_step\" must be a number above 0, not 0"},
    {"adaptive-target-not-a-detector.toml",
        ":3:10: key \"target\": device \"signal-10hz\" is not one of the detectors "
        "(\"signal-100hz\")"},
    {"adaptive-two-axes.toml", ":13:1: an \"adaptive_scan\" plan moves one axis, not 2"},
    {"adaptive-without-target.toml", ":1:1: plan kind \"adaptive_scan\" needs key \"target\""},
    {"axis-device-missing.toml", ":4:1: axis 1: missing key \"device\""},
    {"axis-device-twice.toml", ":9:10: axis 2: device \"stage-x\" is already axis 1"},
    {"axis-key-misspelt.toml", ":6:9: axis 1: unknown key \"strat\" (did you mean \"start\"?)"},
    {"axis-not-a-table.toml",
        ":3:8: key \"axis\" must be [[axis]] tables, one per device to move, not a string"},
    {"axis-relative-identifiers.toml",
        ":7:12: axis 1: key \"relative\" is for positions (numbers), not identifiers"},
    {"axis-values-and-start.toml",
        ":6:9: axis 1: give either \"values\" or \"start\", \"stop\" and \"points\", not both"},
    {"axis-values-empty.toml",
        ":6:10: axis 1: key \"values\" must be a non-empty array of positions (numbers) or "
        "identifiers (strings), not []"},
    {"axis-values-mixed.toml",
        ":6:19: axis 1: key \"values[1]\" must be an identifier (a string) as the first value is, "
        "not 2"},
    {"count-measures-nothing.toml",
        ":1:1: a \"count\" plan measures nothing: give \"detectors\" (sensors to read) or "
        "\"record\" (values to record, \"device.value\")"},
    {"count-points-zero.toml", ":3:10: key \"points\" must be at least 1, not 0"},
    {"count-repeats.toml",
        ":4:11: plan kind \"count\" does not take key \"repeats\" (it is for scan, list_scan and "
        "grid_scan; give \"points\" the whole count)"},
    {"count-with-axis.toml",
        ":4:1: plan kind \"count\" does not take key \"axis\" (it is for scan, list_scan, "
        "grid_scan and adaptive_scan; a count moves nothing)"},
    {"date-value.toml", ":5:8: key \"metadata.when\" is a date; dates and times are not supported"},
    {"delay-a-string.toml", ":3:11: key \"delay_s\" must be a number, not a string"},
    {"delay-infinite.toml", ":3:11: key \"delay_s\" must be at most 31536000 s, not inf"},
    {"delay-negative.toml", ":3:11: key \"delay_s\" must be at least 0 s, not -0.5"},
    {"detector-named-twice.toml", ":2:29: key \"detectors[1]\": \"signal-10hz\" is named twice"},
    {"detectors-not-strings.toml", ":2:29: key \"detectors[1]\" must be a string, not 2"},
    {"grid-absurd-point-count.toml", ":4:1: the plan visits 1000000000 points; at most 100000000"},
    {"grid-snake-first-axis.toml",
        ":7:9: axis 1: key \"snake\" does nothing on the first (slowest) axis of a grid_scan; "
        "snake the axes inside it"},
    {"key-misspelt.toml", ":3:10: unknown key \"dely_s\" (did you mean \"delay_s\"?)"},
    {"key-not-for-the-kind.toml",
        ":3:12: plan kind \"count\" does not take key \"settle_s\" (it is for scan, list_scan, "
        "grid_scan and adaptive_scan)"},
    {"kind-missing.toml",
        ":1:1: missing key \"kind\" (one of \"count\", \"scan\", \"list_scan\", \"grid_scan\", "
        "\"adaptive_scan\", \"time_series\")"},
    {"kind-misspelt.toml", ":1:8: unknown plan kind \"gird_scan\" (did you mean \"grid_scan\"?)"},
    {"kind-not-a-string.toml",
        ":1:8: key \"kind\" must be a string (one of \"count\", \"scan\", \"list_scan\", "
        "\"grid_scan\", \"adaptive_scan\", \"time_series\"), not 3"},
    {"kind-unknown.toml",
        ":1:8: unknown plan kind \"spiral\" (the kinds are \"count\", \"scan\", \"list_scan\", "
        "\"grid_scan\", \"adaptive_scan\", \"time_series\")"},
    {"list-scan-start.toml",
        ":6:9: axis 1: the axes of plan kind \"list_scan\" do not take key \"start\" (it is for "
        "scan, grid_scan and adaptive_scan; a list_scan's axes take \"values\")"},
    {"list-scan-unequal-values.toml",
        ":10:10: axis 2 has 1 value and axis 1 has 2 values: a list_scan moves its axes together, "
        "so each needs as many"},
    {"metadata-not-a-table.toml",
        ":3:12: key \"metadata\" must be a table ([metadata]), not a string"},
    {"metadata-sample-not-a-string.toml",
        ":5:10: key \"metadata.sample\" must be a string, not 42"},
    {"record-not-device-value.toml",
        ":2:11: key \"record[0]\" must be \"device.value\", not \"position\""},
    {"repeats-zero.toml", ":3:11: key \"repeats\" must be at least 1, not 0"},
    {"scan-axes-unequal-points.toml",
        ":14:10: axis 2 has 4 points and axis 1 has 5 points: a scan moves its axes together, so "
        "each needs as many"},
    {"scan-axis-missing-stop.toml", ":4:1: axis 1: missing key \"stop\""},
    {"scan-axis-points-zero.toml", ":8:10: axis 1: key \"points\" must be at least 1, not 0"},
    {"scan-axis-start-infinite.toml",
        ":6:9: axis 1: key \"start\" must be a finite number, not -inf"},
    {"scan-axis-with-values.toml",
        ":6:10: axis 1: the axes of plan kind \"scan\" do not take key \"values\" (it is for "
        "list_scan and grid_scan; a scan's axes are linear: start, stop and points)"},
    {"scan-snake.toml",
        ":9:9: axis 1: the axes of plan kind \"scan\" do not take key \"snake\" (it is for "
        "grid_scan)"},
    {"scan-without-axis.toml",
        ":1:1: plan kind \"scan\" needs key \"axis\" (an [[axis]] table for each device it moves)"},
    {"syntax-error.toml", ":2:9: Error while parsing key-value pair: expected value, saw '\\n'"},
    {"template-format-on-kind.toml",
        ":3:17: key \"file_template\" gives placeholder \"kind\" a format; only scan_id takes one "
        "({scan_id:05d})"},
    {"template-leaves-the-folder.toml",
        ":3:17: key \"file_template\" may not name the folder \"..\""},
    {"template-unclosed-brace.toml", ":3:17: key \"file_template\" has a \"{\" without its \"}\""},
    {"template-unknown-placeholder.toml",
        ":3:17: key \"file_template\": unknown placeholder \"{sampel}\" (did you mean "
        "\"sample\"?)"},
    {"time-series-duration-zero.toml", ":4:14: key \"duration_s\" must be at least 0.001 s, not 0"},
    {"time-series-neither-period-nor-on-change.toml",
        ":1:1: a \"time_series\" plan needs key \"period_s\" (record every period) or \"on_change "
        "= true\" (record every change)"},
    {"time-series-period-and-on-change.toml",
        ":4:13: give either \"period_s\" or \"on_change = true\", not both"},
    {"time-series-with-delay.toml",
        ":4:11: plan kind \"time_series\" does not take key \"delay_s\" (it is for count, scan, "
        "list_scan, grid_scan and adaptive_scan; a time_series records every \"period_s\")"},
};

const Expected kRefusalsOnDemoLab[] = {
    {"axis-device-cannot-move.toml",
        ":5:10: axis 1: device \"signal-10hz\" (\"sim-signal\") cannot be moved: it has no "
        "has-position, is-discrete or has-turret"},
    {"axis-device-unknown.toml",
        ":5:10: axis 1: there is no device \"stage-z\" in the lab (did you mean \"stage-x\"?)"},
    {"axis-outside-the-limits.toml",
        ":7:8: axis 1 (\"stage-x\"): point 12 of 13 is 55 mm, outside the device's limits [-50, "
        "50] mm; 1 more point is outside"},
    {"axis-value-outside-the-limits.toml",
        ":6:22: axis 1 (\"stage-x\"): point 3 of 4 is -70 mm, outside the device's limits [-50, "
        "50] mm"},
    {"detector-not-a-sensor.toml",
        ":2:14: key \"detectors[0]\": device \"stage-x\" (\"sim-motor\") is not a sensor (it has "
        "no is-sensor); record one of its values with \"record\" instead"},
    {"detector-unknown.toml",
        ":2:14: key \"detectors[0]\": there is no device \"spectrometr\" in the lab (did you mean "
        "\"spectrometer\"?)"},
    {"identifier-unknown.toml",
        ":6:19: axis 1: device \"filters\" has no position \"ND3\" (did you mean \"ND1\"?)"},
    {"identifiers-for-a-stage.toml",
        ":6:10: axis 1: device \"stage-x\" (\"sim-motor\") has no named positions (no is-discrete "
        "or has-turret): give positions as numbers"},
    {"positions-for-a-wheel.toml",
        ":5:10: axis 1: device \"filters\" (\"sim-filter-wheel\") has no has-position: give its "
        "named positions (identifiers) as \"values\""},
    {"record-unknown-device.toml",
        ":2:11: key \"record[0]\": there is no device \"stage-y\" in the lab (did you mean "
        "\"stage-x\"?)"},
    {"record-unknown-value.toml",
        ":2:11: key \"record[0]\": device \"stage-x\" publishes no value \"positon\" (did you mean "
        "\"position\"?)"},
    {"target-an-array-channel.toml",
        ":3:10: key \"target\": channel \"sample\" of \"spectrometer\" is an array; an adaptive "
        "scan follows a scalar channel"},
    {"target-not-a-channel.toml",
        ":3:10: key \"target\": device \"signal-100hz\" has no channel \"sgnal\" (did you mean "
        "\"signal\"?)"},
};

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString firstError(const QList<LabError> &errors)
{
    return errors.isEmpty() ? QStringLiteral("(no error)") : errors.first().toString();
}

QString allErrors(const QList<LabError> &errors)
{
    QStringList lines;
    for (const LabError &error : errors)
        lines << error.toString();
    return lines.join(QLatin1Char('\n'));
}

Plan parsed(const QByteArray &text, const QStringList &overrides = {})
{
    const PlanParseResult result = parsePlanText(text, QStringLiteral("plan.toml"), overrides);
    if (!result.ok())
        qWarning("unexpected plan errors:\n%s", qPrintable(allErrors(result.errors)));
    return result.plan;
}

QStringList corpus(const QString &folder)
{
    return QDir(folder).entryList({QStringLiteral("*.toml")}, QDir::Files, QDir::Name);
}

void write(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(text), text.size());
}

/// Runs this executable as a second user of the counter: it takes `count` ids and prints them.
QProcess *startTaker(const QString &folder, int count, QObject *parent)
{
    auto *process = new QProcess(parent);
    process->start(QCoreApplication::applicationFilePath(),
        {QString::fromLatin1(kTakeIds), folder, QString::number(count)});
    return process;
}

PlanDevice stage(const QString &name, Limits limits, std::optional<double> position = 0.0)
{
    PlanDevice d;
    d.name = name;
    d.kind = QStringLiteral("test-stage");
    d.traits = {
        QStringLiteral("is-daemon"), QStringLiteral("has-position"), QStringLiteral("has-limits")};
    d.limits = limits;
    d.positionUnits = QStringLiteral("mm");
    d.position = position;
    d.values = {QStringLiteral("position"), QStringLiteral("destination")};
    return d;
}

PlanDevice meter()
{
    PlanDevice d;
    d.name = QStringLiteral("meter");
    d.kind = QStringLiteral("test-meter");
    d.traits = {QStringLiteral("is-daemon"), QStringLiteral("is-sensor")};
    d.channels = {QStringLiteral("voltage")};
    d.values = {QStringLiteral("measured"), QStringLiteral("measurement_id")};
    return d;
}

PlanDevice turret()
{
    PlanDevice d;
    d.name = QStringLiteral("gratings");
    d.kind = QStringLiteral("test-turret");
    d.traits = {QStringLiteral("is-daemon"), QStringLiteral("has-turret")};
    d.turretIdentifiers
        = {QStringLiteral("150 g/mm"), QStringLiteral("600 g/mm"), QStringLiteral("1200 g/mm")};
    d.values = {QStringLiteral("turret")};
    return d;
}

/// The visiting order of a 2-D grid as (row, column) pairs.
QList<QPair<int, int>> order(const ExpandedPlan &expanded)
{
    QList<QPair<int, int>> visits;
    for (const PlanPoint &point : expanded.points)
        visits << qMakePair(point.gridIndex.at(0), point.gridIndex.at(1));
    return visits;
}

} // namespace

class TestPlans : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The demo lab, run as the application runs it, for the checks against a lab.
        m_demo = std::make_unique<SimLab>(readAll(QStringLiteral(BENCHTOP_DEMO_LAB)));
        QMetaObject::invokeMethod(
            m_demo->host(), [&] { m_demoDevices = describePlanDevices(*m_demo->host()); },
            Qt::BlockingQueuedConnection);
        QCOMPARE(m_demoDevices.size(), 7);
    }
    void cleanupTestCase() { m_demo.reset(); }
    void init() { failOnQtWarnings(); }

    // --- the corpora ---

    void theCorporaAreListedHere()
    {
        // A file added to a corpus without its expectation here would never be checked.
        QStringList listed;
        for (const Expected &refusal : kRefusals)
            listed << QString::fromUtf8(refusal.file);
        QCOMPARE(corpus(kBad), listed);
        QStringList onDemo;
        for (const Expected &refusal : kRefusalsOnDemoLab)
            onDemo << QString::fromUtf8(refusal.file);
        QCOMPARE(corpus(kBadOnDemoLab), onDemo);
    }

    void eachBadPlanIsRefusedWithItsMessage_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("error");
        for (const Expected &refusal : kRefusals)
            QTest::newRow(refusal.file)
                << QString::fromUtf8(refusal.file) << QString::fromUtf8(refusal.error);
    }
    void eachBadPlanIsRefusedWithItsMessage()
    {
        QFETCH(QString, file);
        QFETCH(QString, error);
        const QString path = kBad + file;
        const PlanParseResult result = parsePlanFile(path);
        QVERIFY(!result.ok());
        QCOMPARE(firstError(result.errors), path + error);
        for (const LabError &e : result.errors) {
            QVERIFY2(e.line > 0 && e.column > 0, qPrintable(e.toString()));
            QVERIFY2(!e.message.contains(QLatin1Char('\n')), qPrintable(e.toString()));
        }
    }

    void eachBadPlanIsRefusedByTheDemoLab_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("error");
        for (const Expected &refusal : kRefusalsOnDemoLab)
            QTest::newRow(refusal.file)
                << QString::fromUtf8(refusal.file) << QString::fromUtf8(refusal.error);
    }
    void eachBadPlanIsRefusedByTheDemoLab()
    {
        QFETCH(QString, file);
        QFETCH(QString, error);
        const QString path = kBadOnDemoLab + file;
        PlanParseResult result = parsePlanFile(path);
        QVERIFY2(result.ok(), qPrintable(allErrors(result.errors))); // valid on its own
        const QList<LabError> errors = checkPlan(result.plan, m_demoDevices);
        QCOMPARE(firstError(errors), path + error);
    }

    void anUnreadablePlanFileIsNamed()
    {
        const QString path = kBad + QStringLiteral("no-such-plan.toml");
        const PlanParseResult result = parsePlanFile(path);
        QCOMPARE(result.errors.size(), 1);
        QVERIFY2(firstError(result.errors)
                     .startsWith(path + QStringLiteral(": cannot read the plan file: ")),
            qPrintable(firstError(result.errors)));
    }

    void everyProblemIsReportedNotJustTheFirst()
    {
        const PlanParseResult result = parsePlanText(R"(kind = "scan"
detectors = ["meter"]
dely_s = 1
settle_s = -1

[[axis]]
device = "stage"
start = 0.0
points = 3
)",
            QStringLiteral("plan.toml"));
        QCOMPARE(allErrors(result.errors),
            QStringLiteral("plan.toml:3:10: unknown key \"dely_s\" (did you mean \"delay_s\"?)\n"
                           "plan.toml:4:12: key \"settle_s\" must be at least 0 s, not -1\n"
                           "plan.toml:6:1: axis 1: missing key \"stop\""));
    }

    // --- good plans and examples ---

    void goodPlansOfEveryKindAreRead()
    {
        const Plan count = parsed("kind = \"count\"\ndetectors = [\"meter\"]\n");
        QCOMPARE(count.kind, QStringLiteral("count"));
        QVERIFY(!count.points); // until stopped
        QCOMPARE(planPointCount(count), -1);

        const Plan scan = parsed(R"(kind = "scan"
detectors = ["meter"]
record = ["stage.destination"]
delay_s = 0.5
settle_s = 0.25
repeats = 2
return_to_start = true
suspend_timeout_s = 30
file_template = "{scan_id}_{operator}"

[[axis]]
device = "stage"
start = 1
stop = 2.5
points = 4
relative = true

[metadata]
sample = "Si"
operator = "ada"
comment = "first light"
beam_mA = 250
)");
        QCOMPARE(scan.detectors, QStringList{QStringLiteral("meter")});
        QCOMPARE(scan.record, QStringList{QStringLiteral("stage.destination")});
        QCOMPARE(scan.delaySeconds, 0.5);
        QCOMPARE(scan.settleSeconds, 0.25);
        QCOMPARE(scan.repeats, 2);
        QVERIFY(scan.returnToStart);
        QCOMPARE(scan.suspendTimeoutSeconds, 30.0);
        QCOMPARE(scan.fileTemplate, QStringLiteral("{scan_id}_{operator}"));
        QCOMPARE(scan.axes.size(), 1);
        QCOMPARE(scan.axes[0].device, QStringLiteral("stage"));
        QCOMPARE(*scan.axes[0].start, 1.0); // an integer is a number too
        QCOMPARE(*scan.axes[0].stop, 2.5);
        QCOMPARE(*scan.axes[0].points, 4);
        QVERIFY(scan.axes[0].relative);
        QCOMPARE(scan.axes[0].line, 11);
        QCOMPARE(scan.metadata.value(QStringLiteral("beam_mA")).toInt(), 250);
        QCOMPARE(scan.keyPositions.value(QStringLiteral("axis[0].stop")), qMakePair(14, 8));
        QCOMPARE(planPointCount(scan), 8);

        const Plan list
            = parsed("kind = \"list_scan\"\ndetectors = [\"meter\"]\n[[axis]]\ndevice = \"wheel\"\n"
                     "values = [\"a\", \"b\"]\n[[axis]]\ndevice = \"stage\"\nvalues = [1, 2.5]\n");
        QCOMPARE(list.axes[0].values, (QVariantList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(list.axes[1].values, (QVariantList{1.0, 2.5}));

        const Plan adaptive = parsed(R"(kind = "adaptive_scan"
detectors = ["meter"]
target = "meter.voltage"
min_step = 0.01
max_step = 0.5
target_delta = 0.05
backstep = true
[[axis]]
device = "stage"
start = -1.0
stop = 1.0
)");
        QCOMPARE(adaptive.target, QStringLiteral("meter.voltage"));
        QCOMPARE(adaptive.minStep, 0.01);
        QCOMPARE(adaptive.maxStep, 0.5);
        QCOMPARE(adaptive.targetDelta, 0.05);
        QVERIFY(adaptive.backstep);
        QCOMPARE(planPointCount(adaptive), -1);

        const Plan onChange
            = parsed("kind = \"time_series\"\nrecord = [\"meter.voltage\"]\non_change = true\n");
        QVERIFY(onChange.onChange);
        QVERIFY(!onChange.periodSeconds);
        QVERIFY(!onChange.durationSeconds);
        const Plan periodic = parsed("kind = \"time_series\"\nrecord = [\"meter.voltage\"]\n"
                                     "period_s = 0.01\nduration_s = 2\n");
        QCOMPARE(*periodic.periodSeconds, 0.01);
        QCOMPARE(*periodic.durationSeconds, 2.0);
        QCOMPARE(estimatePlanSeconds(periodic), 2.0);
    }

    void theExamplePlansAreValidForTheDemoLab_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<qint64>("points");
        QTest::addColumn<QList<int>>("shape");
        QTest::newRow("count") << "count.toml" << qint64(10) << QList<int>{10};
        QTest::newRow("scan") << "scan.toml" << qint64(21) << QList<int>{21};
        QTest::newRow("list_scan") << "list_scan.toml" << qint64(6) << QList<int>{2, 3};
        QTest::newRow("grid_scan") << "grid_scan.toml" << qint64(15) << QList<int>{5, 3};
        QTest::newRow("adaptive_scan") << "adaptive_scan.toml" << qint64(-1) << QList<int>{};
        QTest::newRow("time_series") << "time_series.toml" << qint64(-1) << QList<int>{};
    }
    void theExamplePlansAreValidForTheDemoLab()
    {
        QFETCH(QString, file);
        QFETCH(qint64, points);
        QFETCH(QList<int>, shape);
        PlanParseResult result = parsePlanFile(kExamples + file);
        QVERIFY2(result.ok(), qPrintable(allErrors(result.errors)));
        QVERIFY2(checkPlan(result.plan, m_demoDevices).isEmpty(),
            qPrintable(allErrors(checkPlan(result.plan, m_demoDevices))));
        QVERIFY(checkRelativeAxes(result.plan, m_demoDevices).isEmpty());
        const ExpandedPlan expanded = expandPlan(result.plan);
        QCOMPARE(expanded.pointCount, points);
        QCOMPARE(qint64(expanded.points.size()), std::max<qint64>(points, 0));
        QCOMPARE(expanded.shape, shape);
    }

    void everyExamplePlanIsTested()
    {
        QCOMPARE(corpus(kExamples),
            (QStringList{"adaptive_scan.toml", "count.toml", "grid_scan.toml", "list_scan.toml",
                "scan.toml", "time_series.toml"}));
    }

    // --- overrides (benchtop-run --set) ---

    void overridesSetTopLevelKeysAndMetadata()
    {
        const QByteArray text = "kind = \"count\"\ndetectors = [\"meter\"]\npoints = 5\n"
                                "[metadata]\nsample = \"Si\"\n";
        const Plan plan = parsed(text,
            {QStringLiteral("points=7"), QStringLiteral("delay_s = 0.5"),
                QStringLiteral("metadata.sample=\"Ge\""), QStringLiteral("metadata.run=3")});
        QCOMPARE(*plan.points, 7);
        QCOMPARE(plan.delaySeconds, 0.5);
        QCOMPARE(plan.metadata.value(QStringLiteral("sample")).toString(), QStringLiteral("Ge"));
        QCOMPARE(plan.metadata.value(QStringLiteral("run")).toInt(), 3);
        QCOMPARE(plan.text, text); // the file as given; the overrides are kept beside it
        QCOMPARE(plan.overrides.size(), 4);
        // The last of two overrides of a key holds.
        QCOMPARE(*parsed(text, {QStringLiteral("points=7"), QStringLiteral("points=9")}).points, 9);
    }

    void aBadOverrideIsNamed_data()
    {
        QTest::addColumn<QString>("override");
        QTest::addColumn<QString>("error");
        QTest::newRow("negative delay")
            << "delay_s=-1"
            << "plan.toml: --set \"delay_s=-1\": key \"delay_s\" must be at least 0 s, not -1";
        QTest::newRow("misspelt key") << "dealy_s=1"
                                      << "plan.toml: --set \"dealy_s=1\": unknown key \"dealy_s\" "
                                         "(did you mean \"delay_s\"?)";
        QTest::newRow("not for the kind")
            << "settle_s=1"
            << "plan.toml: --set \"settle_s=1\": plan kind \"count\" does not take key "
               "\"settle_s\" "
               "(it is for scan, list_scan, grid_scan and adaptive_scan)";
        QTest::newRow("string without quotes")
            << "metadata.sample=Si"
            << "plan.toml: --set \"metadata.sample=Si\": the value is not a TOML value: "
               "Error while parsing value: could not determine value type (a string is written in "
               "quotes: "
               "metadata.sample=\"Si\")";
        QTest::newRow("metadata sample type")
            << "metadata.sample=5"
            << "plan.toml: --set \"metadata.sample=5\": key \"metadata.sample\" must be a "
               "string, not 5";
        QTest::newRow("no equals sign")
            << "points"
            << "plan.toml: --set \"points\": must be KEY=VALUE (a top-level key of the plan, or "
               "metadata.KEY)";
        QTest::newRow("an axis key")
            << "axis.start=1"
            << "plan.toml: --set \"axis.start=1\": can set a top-level key of the plan or "
               "metadata.KEY, not \"axis.start\"";
        QTest::newRow("a kind that breaks the plan")
            << "kind=\"scan\""
            << "plan.toml:1:1: plan kind \"scan\" needs key \"axis\" (an [[axis]] table for "
               "each device it moves)";
    }
    void aBadOverrideIsNamed()
    {
        QFETCH(QString, override);
        QFETCH(QString, error);
        const PlanParseResult result
            = parsePlanText("kind = \"count\"\npoints = 5\ndetectors = [\"meter\"]\n",
                QStringLiteral("plan.toml"), {override});
        QCOMPARE(firstError(result.errors), error);
    }

    // --- expansion ---

    void aSnakedGridVisitsInOrder()
    {
        // 3 × 4, the inner axis snaked: rows 0 and 2 forwards, row 1 backwards.
        const Plan plan = parsed(R"(kind = "grid_scan"
detectors = ["meter"]
delay_s = 0.5
settle_s = 0.25
[[axis]]
device = "y"
start = 0.0
stop = 2.0
points = 3
[[axis]]
device = "x"
values = [10.0, 20.0, 30.0, 40.0]
snake = true
)");
        const ExpandedPlan expanded = expandPlan(plan);
        QCOMPARE(expanded.pointCount, 12);
        QCOMPARE(expanded.shape, (QList<int>{3, 4}));
        QCOMPARE(order(expanded),
            (QList<QPair<int, int>>{{0, 0}, {0, 1}, {0, 2}, {0, 3}, {1, 3}, {1, 2}, {1, 1}, {1, 0},
                {2, 0}, {2, 1}, {2, 2}, {2, 3}}));
        QCOMPARE(expanded.points[5].setpoints, (std::vector<QVariant>{1.0, 30.0}));
        QCOMPARE(expanded.points[8].setpoints, (std::vector<QVariant>{2.0, 10.0}));
        // Each point's gridIndex is where its values are in their axes' lists: a reader
        // reshapes by it whatever the visiting order.
        for (const PlanPoint &point : expanded.points) {
            QCOMPARE(point.setpoints[0].toDouble(), double(point.gridIndex[0]));
            QCOMPARE(point.setpoints[1].toDouble(), 10.0 * (point.gridIndex[1] + 1));
        }
        QCOMPARE(expanded.estimatedSeconds, 12 * 0.75);
    }

    void aThreeAxisGridSnakesEachInnerAxisOnItsOwnPasses()
    {
        const Plan plan = parsed(R"(kind = "grid_scan"
detectors = ["meter"]
[[axis]]
device = "z"
values = [0.0, 1.0]
[[axis]]
device = "y"
values = [0.0, 1.0]
snake = true
[[axis]]
device = "x"
values = [0.0, 1.0, 2.0]
snake = true
)");
        const ExpandedPlan expanded = expandPlan(plan);
        QStringList visits;
        for (const PlanPoint &point : expanded.points)
            visits << QStringLiteral("%1%2%3")
                          .arg(point.gridIndex[0])
                          .arg(point.gridIndex[1])
                          .arg(point.gridIndex[2]);
        // y reverses on z's second pass; x on every other pass of (z, y) together.
        QCOMPARE(visits.join(QLatin1Char(' ')),
            QStringLiteral("000 001 002 012 011 010 110 111 112 102 101 100"));
    }

    void repeatsRunThePlanAgain()
    {
        const Plan plan = parsed(R"(kind = "list_scan"
detectors = ["meter"]
repeats = 3
[[axis]]
device = "wheel"
values = ["a", "b"]
)");
        const ExpandedPlan expanded = expandPlan(plan);
        QCOMPARE(expanded.pointCount, 6);
        QCOMPARE(expanded.shape, (QList<int>{3, 2}));
        QStringList visits;
        for (const PlanPoint &point : expanded.points)
            visits << point.setpoints.at(0).toString();
        QCOMPARE(visits, (QStringList{"a", "b", "a", "b", "a", "b"}));
        QVERIFY(expanded.points[0].gridIndex.empty());
    }

    void aScanMovesItsAxesTogether()
    {
        const Plan plan = parsed(R"(kind = "scan"
detectors = ["meter"]
[[axis]]
device = "x"
start = 0.0
stop = 1.0
points = 11
[[axis]]
device = "y"
start = 10.0
stop = -10.0
points = 11
)");
        const ExpandedPlan expanded = expandPlan(plan);
        QCOMPARE(expanded.pointCount, 11);
        QCOMPARE(expanded.shape, QList<int>{11});
        QCOMPARE(expanded.points[3].setpoints.at(0).toDouble(), 0.3);
        QCOMPARE(expanded.points[3].setpoints.at(1).toDouble(), 4.0);
        // The last point is the stop exactly, not a sum of rounded steps.
        QCOMPARE(expanded.points[10].setpoints, (std::vector<QVariant>{1.0, -10.0}));
        QCOMPARE(expanded.estimatedSeconds, 0.0);
    }

    void aCountHasPointsWithoutSetpoints()
    {
        const ExpandedPlan counted = expandPlan(
            parsed("kind = \"count\"\ndetectors = [\"m\"]\npoints = 4\ndelay_s = 2\n"));
        QCOMPARE(counted.pointCount, 4);
        QCOMPARE(counted.shape, QList<int>{4});
        QCOMPARE(counted.points.size(), size_t(4));
        QVERIFY(counted.points[0].setpoints.empty());
        QCOMPARE(counted.estimatedSeconds, 8.0);
        const ExpandedPlan untilStopped
            = expandPlan(parsed("kind = \"count\"\ndetectors = [\"m\"]\n"));
        QCOMPARE(untilStopped.pointCount, -1);
        QVERIFY(untilStopped.points.empty());
        QVERIFY(untilStopped.shape.isEmpty());
        QVERIFY(untilStopped.estimatedSeconds < 0);
    }

    void aPointCanBeTakenAloneAsExpanded()
    {
        const Plan plan = parsed(R"(kind = "grid_scan"
detectors = ["meter"]
repeats = 2
[[axis]]
device = "y"
start = 0.0
stop = 1.0
points = 3
[[axis]]
device = "x"
start = 0.0
stop = 1.0
points = 5
snake = true
)");
        const ExpandedPlan expanded = expandPlan(plan);
        QCOMPARE(expanded.pointCount, 30);
        for (qint64 i = 0; i < expanded.pointCount; ++i) {
            const PlanPoint point = planPointAt(plan, i);
            QCOMPARE(point.setpoints, expanded.points[size_t(i)].setpoints);
            QCOMPARE(point.gridIndex, expanded.points[size_t(i)].gridIndex);
        }
        // Each repeat starts afresh: point 15 is the first again.
        QCOMPARE(expanded.points[15].gridIndex, (std::vector<int>{0, 0}));
    }

    void theSummarySaysWhatThePlanDoes()
    {
        PlanParseResult grid = parsePlanFile(kExamples + QStringLiteral("grid_scan.toml"));
        QVERIFY(checkPlan(grid.plan, m_demoDevices).isEmpty());
        QCOMPARE(planSummary(grid.plan, {{QStringLiteral("stage-x"), QStringLiteral("mm")}}),
            (QStringList{QStringLiteral("grid_scan: 15 points (5 × 3), at least 0:00:02"),
                QStringLiteral("axis 1 \"stage-x\": 0 to 20 mm in 5 points"),
                QStringLiteral("axis 2 \"filters\": \"open\", \"ND0.5\", \"ND1\", snaked"),
                QStringLiteral("detectors: \"spectrometer\"")}));
        const Plan list = parsed("kind = \"list_scan\"\nrecord = [\"x.position\"]\nrepeats = 2\n"
                                 "delay_s = 40\n[[axis]]\ndevice = \"x\"\nvalues = [3, -1, 7]\n"
                                 "relative = true\n");
        QCOMPARE(planSummary(list),
            (QStringList{QStringLiteral("list_scan: 6 points (2 × 3), at least 0:04:00"),
                QStringLiteral("axis 1 \"x\": 3 values from -1 to 7, relative to where it is"),
                QStringLiteral("recorded: \"x.position\"")}));
        QCOMPARE(planSummary(parsed("kind = \"count\"\ndetectors = [\"m\"]\n")),
            (QStringList{
                QStringLiteral("count: until stopped"), QStringLiteral("detectors: \"m\"")}));
        QCOMPARE(planSummary(parsed("kind = \"time_series\"\nrecord = [\"m.v\"]\nperiod_s = 0.05\n"
                                    "duration_s = 7200\n"))
                     .first(),
            QStringLiteral("time_series: every 0.05 s for 2:00:00"));
    }

    // --- the check against devices ---

    void turretSlotsAndIdentifiers()
    {
        const QList<PlanDevice> devices{turret(), meter()};
        Plan slots = parsed("kind = \"list_scan\"\ndetectors = [\"meter\"]\n[[axis]]\n"
                            "device = \"gratings\"\nvalues = [0, 2]\n");
        QVERIFY(checkPlan(slots, devices).isEmpty());
        // Checked slots become ints, as PlanPoint says a slot is.
        QCOMPARE(expandPlan(slots).points[1].setpoints.at(0).typeId(), int(QMetaType::Int));
        QCOMPARE(expandPlan(slots).points[1].setpoints.at(0).toInt(), 2);

        Plan outOfRange = parsed("kind = \"list_scan\"\ndetectors = [\"meter\"]\n[[axis]]\n"
                                 "device = \"gratings\"\nvalues = [1, 3]\n");
        QCOMPARE(firstError(checkPlan(outOfRange, devices)),
            QStringLiteral("plan.toml:5:14: axis 1: slot 3 is out of range: device \"gratings\" "
                           "has slots 0 to 2"));
        Plan named = parsed("kind = \"list_scan\"\ndetectors = [\"meter\"]\n[[axis]]\n"
                            "device = \"gratings\"\nvalues = [\"600 g/mm\", \"1200 g/m\"]\n");
        QCOMPARE(firstError(checkPlan(named, devices)),
            QStringLiteral("plan.toml:5:23: axis 1: device \"gratings\" has no turret \"1200 "
                           "g/m\" (did you mean \"1200 g/mm\"?)"));
    }

    void relativeAxesAreCheckedFromWhereTheDeviceIs()
    {
        Plan plan = parsed(R"(kind = "scan"
detectors = ["meter"]
[[axis]]
device = "stage"
start = -5.0
stop = 5.0
points = 11
relative = true
)");
        // Not placed yet: the check before the run leaves relative axes to the start.
        QVERIFY(
            checkPlan(plan, {stage(QStringLiteral("stage"), {-10, 10}, 8.0), meter()}).isEmpty());
        QVERIFY(checkRelativeAxes(plan, {stage(QStringLiteral("stage"), {-10, 10}, 3.0), meter()})
                    .isEmpty());
        QCOMPARE(firstError(checkRelativeAxes(
                     plan, {stage(QStringLiteral("stage"), {-10, 10}, 8.0), meter()})),
            QStringLiteral("plan.toml:6:8: axis 1 (\"stage\"): point 9 of 11 is 11 mm, outside the "
                           "device's limits [-10, 10] mm (3 from its position 8); 2 more points "
                           "are outside"));
        QCOMPARE(firstError(checkRelativeAxes(
                     plan, {stage(QStringLiteral("stage"), {-10, 10}, std::nullopt), meter()})),
            QStringLiteral("plan.toml:8:12: axis 1: the position of device \"stage\" is not "
                           "known, so its relative points cannot be placed"));
    }

    void theDemoLabIsDescribedForTheCheck()
    {
        const auto find = [&](const QString &name) {
            return *std::find_if(m_demoDevices.cbegin(), m_demoDevices.cend(),
                [&](const PlanDevice &d) { return d.name == name; });
        };
        const PlanDevice stageX = find(QStringLiteral("stage-x"));
        QVERIFY(stageX.has("has-position"));
        QCOMPARE(stageX.limits, (Limits{-50, 50}));
        QCOMPARE(stageX.positionUnits, QStringLiteral("mm"));
        QVERIFY(stageX.position.has_value());
        QVERIFY(stageX.publishes(QStringLiteral("destination")));
        const PlanDevice filters = find(QStringLiteral("filters"));
        QVERIFY(filters.has("is-discrete"));
        QCOMPARE(filters.identifiers.size(), 6);
        QVERIFY(filters.identifiers.contains(QStringLiteral("ND0.5")));
        const PlanDevice spectrometer = find(QStringLiteral("spectrometer"));
        QCOMPARE(spectrometer.channels, (QStringList{"sample", "reference"}));
        QCOMPARE(spectrometer.channelShapes.value(QStringLiteral("sample")), QList<int>{512});
        QVERIFY(spectrometer.fault.isEmpty());
    }

    // --- file names ---

    void theTemplateNamesTheFiles()
    {
        FileNameValues values;
        values.start = QDateTime(QDate(2026, 12, 7), QTime(23, 5, 9));
        values.scanId = 42;
        values.kind = QStringLiteral("grid_scan");
        values.uid = QStringLiteral("6f1c");
        values.metadata = {{QStringLiteral("sample"), QStringLiteral("Si wafer/3: *new*")},
            {QStringLiteral("project"), QStringLiteral("..")}, {QStringLiteral("run"), 7}};
        QCOMPARE(expandFileTemplate(QString::fromLatin1(kDefaultFileTemplate), values),
            QStringLiteral("2026-12-07/00042_grid_scan_Si_wafer_3_new"));
        QCOMPARE(
            expandFileTemplate(QStringLiteral("{project}/{time}-{scan_id}-{run}-{uid}"), values),
            QStringLiteral("_/230509-42-7-6f1c"));
        // No sample: no trailing separator.
        values.metadata.remove(QStringLiteral("sample"));
        QCOMPARE(expandFileTemplate(QString::fromLatin1(kDefaultFileTemplate), values),
            QStringLiteral("2026-12-07/00042_grid_scan"));
        QCOMPARE(expandFileTemplate(QStringLiteral("{scan_id:3d}{{x}}"), values),
            QStringLiteral("42{x}"));
    }

    void theDataFolderComesFromTheLabThenTheEnvironmentThenDocuments()
    {
        QStandardPaths::setTestModeEnabled(true);
        const QByteArray saved = qgetenv(kDataDirVariable);
        qunsetenv(kDataDirVariable);
        Lab lab;
        lab.path = QStringLiteral("/labs/optics/lab.toml");
        DataFolder folder = dataFolder(lab);
        QCOMPARE(folder.source, DataFolder::Source::Documents);
        QVERIFY(folder.path.endsWith(QStringLiteral("/Benchtop")));
        qputenv(kDataDirVariable, "/data/env");
        folder = dataFolder(lab);
        QCOMPARE(folder.source, DataFolder::Source::Environment);
        QCOMPARE(folder.path, QStringLiteral("/data/env"));
        lab.settings.values.insert(QStringLiteral("data_dir"), QStringLiteral("runs/2026"));
        folder = dataFolder(lab);
        QCOMPARE(folder.source, DataFolder::Source::Lab);
        QCOMPARE(folder.path, QStringLiteral("/labs/optics/runs/2026"));
        lab.settings.values.insert(QStringLiteral("data_dir"), QStringLiteral("/srv/data"));
        QCOMPARE(dataFolder(lab).path, QStringLiteral("/srv/data"));
        if (saved.isNull())
            qunsetenv(kDataDirVariable);
        else
            qputenv(kDataDirVariable, saved);
        // The lab file's [benchtop] table takes data_dir.
        const LabParseResult parsedLab
            = parseLabText("[benchtop]\ndata_dir = \"runs\"\n", QStringLiteral("/labs/lab.toml"));
        QVERIFY(parsedLab.ok());
        QCOMPARE(dataFolder(parsedLab.lab).path, QStringLiteral("/labs/runs"));
    }

    void scanIdsCountUpAndSurviveInTheFolder()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("data/new"));
        QString error;
        QCOMPARE(takeScanId(folder, &error), std::optional<qint64>(1));
        QCOMPARE(takeScanId(folder, &error), std::optional<qint64>(2));
        QCOMPARE(readAll(folder + QLatin1Char('/') + QString::fromLatin1(kScanIdFile)),
            QByteArray("2\n"));
        write(folder + QLatin1Char('/') + QString::fromLatin1(kScanIdFile), "41\n");
        QCOMPARE(takeScanId(folder, &error), std::optional<qint64>(42));
        write(folder + QLatin1Char('/') + QString::fromLatin1(kScanIdFile), "garbage");
        QVERIFY(!takeScanId(folder, &error));
        QVERIFY2(error.contains(QStringLiteral("does not hold a number")), qPrintable(error));
    }

    void twoProcessesNeverGetTheSameScanId()
    {
        QTemporaryDir dir;
        constexpr int kEach = 40;
        QProcess *first = startTaker(dir.path(), kEach, this);
        QProcess *second = startTaker(dir.path(), kEach, this);
        QVERIFY(first->waitForFinished(60'000));
        QVERIFY(second->waitForFinished(60'000));
        QCOMPARE(first->exitCode(), 0);
        QCOMPARE(second->exitCode(), 0);
        QSet<qint64> ids;
        for (QProcess *process : {first, second}) {
            const QList<QByteArray> lines = process->readAllStandardOutput().trimmed().split('\n');
            QCOMPARE(lines.size(), kEach);
            for (const QByteArray &line : lines)
                ids.insert(line.toLongLong());
        }
        QCOMPARE(ids.size(), 2 * kEach); // no id given twice
        QCOMPARE(*std::max_element(ids.cbegin(), ids.cend()), qint64(2 * kEach)); // none lost
    }

    void anExistingFileIsNeverReused()
    {
        QTemporaryDir dir;
        FileNameValues values;
        values.start = QDateTime(QDate(2026, 12, 7), QTime(10, 0));
        values.kind = QStringLiteral("count");
        values.metadata.insert(QStringLiteral("sample"), QStringLiteral("Si"));
        QString error;
        // A template without scan_id names the same stem every time.
        const QString fixed = QStringLiteral("{date}/{kind}_{sample}");
        const std::optional<RunFiles> first = reserveRunFiles(dir.path(), fixed, values, &error);
        QVERIFY2(first, qPrintable(error));
        QCOMPARE(first->scanId, 1);
        QCOMPARE(first->stem, dir.filePath(QStringLiteral("2026-12-07/count_Si")));
        QVERIFY(QDir(dir.filePath(QStringLiteral("2026-12-07"))).exists());
        write(first->stem + QStringLiteral(".csv"), "a,b\n"); // any one of the three
        const std::optional<RunFiles> second = reserveRunFiles(dir.path(), fixed, values, &error);
        QCOMPARE(second->stem, first->stem + QStringLiteral("-2"));
        write(second->stem + QStringLiteral(".h5"), "x");
        QCOMPARE(reserveRunFiles(dir.path(), fixed, values, &error)->stem,
            first->stem + QStringLiteral("-3"));
        QCOMPARE(readAll(first->stem + QStringLiteral(".csv")), QByteArray("a,b\n"));
        // The default template, with a counter deleted: the id starts again, the name does not.
        const std::optional<RunFiles> numbered = reserveRunFiles(dir.path(), {}, values, &error);
        QCOMPARE(numbered->stem, dir.filePath(QStringLiteral("2026-12-07/00004_count_Si")));
        write(numbered->stem + QStringLiteral(".jsonl"), "{}\n");
        QVERIFY(QFile::remove(dir.filePath(QString::fromLatin1(kScanIdFile))));
        for (int i = 0; i < 3; ++i)
            reserveRunFiles(dir.path(), fixed, values, &error);
        QCOMPARE(reserveRunFiles(dir.path(), {}, values, &error)->stem,
            numbered->stem + QStringLiteral("-2"));
    }

    void anUnwritableDataFolderIsAnError()
    {
        QString error;
        QVERIFY(!takeScanId(QStringLiteral("/proc/benchtop-no-such-folder"), &error));
        QVERIFY2(
            error.contains(QStringLiteral("cannot create the data folder")), qPrintable(error));
    }

private:
    std::unique_ptr<SimLab> m_demo;
    QList<PlanDevice> m_demoDevices;
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // A second user of the scan_id counter (twoProcessesNeverGetTheSameScanId).
    if (argc == 4 && qstrcmp(argv[1], kTakeIds) == 0) {
        const QString folder = QString::fromLocal8Bit(argv[2]);
        const int count = QByteArray(argv[3]).toInt();
        for (int i = 0; i < count; ++i) {
            QString error;
            const std::optional<qint64> id = takeScanId(folder, &error);
            if (!id) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 1;
            }
            std::printf("%lld\n", static_cast<long long>(*id));
            std::fflush(stdout);
        }
        return 0;
    }
    TestPlans test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_plans.moc"
