// SPDX-License-Identifier: MIT
// Round-robin task switching (seed 002's roundrobin; twin of shared/bench-peers/roundrobin.py):
// N tasks each `co_await yield()` M times; every yield hands control back to the scheduler.
//
//   bench_roundrobin [--tasks N] [--switches M] [--rep K]
//
// Prints one JSON line: results.switches_per_s, results.ns_per_switch, ...
// The clock starts before the tasks are created, so creation is part of the measured time
// (the peer creates its tasks before starting its clock).
#include "benchsupport.h"

#include <async/async.h>

#include <QCoreApplication>
#include <QCoroTask>

#include <chrono>
#include <cmath>

using namespace Benchtop;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const long long tasks
        = Bench::intOption(args, {QStringLiteral("--tasks"), QStringLiteral("-n")}, 100);
    const long long switches
        = Bench::intOption(args, {QStringLiteral("--switches"), QStringLiteral("-m")}, 10000);
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));

    Bench::HostLoad host;
    Async::TaskGroup workers;
    Async::TaskGroup main;
    std::chrono::steady_clock::time_point start;
    std::chrono::steady_clock::time_point end;
    double cpuStart = 0;
    double cpuEnd = 0;

    main.spawn([&]() -> QCoro::Task<> {
        cpuStart = Bench::processCpuSeconds();
        start = std::chrono::steady_clock::now();
        for (long long i = 0; i < tasks; ++i) {
            workers.spawn([switches]() -> QCoro::Task<> {
                for (long long s = 0; s < switches; ++s)
                    co_await Async::yield();
            });
        }
        co_await workers.join();
        end = std::chrono::steady_clock::now();
        cpuEnd = Bench::processCpuSeconds();
        QCoreApplication::quit();
    });
    QCoreApplication::exec();

    const double wall = std::chrono::duration<double>(end - start).count();
    const double total = double(tasks) * double(switches);
    QJsonObject out = Bench::meta(QStringLiteral("roundrobin"), rep);
    out[QStringLiteral("params")] = QJsonObject{
        {QStringLiteral("tasks"), tasks}, {QStringLiteral("switches_per_task"), switches}};
    out[QStringLiteral("results")] = QJsonObject{{QStringLiteral("total_switches"), total},
        {QStringLiteral("wall_s"), std::round(wall * 1e4) / 1e4},
        {QStringLiteral("cpu_s"), std::round((cpuEnd - cpuStart) * 1e4) / 1e4},
        {QStringLiteral("switches_per_s"), std::round(total / wall)},
        {QStringLiteral("ns_per_switch"), std::round(wall / total * 1e9 * 10) / 10}};
    out[QStringLiteral("host")] = host.finish();
    Bench::printJsonLine(out);
    return 0;
}
