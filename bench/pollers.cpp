// SPDX-License-Identifier: MIT
// N simulated devices polled at 100 Hz (seeds 000, 003; twin of shared/bench-peers/pollers.py).
// Each device runs a yaq-style update_state loop: read (a sine of a phase) into its state, then
//   --mode relative: co_await sleep(interval)        lateness = wake - (call + interval)
//   --mode absolute: co_await sleepUntil(deadline)   deadline = start + k * interval
//
//   bench_pollers [--devices N] [--rate HZ] [--seconds T] [--warmup S] [--no-stagger]
//                 [--mode relative|absolute] [--rep K]
//
// Prints one JSON line with the peer's keys: results.achieved_fraction, lateness_ms_p50/p99/max,
// cpu_percent, ... Start phases are staggered uniformly over one interval with a seeded RNG
// (12345, as the peer) unless --no-stagger.
#include "benchsupport.h"

#include <async/async.h>

#include <QCoreApplication>
#include <QCoroTask>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

using namespace Benchtop;
using Clock = std::chrono::steady_clock;

namespace {

struct DeviceState {
    double position = std::nan("");
    double destination = 0;
};

struct Device {
    DeviceState state;
    double phase = 0;

    // "a cheap computation": a few float ops, like converting a raw reading
    double read()
    {
        phase += 0.01;
        return 2.5 * std::sin(phase) + 0.1;
    }
};

struct Stats {
    bool measuring = false;
    long long updates = 0;
    std::vector<double> lateSeconds;
};

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

QCoro::Task<> updateStateRelative(
    Device &dev, Clock::duration interval, Stats &stats, Clock::duration startDelay)
{
    if (startDelay > Clock::duration::zero())
        co_await Async::sleep(startDelay);
    for (;;) {
        dev.state.position = dev.read();
        const Clock::time_point call = Clock::now();
        co_await Async::sleep(interval);
        const Clock::time_point wake = Clock::now();
        if (stats.measuring) {
            ++stats.updates;
            stats.lateSeconds.push_back(seconds(wake - call - interval));
        }
    }
}

QCoro::Task<> updateStateAbsolute(
    Device &dev, Clock::duration interval, Stats &stats, Clock::duration startDelay)
{
    Clock::time_point deadline = Clock::now() + startDelay;
    if (startDelay > Clock::duration::zero())
        co_await Async::sleep(startDelay);
    for (;;) {
        dev.state.position = dev.read();
        deadline += interval;
        co_await Async::sleepUntil(deadline); // a deadline already past resumes at once
        const Clock::time_point wake = Clock::now();
        if (stats.measuring) {
            ++stats.updates;
            stats.lateSeconds.push_back(seconds(wake - deadline));
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const long long devices
        = Bench::intOption(args, {QStringLiteral("--devices"), QStringLiteral("-n")}, 1000);
    const double rate = Bench::doubleOption(args, {QStringLiteral("--rate")}, 100.0);
    const double measured
        = Bench::doubleOption(args, {QStringLiteral("--seconds"), QStringLiteral("-t")}, 10.0);
    const double warmup = Bench::doubleOption(args, {QStringLiteral("--warmup")}, 1.0);
    const bool stagger = !Bench::hasFlag(args, {QStringLiteral("--no-stagger")});
    const QString mode
        = Bench::stringOption(args, {QStringLiteral("--mode")}, QStringLiteral("relative"));
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));
    if (mode != QLatin1String("relative") && mode != QLatin1String("absolute")) {
        std::fprintf(stderr, "--mode must be relative or absolute\n");
        return 2;
    }
    const bool absolute = mode == QLatin1String("absolute");

    const auto interval
        = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
    Stats stats;
    // Reserved up front so that recording a sample never reallocates inside the measurement.
    stats.lateSeconds.reserve(std::size_t(double(devices) * rate * measured * 1.05) + 1024);
    std::vector<Device> devs(static_cast<std::size_t>(devices));
    for (std::size_t i = 0; i < devs.size(); ++i)
        devs[i].phase = double(i) * 0.001;

    Bench::HostLoad host;
    double wall = 0;
    double cpu = 0;
    Async::TaskGroup pollers(QStringLiteral("pollers"));
    Async::TaskGroup main(QStringLiteral("main"));

    main.spawn([&]() -> QCoro::Task<> {
        std::mt19937_64 rng(12345);
        std::uniform_real_distribution<double> phase(0.0, 1.0 / rate);
        for (Device &dev : devs) {
            const auto delay = stagger ? std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(phase(rng)))
                                       : Clock::duration::zero();
            pollers.spawn("update_state", [&dev, interval, &stats, delay, absolute] {
                return absolute ? updateStateAbsolute(dev, interval, stats, delay)
                                : updateStateRelative(dev, interval, stats, delay);
            });
        }
        co_await Async::sleep(
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup)));
        stats.measuring = true;
        const Clock::time_point t0 = Clock::now();
        const double c0 = Bench::processCpuSeconds();
        co_await Async::sleep(
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(measured)));
        stats.measuring = false;
        const double c1 = Bench::processCpuSeconds();
        const Clock::time_point t1 = Clock::now();
        wall = seconds(t1 - t0);
        cpu = c1 - c0;
        co_await pollers.cancel();
        QCoreApplication::quit();
    });
    QCoreApplication::exec();

    std::vector<double> &late = stats.lateSeconds;
    std::sort(late.begin(), late.end());
    const double ideal = double(devices) * rate;
    const double achieved = double(stats.updates) / wall;
    const auto ms = [&](double s) {
        return late.empty() ? QJsonValue() : QJsonValue(Bench::rounded(s * 1e3, 3));
    };
    const double mean
        = late.empty() ? 0 : std::accumulate(late.begin(), late.end(), 0.0) / double(late.size());

    QJsonObject out = Bench::meta(QStringLiteral("pollers"), rep);
    out[QStringLiteral("params")]
        = QJsonObject{{QStringLiteral("devices"), devices}, {QStringLiteral("rate_hz"), rate},
            {QStringLiteral("seconds"), measured}, {QStringLiteral("warmup_s"), warmup},
            {QStringLiteral("stagger"), stagger}, {QStringLiteral("mode"), mode}};
    out[QStringLiteral("results")] = QJsonObject{{QStringLiteral("updates"), stats.updates},
        {QStringLiteral("wall_s"), Bench::rounded(wall, 3)},
        {QStringLiteral("achieved_updates_per_s"), Bench::rounded(achieved, 1)},
        {QStringLiteral("ideal_updates_per_s"), ideal},
        {QStringLiteral("achieved_fraction"), Bench::rounded(achieved / ideal, 4)},
        {QStringLiteral("lateness_ms_p50"), ms(Bench::percentile(late, 50))},
        {QStringLiteral("lateness_ms_p99"), ms(Bench::percentile(late, 99))},
        {QStringLiteral("lateness_ms_max"), ms(late.empty() ? 0 : late.back())},
        {QStringLiteral("lateness_ms_mean"), ms(mean)},
        {QStringLiteral("cpu_s"), Bench::rounded(cpu, 3)},
        {QStringLiteral("cpu_percent"), Bench::rounded(cpu / wall * 100.0, 1)}};
    out[QStringLiteral("host")] = host.finish();
    Bench::printJsonLine(out);
    return 0;
}
