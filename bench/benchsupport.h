// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QStringList>

#include <chrono>

namespace Benchtop::Bench {

/// How busy the rest of the machine was while we ran (the peers' HostLoad): a noise indicator
/// recorded with every result.
class HostLoad {
public:
    HostLoad();
    /// {"loadavg_1m_end", "others_cpu_percent"}, measured from construction until now.
    QJsonObject finish() const;
    /// CPU seconds this process used since construction.
    double ownCpuSeconds() const;

private:
    std::chrono::steady_clock::time_point m_start;
    double m_startBusyTicks = 0;
    double m_startOwnCpu = 0;
};

/// The peers' common header: bench, loop, rep, cpus, and what we were built with.
QJsonObject meta(const QString &bench, int rep);

/// Prints `object` as one compact JSON line on stdout.
void printJsonLine(const QJsonObject &object);

/// The value after `name` in `arguments` (also `name=value`), or `fallback`.
long long intOption(const QStringList &arguments, const QStringList &names, long long fallback);

double processCpuSeconds();

} // namespace Benchtop::Bench
