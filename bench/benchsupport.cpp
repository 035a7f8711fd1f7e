// SPDX-License-Identifier: MIT
#include "benchsupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QThread>

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
        {QStringLiteral("compiler"), QStringLiteral("GCC " __VERSION__)},
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

} // namespace Benchtop::Bench
