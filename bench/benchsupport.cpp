// SPDX-License-Identifier: MIT
#include "benchsupport.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

namespace Benchtop::Bench {

namespace {

/// Busy jiffies of the whole machine, from /proc/stat (user+nice+system+irq+softirq+steal).
double machineBusyTicks()
{
    QFile stat(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = stat.readLine().simplified().split(' ');
    double busy = 0;
    for (int i = 1; i < fields.size(); ++i) {
        if (i == 4 || i == 5) // idle, iowait
            continue;
        busy += fields.at(i).toDouble();
    }
    return busy;
}

#ifdef __clang__
constexpr const char kCompiler[] = "clang " __clang_version__;
#else
constexpr const char kCompiler[] = "GCC " __VERSION__;
#endif

} // namespace

double processCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec) + double(usage.ru_stime.tv_sec)
        + (double(usage.ru_utime.tv_usec) + double(usage.ru_stime.tv_usec)) / 1e6;
}

HostLoad::HostLoad()
    : m_start(std::chrono::steady_clock::now())
    , m_startBusyTicks(machineBusyTicks())
    , m_startOwnCpu(processCpuSeconds())
{
}

double HostLoad::ownCpuSeconds() const
{
    return processCpuSeconds() - m_startOwnCpu;
}

QJsonObject HostLoad::finish() const
{
    const double wall
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    const double busy = (machineBusyTicks() - m_startBusyTicks) / double(sysconf(_SC_CLK_TCK));
    double loadavg = 0;
    QFile file(QStringLiteral("/proc/loadavg"));
    if (file.open(QIODevice::ReadOnly))
        loadavg = file.readAll().split(' ').value(0).toDouble();
    const double others = wall > 0 ? std::max(0.0, busy - ownCpuSeconds()) / wall * 100.0 : 0;
    return {{QStringLiteral("loadavg_1m_end"), loadavg},
        {QStringLiteral("others_cpu_percent"), std::round(others * 10) / 10}};
}

QJsonObject meta(const QString &bench, int rep)
{
    return {{QStringLiteral("bench"), bench}, {QStringLiteral("loop"), QStringLiteral("benchtop")},
        {QStringLiteral("loop_impl"), QStringLiteral("Qt event loop + Benchtop::Async scheduler")},
        {QStringLiteral("rep"), rep}, {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
        {QStringLiteral("compiler"), QString::fromLatin1(kCompiler).trimmed()},
        {QStringLiteral("build_type"), QStringLiteral(BENCHTOP_BUILD_TYPE)},
        {QStringLiteral("cpus"), QThread::idealThreadCount()}};
}

void printJsonLine(const QJsonObject &object)
{
    std::fputs(QJsonDocument(object).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

long long intOption(const QStringList &arguments, const QStringList &names, long long fallback)
{
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        for (const QString &name : names) {
            if (arguments[i] == name && i + 1 < arguments.size())
                return arguments[i + 1].toLongLong();
            if (arguments[i].startsWith(name + QLatin1Char('=')))
                return arguments[i].mid(name.size() + 1).toLongLong();
        }
    }
    return fallback;
}

namespace {

const QString *findValue(const QStringList &arguments, const QStringList &names, QString &storage)
{
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        for (const QString &name : names) {
            if (arguments[i] == name && i + 1 < arguments.size())
                return &arguments[i + 1];
            if (arguments[i].startsWith(name + QLatin1Char('='))) {
                storage = arguments[i].mid(name.size() + 1);
                return &storage;
            }
        }
    }
    return nullptr;
}

} // namespace

double doubleOption(const QStringList &arguments, const QStringList &names, double fallback)
{
    QString storage;
    const QString *value = findValue(arguments, names, storage);
    return value ? value->toDouble() : fallback;
}

QString stringOption(
    const QStringList &arguments, const QStringList &names, const QString &fallback)
{
    QString storage;
    const QString *value = findValue(arguments, names, storage);
    return value ? *value : fallback;
}

bool hasFlag(const QStringList &arguments, const QStringList &names)
{
    for (const QString &name : names) {
        if (arguments.contains(name))
            return true;
    }
    return false;
}

double percentile(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const auto n = double(sorted.size());
    const auto rank = static_cast<long long>(std::ceil(p / 100.0 * n)) - 1;
    const auto index = std::clamp<long long>(rank, 0, static_cast<long long>(sorted.size()) - 1);
    return sorted[std::size_t(index)];
}

double rounded(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

bool runUntil(int limitMs, const std::function<bool()> &done, int checkEveryMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > limitMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(checkEveryMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace Benchtop::Bench
