// SPDX-License-Identifier: MIT
// Blocking reads pushed to the blocking pool (twin of shared/bench-peers/blocking.py): K
// concurrent runBlocking calls, each a blocking sleep of --read-ms returning 42, gathered with
// whenAll, --rounds times. A heartbeat task sleeping --heartbeat-ms measures loop stalls (max gap
// and p99), after a baseline heartbeat of --baseline-s with no blocking load.
//
//   bench_blocking [--reads K] [--read-ms MS] [--workers W] [--rounds R] [--heartbeat-ms MS]
//                  [--baseline-s S] [--rep K]
//
// --workers 0 (default) keeps Async::blockingPool() as it is: min(32, cores + 4) threads, as
// Python's default executor; params.workers reports its real thread count. ideal_ms is the
// peer's ceil(K / workers) * read_ms.
#include "benchsupport.h"

#include <async/async.h>

#include <QCoreApplication>
#include <QCoroTask>
#include <QThreadPool>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

using namespace Benchtop;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

Clock::duration fromSeconds(double s)
{
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

struct Heartbeat {
    Clock::duration period;
    std::vector<double> gaps;
    bool running = true;

    QCoro::Task<> run()
    {
        Clock::time_point last = Clock::now();
        while (running) {
            co_await Async::sleep(period);
            const Clock::time_point now = Clock::now();
            gaps.push_back(seconds(now - last));
            last = now;
        }
    }
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    if (n == 0)
        return 0;
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const long long reads
        = Bench::intOption(args, {QStringLiteral("--reads"), QStringLiteral("-k")}, 200);
    const double readMs = Bench::doubleOption(args, {QStringLiteral("--read-ms")}, 10.0);
    const long long workersArg = Bench::intOption(args, {QStringLiteral("--workers")}, 0);
    const long long rounds = Bench::intOption(args, {QStringLiteral("--rounds")}, 5);
    const double heartbeatMs = Bench::doubleOption(args, {QStringLiteral("--heartbeat-ms")}, 1.0);
    const double baselineS = Bench::doubleOption(args, {QStringLiteral("--baseline-s")}, 1.0);
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));

    if (workersArg > 0)
        Async::blockingPool()->setMaxThreadCount(int(workersArg));
    const int workers = Async::blockingPool()->maxThreadCount();
    const auto readDuration = fromSeconds(readMs / 1e3);
    const auto period = fromSeconds(heartbeatMs / 1e3);

    Bench::HostLoad host;
    std::vector<double> walls;
    std::vector<double> gaps;
    std::vector<double> base;
    bool resultsOk = true;
    double cpu = 0;
    double wallAll = 0;
    Async::TaskGroup main(QStringLiteral("main"));

    main.spawn([&]() -> QCoro::Task<> {
        Async::TaskGroup beats(QStringLiteral("heartbeat"));
        {
            // baseline heartbeat, no blocking load
            Heartbeat hb{period, {}};
            auto task = beats.spawn("heartbeat", [&hb] { return hb.run(); });
            co_await Async::sleep(fromSeconds(baselineS));
            hb.running = false;
            co_await task;
            base = std::move(hb.gaps);
        }

        Heartbeat hb{period, {}};
        auto task = beats.spawn("heartbeat", [&hb] { return hb.run(); });
        co_await Async::sleep(std::chrono::milliseconds(5)); // let the heartbeat settle
        const double c0 = Bench::processCpuSeconds();
        const Clock::time_point all0 = Clock::now();
        for (long long r = 0; r < rounds; ++r) {
            const Clock::time_point t0 = Clock::now();
            std::vector<std::function<QCoro::Task<double>()>> calls;
            calls.reserve(std::size_t(reads));
            for (long long i = 0; i < reads; ++i) {
                calls.emplace_back([readDuration] {
                    return Async::runBlocking([readDuration] {
                        std::this_thread::sleep_for(readDuration); // the blocking read
                        return 42.0;
                    });
                });
            }
            const std::vector<double> values = co_await Async::whenAll(std::move(calls));
            walls.push_back(seconds(Clock::now() - t0));
            resultsOk = resultsOk && values.size() == std::size_t(reads)
                && std::all_of(values.begin(), values.end(), [](double v) { return v == 42.0; });
        }
        wallAll = seconds(Clock::now() - all0);
        cpu = Bench::processCpuSeconds() - c0;
        hb.running = false;
        co_await task;
        gaps = std::move(hb.gaps);
        QCoreApplication::quit();
    });
    QCoreApplication::exec();

    std::sort(gaps.begin(), gaps.end());
    std::sort(base.begin(), base.end());
    const double ideal = std::ceil(double(reads) / double(workers)) * readMs / 1e3;
    const double wallMedian = median(walls);
    QJsonObject out = Bench::meta(QStringLiteral("blocking"), rep);
    out[QStringLiteral("params")] = QJsonObject{{QStringLiteral("reads"), reads},
        {QStringLiteral("read_ms"), readMs}, {QStringLiteral("workers"), workers},
        {QStringLiteral("workers_source"),
            workersArg > 0 ? QStringLiteral("--workers")
                           : QStringLiteral("Async::blockingPool(): min(32, cores + 4)")},
        {QStringLiteral("rounds"), rounds}, {QStringLiteral("heartbeat_ms"), heartbeatMs}};
    const auto ms = [](double s) { return Bench::rounded(s * 1e3, 3); };
    out[QStringLiteral("results")] = QJsonObject{{QStringLiteral("all_results_ok"), resultsOk},
        {QStringLiteral("ideal_ms"), Bench::rounded(ideal * 1e3, 2)},
        {QStringLiteral("wall_ms_first"), Bench::rounded(walls.front() * 1e3, 2)},
        {QStringLiteral("wall_ms_median"), Bench::rounded(wallMedian * 1e3, 2)},
        {QStringLiteral("wall_ms_min"),
            Bench::rounded(*std::min_element(walls.begin(), walls.end()) * 1e3, 2)},
        {QStringLiteral("wall_over_ideal_median"), Bench::rounded(wallMedian / ideal, 3)},
        {QStringLiteral("heartbeat_gap_ms_p50"), ms(Bench::percentile(gaps, 50))},
        {QStringLiteral("heartbeat_gap_ms_p99"), ms(Bench::percentile(gaps, 99))},
        {QStringLiteral("heartbeat_gap_ms_max"), ms(gaps.back())},
        {QStringLiteral("max_stall_ms"), ms(gaps.back() - heartbeatMs / 1e3)},
        {QStringLiteral("baseline_gap_ms_p99"), ms(Bench::percentile(base, 99))},
        {QStringLiteral("baseline_gap_ms_max"), ms(base.back())},
        {QStringLiteral("cpu_percent_during_reads"), Bench::rounded(cpu / wallAll * 100.0, 1)}};
    out[QStringLiteral("host")] = host.finish();
    Bench::printJsonLine(out);
    return 0;
}
