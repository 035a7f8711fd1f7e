// SPDX-License-Identifier: MIT
#pragma once

// Runs as the engine makes them, for the writers' tests: a 3×4 snaked grid of a stage pair with
// a two-channel meter, a discrete filter wheel and a spectrum, with its baseline stream.

#include <run/documents.h>

#include <QDateTime>

#include <vector>

namespace Benchtop::Test {

inline const QByteArray kGridPlan = "# a 3×4 grid, snaked\nkind = \"grid_scan\"\n"
                                    "detectors = [\"meter\"]\n\n[[axis]]\ndevice = \"stage-y\"\n"
                                    "start = 0.0\nstop = 2.0\npoints = 3\n\n[[axis]]\n"
                                    "device = \"stage-x\"\nstart = 10.0\nstop = 13.0\npoints = 4\n"
                                    "snake = true\n\n[metadata]\nsample = \"Quartz ß\"\n"
                                    "operator = \"Ada\"\n  trailing spaces kept   \n";
inline const QByteArray kGridLab
    = "[stage-x]\ndriver = \"sim-motor\"\n\n[stage-y]\n"
      "driver = \"sim-motor\"\n\n[meter]\ndriver = \"sim-sensor\"\n"
      "\n[wheel]\ndriver = \"sim-wheel\"\n\n[lamp]\ndriver = \"sim-signal\"\n";

inline Run::RunStart gridStart(double t0)
{
    Run::RunStart start;
    start.uid = QStringLiteral("0b7e3c2a-8f51-4d7b-9a43-2f1f0c6d9e01");
    start.scanId = 42;
    start.time = t0;
    start.planKind = QStringLiteral("grid_scan");
    start.planPath = QStringLiteral("/plans/grid.toml");
    start.planText = kGridPlan;
    start.labPath = QStringLiteral("/labs/bench.toml");
    start.labText = kGridLab;
    start.metadata = {{QStringLiteral("sample"), QStringLiteral("Quartz ß")},
        {QStringLiteral("operator"), QStringLiteral("Ada")},
        {QStringLiteral("temperature_k"), 293.5}};
    start.shape = {3, 4};
    start.axes = {QStringLiteral("stage-y"), QStringLiteral("stage-x")};
    start.detectors = {QStringLiteral("meter")};
    start.expectedPoints = 12;
    start.program = QStringLiteral("Benchtop");
    start.programVersion = QStringLiteral("0.19.0");
    return start;
}

inline QList<Run::DeviceConfiguration> gridDevices()
{
    auto device = [](const char *name, const char *driver, QStringList traits) {
        Run::DeviceConfiguration c;
        c.name = QString::fromLatin1(name);
        c.driver = QString::fromLatin1(driver);
        c.traits = traits;
        c.config = {{QStringLiteral("driver"), c.driver}, {QStringLiteral("speed"), 1000.0},
            {QStringLiteral("channels"), QStringList{QStringLiteral("a"), QStringLiteral("b")}},
            {QStringLiteral("limits"), QVariantList{-5.0, 5.0}},
            {QStringLiteral("link"), QVariantMap{{QStringLiteral("port"), 36001}}}};
        c.state = {{QStringLiteral("position"), 1.5}, {QStringLiteral("homed"), true}};
        c.identity = {{QStringLiteral("make"), QStringLiteral("Benchtop")},
            {QStringLiteral("model"), c.driver},
            {QStringLiteral("serial"), QStringLiteral("0001")}};
        return c;
    };
    return {device("stage-x", "sim-motor", {QStringLiteral("has-position")}),
        device("stage-y", "sim-motor", {QStringLiteral("has-position")}),
        device("meter", "sim-sensor", {QStringLiteral("is-sensor")}),
        device("wheel", "sim-wheel", {QStringLiteral("is-discrete")}),
        device("lamp", "sim-signal", {QStringLiteral("is-sensor")})};
}

inline Run::Descriptor gridPrimary()
{
    Run::Descriptor d;
    d.uid = QStringLiteral("desc-primary");
    d.runStart = gridStart(0).uid;
    d.name = QStringLiteral("primary");
    auto key = [](const char *name, const char *dtype, const char *units, const char *device,
                   const char *role) {
        Run::DataKey k;
        k.name = QString::fromLatin1(name);
        k.dtype = QString::fromLatin1(dtype);
        k.units = QString::fromLatin1(units);
        k.device = QString::fromLatin1(device);
        k.source
            = k.name.contains(QLatin1Char('.')) ? k.name : k.name + QStringLiteral(".position");
        k.role = QString::fromLatin1(role);
        return k;
    };
    d.dataKeys = {key("stage-y", "number", "mm", "stage-y", "axis"),
        key("stage-x", "number", "mm", "stage-x", "axis"),
        key("meter.voltage", "number", "V", "meter", "detector"),
        key("meter.count", "integer", "", "meter", "detector"),
        key("wheel.slot", "string", "", "wheel", "record"),
        key("meter.spectrum", "array", "counts", "meter", "detector"),
        key("meter.ok", "boolean", "", "meter", "record")};
    d.dataKeys[4].choices = {QStringLiteral("open"), QStringLiteral("red"), QStringLiteral("blue")};
    d.dataKeys[5].shape = {5};
    d.configuration = gridDevices();
    return d;
}

inline Run::Descriptor gridBaseline()
{
    Run::Descriptor d;
    d.uid = QStringLiteral("desc-baseline");
    d.runStart = gridStart(0).uid;
    d.name = QStringLiteral("baseline");
    Run::DataKey k;
    k.name = QStringLiteral("lamp.power");
    k.dtype = QStringLiteral("number");
    k.units = QStringLiteral("W");
    k.device = QStringLiteral("lamp");
    k.source = QStringLiteral("lamp.power");
    k.role = QStringLiteral("record");
    d.dataKeys = {k};
    d.configuration = gridDevices();
    return d;
}

/// Point `i` (0-based, visit order) of the snaked 3×4 grid: y slowest, x reversed on odd rows.
inline Run::Event gridEvent(int i, double t)
{
    const int row = i / 4;
    const int column = row % 2 == 0 ? i % 4 : 3 - i % 4;
    Run::Event e;
    e.descriptor = QStringLiteral("desc-primary");
    e.seqNum = i + 1;
    e.time = t;
    const double y = row * 1.0;
    const double x = 10.0 + column;
    QList<double> spectrum;
    for (int k = 0; k < 5; ++k)
        spectrum.append(i * 10.0 + k);
    const QStringList slots{QStringLiteral("open"), QStringLiteral("red"), QStringLiteral("blue")};
    e.data = {
        y, x, x * 0.5 + y, qint64(i * i), slots[i % 3], QVariant::fromValue(spectrum), i % 2 == 0};
    e.timestamps.assign(e.data.size(), t);
    e.gridIndex = {row, column};
    return e;
}

inline Run::Event baselineEvent(int seq, double t)
{
    Run::Event e;
    e.descriptor = QStringLiteral("desc-baseline");
    e.seqNum = seq;
    e.time = t;
    e.data = {2.5 * seq};
    e.timestamps = {t};
    return e;
}

/// The whole run, in the order the engine sends it.
inline std::vector<Run::Document> gridRun(double t0 = 1.8e9)
{
    std::vector<Run::Document> documents;
    documents.push_back(gridStart(t0));
    documents.push_back(gridBaseline());
    documents.push_back(gridPrimary());
    documents.push_back(baselineEvent(1, t0 + 0.1));
    for (int i = 0; i < 12; ++i)
        documents.push_back(gridEvent(i, t0 + 1 + i));
    Run::Suspension s;
    s.runStart = gridStart(0).uid;
    s.start = t0 + 5;
    s.end = t0 + 6.5;
    s.device = QStringLiteral("meter");
    s.reason = QStringLiteral("link lost");
    documents.insert(documents.begin() + 9, s);
    documents.push_back(baselineEvent(2, t0 + 13.5));
    Run::RunStop stop;
    stop.uid = QStringLiteral("stop-uid");
    stop.runStart = gridStart(0).uid;
    stop.time = t0 + 14;
    stop.exitStatus = QStringLiteral("success");
    stop.reason = QStringLiteral("completed");
    stop.numEvents = 12;
    documents.push_back(stop);
    return documents;
}

/// A count of one two-channel counter: every value a function of seq_num (value = seq / 2,
/// square = seq²), so that a reader can check each row it sees on its own.
inline Run::RunStart counterStart(double t0)
{
    Run::RunStart start;
    start.uid = QStringLiteral("6c1d9a8e-2b7f-4e35-8d0c-5a4f3e2b1c0d");
    start.scanId = 7;
    start.time = t0;
    start.planKind = QStringLiteral("count");
    start.planText = "kind = \"count\"\ndetectors = [\"counter\"]\n";
    start.labText = "[counter]\ndriver = \"sim-sensor\"\n";
    start.program = QStringLiteral("Benchtop");
    start.programVersion = QStringLiteral("0.19.0");
    start.detectors = {QStringLiteral("counter")};
    return start;
}

inline Run::Descriptor counterDescriptor()
{
    Run::Descriptor d;
    d.uid = QStringLiteral("desc-counter");
    d.runStart = counterStart(0).uid;
    d.name = QStringLiteral("primary");
    Run::DataKey value;
    value.name = QStringLiteral("value");
    value.dtype = QStringLiteral("number");
    value.units = QStringLiteral("V");
    value.device = QStringLiteral("counter");
    value.source = QStringLiteral("counter.value");
    value.role = QStringLiteral("detector");
    Run::DataKey square = value;
    square.name = QStringLiteral("square");
    square.dtype = QStringLiteral("integer");
    square.units.clear();
    square.source = QStringLiteral("counter.square");
    d.dataKeys = {value, square};
    Run::DeviceConfiguration counter;
    counter.name = QStringLiteral("counter");
    counter.driver = QStringLiteral("sim-sensor");
    counter.traits = {QStringLiteral("is-sensor")};
    d.configuration = {counter};
    return d;
}

inline Run::Event counterEvent(qint64 seq, double t)
{
    Run::Event e;
    e.descriptor = QStringLiteral("desc-counter");
    e.seqNum = seq;
    e.time = t;
    e.data = {seq * 0.5, qint64(seq * seq)};
    e.timestamps = {t, t};
    return e;
}

inline Run::RunStop counterStop(double t, qint64 events)
{
    Run::RunStop stop;
    stop.uid = QStringLiteral("stop-counter");
    stop.runStart = counterStart(0).uid;
    stop.time = t;
    stop.exitStatus = QStringLiteral("success");
    stop.reason = QStringLiteral("completed");
    stop.numEvents = events;
    return stop;
}

} // namespace Benchtop::Test
