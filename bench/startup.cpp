// SPDX-License-Identifier: MIT
// Start-up time (bench/run's "startup" rows): from starting the `benchtop` process to its first painted
// window, on the built-in demo lab or on a generated lab of N simulated devices.
//
//   bench_startup [--devices N] [--runs R] [--rep K]
//
// --devices 0 (the default) opens the demo lab (params.devices 0); N > 0 writes a lab of N devices, sim-signal at
// 10 Hz and sim-motor in turn, into a temporary folder and opens that. Each run starts the
// application built beside this benchmark with BENCHTOP_STARTUP_PROBE=1 (app/startupprobe.h):
// once the main window's first paint pass is over it prints the CLOCK_MONOTONIC time and closes
// the window. The clock is read here just before QProcess::start, so the figure includes
// fork/exec, dynamic loading, plugin scanning, parsing the lab, creating the devices' panels
// and the paint itself; it does not include devices finishing their own start (connecting,
// homing), which happens in the background after the window is up. The window shows on the
// platform of QT_QPA_PLATFORM (offscreen when unset), and every run gets its own empty settings
// and state folders so that nothing saved by an earlier run changes the next.
//
// Prints one JSON line: results.first_paint_ms_median, _min, _max, runs_ok.
#include "benchsupport.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace Benchtop;

namespace {

long long monotonicNs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
}

QByteArray generatedLab(long long devices)
{
    QByteArray lab = "# Written by bench_startup: sim devices in turn.\n";
    for (long long i = 0; i < devices; ++i) {
        if (i % 2 == 0) {
            lab += "[signal-" + QByteArray::number(i) + "]\ndriver = \"sim-signal\"\nrate_hz = 10.0\n";
            lab += "frequency_hz = " + QByteArray::number(0.2 + double(i % 17) * 0.1) + "\n\n";
        } else {
            lab += "[motor-" + QByteArray::number(i) + "]\ndriver = \"sim-motor\"\nunits = \"mm\"\n";
            lab += "limits = [-50.0, 50.0]\n\n";
        }
    }
    return lab;
}

/// One start to first paint, in ms; negative when the run failed (its output on stderr).
double oneRun(const QString &lab, const QString &scratch)
{
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BENCHTOP_STARTUP_PROBE"), QStringLiteral("1"));
    if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")))
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QTemporaryDir home(scratch + QStringLiteral("/run-XXXXXX"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path() + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.path() + QStringLiteral("/data"));
    env.insert(QStringLiteral("BENCHTOP_STATE_DIR"), home.path() + QStringLiteral("/state"));
    app.setProcessEnvironment(env);
    app.setProcessChannelMode(QProcess::SeparateChannels);
    QStringList arguments;
    if (!lab.isEmpty())
        arguments << QStringLiteral("--lab") << lab;

    const long long started = monotonicNs();
    app.start(QStringLiteral(BENCHTOP_APP_FILE), arguments);
    if (!app.waitForFinished(120000)) {
        app.kill();
        app.waitForFinished();
    }
    const QByteArray out = app.readAllStandardOutput();
    const qsizetype at = out.indexOf("first-paint ");
    if (app.exitStatus() != QProcess::NormalExit || app.exitCode() != 0 || at < 0) {
        std::fprintf(stderr, "bench_startup: a run failed (exit %d): %s%s\n", app.exitCode(),
            out.constData(), app.readAllStandardError().constData());
        return -1;
    }
    const long long painted = out.mid(at + 12, out.indexOf('\n', at) - at - 12).toLongLong();
    return double(painted - started) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const long long devices = Bench::intOption(args, {QStringLiteral("--devices"), QStringLiteral("-n")}, 0);
    const long long runs = std::max(1LL, Bench::intOption(args, {QStringLiteral("--runs")}, 5));
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));

    Bench::HostLoad host;
    QTemporaryDir scratch;
    QString lab;
    if (devices > 0) {
        lab = scratch.path() + QStringLiteral("/lab.toml");
        QFile file(lab);
        if (!file.open(QIODevice::WriteOnly) || file.write(generatedLab(devices)) < 0) {
            std::fprintf(stderr, "bench_startup: cannot write %s\n", qPrintable(lab));
            return 1;
        }
    }
    std::vector<double> times;
    for (long long run = 0; run < runs; ++run) {
        const double ms = oneRun(lab, scratch.path());
        if (ms >= 0)
            times.push_back(ms);
    }
    std::sort(times.begin(), times.end());

    QJsonObject out = Bench::meta(QStringLiteral("startup"), rep);
    out[QStringLiteral("params")] = QJsonObject{
        {QStringLiteral("lab"), devices > 0 ? QStringLiteral("generated") : QStringLiteral("demo")},
        {QStringLiteral("devices"), devices},
        {QStringLiteral("runs"), runs},
        {QStringLiteral("platform"),
            qEnvironmentVariable("QT_QPA_PLATFORM", QStringLiteral("offscreen"))}};
    QJsonObject results{{QStringLiteral("runs_ok"), qint64(times.size())}};
    if (!times.empty()) {
        results[QStringLiteral("first_paint_ms_median")] = Bench::rounded(times[times.size() / 2], 1);
        results[QStringLiteral("first_paint_ms_min")] = Bench::rounded(times.front(), 1);
        results[QStringLiteral("first_paint_ms_max")] = Bench::rounded(times.back(), 1);
    }
    out[QStringLiteral("results")] = results;
    out[QStringLiteral("host")] = host.finish();
    Bench::printJsonLine(out);
    return times.size() == std::size_t(runs) ? 0 : 1;
}
