// SPDX-License-Identifier: MIT
// bench_runs: a run of N points on instant sim devices, run by `benchtop-run` and timed from its
// start to its exit, with every point written to HDF5, CSV and the JSON-lines journal; beside it,
// PyMeasure 0.9 stepping an instant stage and writing every point to its CSV
// (shared/bench-peers/pymeasure_scan.py), in the same moment of the machine.
//
//   bench_runs [--case count|scan] [--points N] [--rep K] [--no-peer]
//
// count: one sim-sensor (integration_ms = 0, two channels) read N times. scan: a sim-motor with
// `instant = true` stepped through N positions, the same sensor read at each. Prints one JSON
// line:
//   points_per_s          N / (exit - start) of benchtop-run: lab opened, plan checked, files
//                         made, every point taken and written, files closed, lab closed
//   taking_points_per_s   the rate from the first event to the last (what the peer's figure
//                         times: its worker from start to join)
//   point_ms_p50, _p99    the time between consecutive points, from the events' times (CSV)
//   late_over_early       time taken by the last 1,000 points over that of points 1,000-2,000
//                         (1.0: no growth)
//   rss_mb_early, _late   benchtop-run's resident memory at 20% and at 90% of its points
//   pymeasure_points_per_s  the peer's rate for the same N, run right after (0 when absent)
#include "benchsupport.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Benchtop;

namespace {

const QByteArray kLab = R"(
[stage]
driver = "sim-motor"
instant = true

[meter]
driver = "sim-sensor"
channels = ["voltage", "current"]
integration_ms = 0
)";

QByteArray planText(const QString &kind, long long points)
{
    if (kind == QLatin1String("scan")) {
        return QStringLiteral("kind = \"scan\"\ndetectors = [\"meter\"]\n[[axis]]\ndevice = "
                              "\"stage\"\nstart = 0.0\nstop = 100.0\npoints = %1\n")
            .arg(points)
            .toUtf8();
    }
    return QStringLiteral("kind = \"count\"\ndetectors = [\"meter\"]\npoints = %1\n")
        .arg(points)
        .toUtf8();
}

void write(const QString &path, const QByteArray &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("bench_runs: cannot write %s", qPrintable(path));
}

/// Resident memory of `pid` in MB, from /proc; -1 when it cannot be read.
double rssMb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

