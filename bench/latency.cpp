// SPDX-License-Identifier: MIT
// Triggered-measurement latency (twin of shared/bench-peers/latency.py). A simulated sensor:
// kickoff() starts an integration of --integration-ms, ready() is true once it has ended, read()
// gives the value. A measurement (yaq's HasMeasureTrigger) is
//   kickoff(); while (!ready()) co_await sleep(poll); read();
// triggered --count times in sequence, each as a new spawned task that is awaited.
// overhead = measured time - integration time. --load N runs N 100 Hz pollers in the background
// (started together, as the peer's, and given 0.5 s to settle).
//
// --poll relative (the default, the peer's twin) sleeps `poll` after each check, so every
// wake-up's lateness adds up over the five checks. --poll grid waits with Async::pollUntil, as
// Benchtop's drivers do: checks on the grid kickoff + k·poll, so only the last wake-up's
// lateness counts.
//
//   bench_latency [--count N] [--integration-ms MS] [--poll-ms MS] [--poll relative|grid]
//                 [--load N] [--rep K]
#include "benchsupport.h"

#include <async/async.h>

#include <QCoreApplication>
#include <QCoroTask>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <vector>

using namespace Benchtop;
using Clock = std::chrono::steady_clock;

namespace {

Clock::duration fromSeconds(double s)
{
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

class Sensor {
public:
    explicit Sensor(Clock::duration integration)
        : m_integration(integration)
    {
    }
    void kickoff()
    {
        m_end = Clock::now() + m_integration;
        ++m_count;
    }
    bool ready() const { return Clock::now() >= m_end; }
    double read() const { return double(m_count) * 0.5; }

private:
    Clock::duration m_integration;
    Clock::time_point m_end{};
    long long m_count = 0;
};

struct Measurement {
    double seconds = 0;
    int polls = 0;
    double value = 0;
};

QCoro::Task<Measurement> measure(Sensor &sensor, Clock::duration poll, bool grid)
{
    const Clock::time_point t0 = Clock::now();
    sensor.kickoff();
    int polls = 0;
    if (grid) {
        polls = co_await Async::pollUntil([&sensor] { return sensor.ready(); }, poll) - 1;
    } else {
        while (!sensor.ready()) {
            co_await Async::sleep(poll);
            ++polls;
        }
    }
    const double value = sensor.read();
    co_return Measurement{std::chrono::duration<double>(Clock::now() - t0).count(), polls, value};
}

QCoro::Task<> backgroundPoller(long long i, Clock::duration interval)
{
    struct {
        double position = 0;
    } state;
    double x = double(i) * 0.001;
    for (;;) {
        x += 0.01;
        state.position = std::sin(x);
        co_await Async::sleep(interval);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const long long count
        = Bench::intOption(args, {QStringLiteral("--count"), QStringLiteral("-n")}, 1000);
    const double integrationMs
        = Bench::doubleOption(args, {QStringLiteral("--integration-ms")}, 5.0);
    const double pollMs = Bench::doubleOption(args, {QStringLiteral("--poll-ms")}, 1.0);
    const long long load = Bench::intOption(args, {QStringLiteral("--load")}, 0);
    const QString pollMode
        = Bench::stringOption(args, {QStringLiteral("--poll")}, QStringLiteral("relative"));
    if (pollMode != QLatin1String("relative") && pollMode != QLatin1String("grid"))
        qFatal("bench_latency: --poll must be relative or grid, not %s", qPrintable(pollMode));
    const bool grid = pollMode == QLatin1String("grid");
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));

    Bench::HostLoad host;
    std::vector<double> durations;
    std::vector<double> polls;
    durations.reserve(std::size_t(count));
    polls.reserve(std::size_t(count));
    Async::TaskGroup background(QStringLiteral("background"));
    Async::TaskGroup measurements(QStringLiteral("measurements"));
    Async::TaskGroup main(QStringLiteral("main"));

    main.spawn([&]() -> QCoro::Task<> {
        for (long long i = 0; i < load; ++i) {
            background.spawn(
                "poller", [i] { return backgroundPoller(i, std::chrono::milliseconds(10)); });
        }
        if (load > 0)
            co_await Async::sleep(std::chrono::milliseconds(500));
        Sensor sensor(fromSeconds(integrationMs / 1e3));
        const auto poll = fromSeconds(pollMs / 1e3);
        for (long long i = 0; i < count; ++i) {
            const Measurement m = co_await measurements.spawn(
                "measure", [&sensor, poll, grid] { return measure(sensor, poll, grid); });
            durations.push_back(m.seconds);
            polls.push_back(m.polls);
        }
        co_await background.cancel();
        QCoreApplication::quit();
    });
    QCoreApplication::exec();

    const double integration = integrationMs / 1e3;
    std::vector<double> over;
    over.reserve(durations.size());
    for (double d : durations)
        over.push_back(d - integration);
    std::sort(over.begin(), over.end());
    std::vector<double> sortedPolls = polls;
    std::sort(sortedPolls.begin(), sortedPolls.end());
    const std::size_t np = sortedPolls.size();
    const double pollsMedian = np == 0 ? 0
        : np % 2                       ? sortedPolls[np / 2]
                                       : (sortedPolls[np / 2 - 1] + sortedPolls[np / 2]) / 2;
    const double total = std::accumulate(durations.begin(), durations.end(), 0.0);
    const double mean = std::accumulate(over.begin(), over.end(), 0.0) / double(over.size());
    const auto ms = [](double s) { return Bench::rounded(s * 1e3, 3); };

    QJsonObject out = Bench::meta(QStringLiteral("latency"), rep);
    out[QStringLiteral("params")] = QJsonObject{{QStringLiteral("count"), count},
        {QStringLiteral("integration_ms"), integrationMs}, {QStringLiteral("poll_ms"), pollMs},
        {QStringLiteral("poll"), pollMode}, {QStringLiteral("background_pollers"), load}};
    out[QStringLiteral("results")] = QJsonObject{
        {QStringLiteral("overhead_ms_p50"), ms(Bench::percentile(over, 50))},
        {QStringLiteral("overhead_ms_p99"), ms(Bench::percentile(over, 99))},
        {QStringLiteral("overhead_ms_max"), ms(over.back())},
        {QStringLiteral("overhead_ms_min"), ms(over.front())},
        {QStringLiteral("overhead_ms_mean"), ms(mean)},
        {QStringLiteral("polls_per_measure_median"), pollsMedian},
        {QStringLiteral("measures_per_s"), Bench::rounded(double(durations.size()) / total, 1)}};
    out[QStringLiteral("host")] = host.finish();
    Bench::printJsonLine(out);
    return 0;
}
