// SPDX-License-Identifier: MIT
// Memory per suspended task (twin of shared/bench-peers/memory.py): N spawned tasks, each
// `co_await event.wait(); co_return 1;` on one shared Async::Event, all run to their suspension
// point; VmRSS growth / N = bytes per suspended task (the task's frames, its waiter and the
// handle kept for it in a vector, as the peer keeps its Task in a list). Then the event is set
// and every task is awaited: all_completed checks that they all return 1.
//
//   bench_memory [--tasks N] [--rep K] [--task-type native|qcoro]
//
// native (default): `Async::Task<int> waiter(Event &)`, spawned as `group.spawn(waiter(event))`
// (one frame per task). qcoro: `QCoro::Task<int> waiter(Event &)` spawned through a function,
// `group.spawn([&] { return waiter(event); })` (a root frame, QCoro's frame and QCoro's vector
// of awaiting coroutines). params.task_type says which.
#include "benchsupport.h"

#include <async/async.h>

#include <QCoreApplication>
#include <QCoroTask>
#include <QFile>

#include <chrono>
#include <cstdio>
#include <vector>

using namespace Benchtop;
using Clock = std::chrono::steady_clock;

namespace {

long long vmRssBytes()
{
    // /proc files report size 0, so read them whole rather than line by line until atEnd().
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = status.readAll();
    const qsizetype at = text.indexOf("VmRSS:");
    if (at < 0)
        return 0;
    const qsizetype end = text.indexOf('\n', at);
    return text.mid(at + 6, end - at - 6).simplified().split(' ').value(0).toLongLong() * 1024;
}

Async::Task<int> waiter(Async::Event &event)
{
    co_await event.wait();
    co_return 1;
}

QCoro::Task<int> qcoroWaiter(Async::Event &event)
{
    co_await event.wait();
    co_return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const long long n
        = Bench::intOption(args, {QStringLiteral("--tasks"), QStringLiteral("-n")}, 100000);
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));
    const QString taskType
        = Bench::stringOption(args, {QStringLiteral("--task-type")}, QStringLiteral("native"));
    if (taskType != QLatin1String("native") && taskType != QLatin1String("qcoro")) {
        std::fprintf(stderr, "--task-type must be native or qcoro\n");
        return 2;
    }
    const bool native = taskType == QLatin1String("native");

    Bench::HostLoad host;
    long long rss0 = 0;
    long long rss1 = 0;
    long long suspended = 0;
    bool ok = false;
    double createS = 0;
    double wakeS = 0;
    Async::Event event;
    Async::TaskGroup tasks(QStringLiteral("waiters"));
    Async::TaskGroup main(QStringLiteral("main"));

    main.spawn([&]() -> QCoro::Task<> {
        co_await Async::yield();
        rss0 = vmRssBytes();
        const Clock::time_point t0 = Clock::now();
        std::vector<Async::TaskHandle<int>> handles;
        handles.reserve(std::size_t(n));
        // spawn() runs each task up to its suspension point before it returns
        if (native) {
            for (long long i = 0; i < n; ++i)
                handles.push_back(tasks.spawn(waiter(event)));
        } else {
            for (long long i = 0; i < n; ++i)
                handles.push_back(tasks.spawn([&event] { return qcoroWaiter(event); }));
        }
        co_await Async::yield();
        co_await Async::yield();
        const Clock::time_point t1 = Clock::now();
        for (const auto &handle : handles)
            suspended += handle.isDone() ? 0 : 1;
        rss1 = vmRssBytes();
        event.set();
        const Clock::time_point t2 = Clock::now();
        long long sum = 0;
        for (const auto &handle : handles)
            sum += co_await handle;
        const Clock::time_point t3 = Clock::now();
        ok = sum == n;
        createS = std::chrono::duration<double>(t1 - t0).count();
        wakeS = std::chrono::duration<double>(t3 - t2).count();
        QCoreApplication::quit();
    });
    QCoreApplication::exec();

    const long long growth = rss1 - rss0;
    QJsonObject out = Bench::meta(QStringLiteral("memory"), rep);
    out[QStringLiteral("params")]
        = QJsonObject{{QStringLiteral("tasks"), n}, {QStringLiteral("task_type"), taskType}};
    out[QStringLiteral("results")] = QJsonObject{{QStringLiteral("suspended_tasks"), suspended},
        {QStringLiteral("all_completed"), ok},
        {QStringLiteral("rss_before_mib"), Bench::rounded(double(rss0) / (1 << 20), 2)},
        {QStringLiteral("rss_after_mib"), Bench::rounded(double(rss1) / (1 << 20), 2)},
        {QStringLiteral("rss_growth_mib"), Bench::rounded(double(growth) / (1 << 20), 2)},
        {QStringLiteral("bytes_per_task"), Bench::rounded(double(growth) / double(n), 1)},
        {QStringLiteral("create_and_suspend_us_per_task"),
            Bench::rounded(createS / double(n) * 1e6, 3)},
        {QStringLiteral("wake_and_finish_us_per_task"),
            Bench::rounded(wakeS / double(n) * 1e6, 3)}};
    out[QStringLiteral("host")] = host.finish();
    Bench::printJsonLine(out);
    return 0;
}