/// The events' times (Unix seconds) from a run's CSV: its `time` column.
std::vector<double> eventTimes(const QString &csv)
{
    std::vector<double> times;
    QFile file(csv);
    if (!file.open(QIODevice::ReadOnly))
        return times;
    int column = -1;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> cells = line.split(',');
        if (column < 0) {
            column = int(cells.indexOf("time"));
            if (column < 0)
                return times;
            continue;
        }
        times.push_back(cells.value(column).toDouble());
    }
    return times;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const QString kind = Bench::stringOption(args, {QStringLiteral("--case")}, QStringLiteral("count"));
    const long long points = Bench::intOption(args, {QStringLiteral("--points")}, 100'000);
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));
    const bool peer = !Bench::hasFlag(args, {QStringLiteral("--no-peer")});

    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("lab.toml")), kLab);
    write(dir.filePath(QStringLiteral("plan.toml")), planText(kind, points));
    const QString out = dir.filePath(QStringLiteral("data"));

    Bench::HostLoad host;
    QProcess run;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BENCHTOP_STATE_DIR"), dir.filePath(QStringLiteral("state")));
    run.setProcessEnvironment(env);
    run.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // Memory at 20% and 90% of the points, read from the progress the run prints (plain lines
    // every 5 s are too sparse: sample /proc instead, and place the samples by elapsed time).
    std::vector<std::pair<qint64, double>> rss; // (ms since start, MB)
    QElapsedTimer clock;
    QTimer sampler;
    sampler.setInterval(20);
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        if (run.state() == QProcess::Running)
            rss.emplace_back(clock.elapsed(), rssMb(run.processId()));
    });
    clock.start();
    run.start(QStringLiteral(BENCHTOP_RUN_FILE),
        {QStringLiteral("--lab"), dir.filePath(QStringLiteral("lab.toml")), QStringLiteral("--out"),
            out, dir.filePath(QStringLiteral("plan.toml"))});
    sampler.start();
    Bench::runUntil(600'000, [&] { return run.state() == QProcess::NotRunning; }, 1);
    const double wallS = double(clock.nsecsElapsed()) / 1e9;
    sampler.stop();
    if (run.exitStatus() != QProcess::NormalExit || run.exitCode() != 0)
        qFatal("bench_runs: benchtop-run failed (exit %d)", run.exitCode());
    QString csv;
    QDirIterator it(out, {QStringLiteral("*.csv")}, QDir::Files, QDirIterator::Subdirectories);
    if (it.hasNext())
        csv = it.next();
    const std::vector<double> times = eventTimes(csv);
    if (qint64(times.size()) != points)
        qFatal("bench_runs: %zu points in %s, not %lld", times.size(), qPrintable(csv), points);

    // The rate while points were taken, first event to last: what PyMeasure's figure times
    // (its worker from start to join), without opening and closing the lab.
    const double taking = times.size() > 1 ? times.back() - times.front() : 0;
    const double takingRate = taking > 0 ? double(times.size() - 1) / taking : 0;

    std::vector<double> gaps;
    gaps.reserve(times.size());
    for (std::size_t i = 1; i < times.size(); ++i)
        gaps.push_back((times[i] - times[i - 1]) * 1e3);
    std::vector<double> sortedGaps = gaps;
    std::sort(sortedGaps.begin(), sortedGaps.end());
    // Mean time per point over 1,000 points: single gaps are a few µs, near the CSV's µs
    // resolution, so a window's span says more than the median of its gaps.
    double lateOverEarly = 0;
    if (times.size() >= 3001) {
        const double early = times[2000] - times[1000];
        const double late = times.back() - times[times.size() - 1001];
        lateOverEarly = early > 0 ? late / early : 0;
    }
    // The samples taken while points were taken: place 20% and 90% between the first and the
    // last event, by time.
    const auto rssAt = [&](double share) {
        if (rss.empty())
            return -1.0;
        const qint64 lastMs = rss.back().first;
        const qint64 atMs = qint64(double(lastMs) * share);
        for (const auto &[ms, mb] : rss) {
            if (ms >= atMs && mb > 0)
                return mb;
        }
        return rss.back().second;
    };

    double peerRate = 0;
    // The peers live beside the repository (bench/run's BENCH_PEERS default).
    const QString peerScript
        = qEnvironmentVariable("BENCH_PEERS", QStringLiteral(BENCHTOP_SOURCE_DIR "/../shared/bench-peers"))
        + QStringLiteral("/pymeasure_scan.py");
    if (peer && QFile::exists(peerScript)) {
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
            {peerScript, QStringLiteral("--points"), QString::number(points)});
        python.waitForFinished(600'000);
        const QList<QByteArray> lines = python.readAllStandardOutput().trimmed().split('\n');
        const QJsonObject result = QJsonDocument::fromJson(lines.last()).object();
        peerRate = result.value(QStringLiteral("results")).toObject().value(QStringLiteral("points_per_s")).toDouble();
    }

    QJsonObject out_ = Bench::meta(QStringLiteral("runs"), rep);
    out_.insert(QStringLiteral("loop"), QStringLiteral("benchtop"));
    out_.insert(QStringLiteral("host"), host.finish());
    out_.insert(QStringLiteral("params"),
        QJsonObject{{QStringLiteral("case"), kind}, {QStringLiteral("points"), points}});
    out_.insert(QStringLiteral("results"),
        QJsonObject{{QStringLiteral("points_per_s"), Bench::rounded(double(points) / wallS, 0)},
            {QStringLiteral("wall_s"), Bench::rounded(wallS, 3)},
            {QStringLiteral("taking_points_per_s"), Bench::rounded(takingRate, 0)},
            {QStringLiteral("point_ms_p50"), Bench::rounded(Bench::percentile(sortedGaps, 0.5), 4)},
            {QStringLiteral("point_ms_p99"), Bench::rounded(Bench::percentile(sortedGaps, 0.99), 4)},
            {QStringLiteral("point_ms_max"), Bench::rounded(sortedGaps.empty() ? 0 : sortedGaps.back(), 3)},
            {QStringLiteral("late_over_early"), Bench::rounded(lateOverEarly, 3)},
            {QStringLiteral("rss_mb_early"), Bench::rounded(rssAt(0.2), 1)},
            {QStringLiteral("rss_mb_late"), Bench::rounded(rssAt(0.9), 1)},
            {QStringLiteral("pymeasure_points_per_s"), Bench::rounded(peerRate, 0)}});
    Bench::printJsonLine(out_);
    return 0;
}
