// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QStringList>

#include <chrono>
#include <functional>
#include <vector>

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
/// As intOption, for fractional values (`--seconds 0.5`).
double doubleOption(const QStringList &arguments, const QStringList &names, double fallback);
/// As intOption, for words (`--mode absolute`).
QString stringOption(
    const QStringList &arguments, const QStringList &names, const QString &fallback);
/// True if one of `names` appears as a bare flag (`--no-stagger`).
bool hasFlag(const QStringList &arguments, const QStringList &names);

/// The peers' percentile: the value at rank ceil(p/100 * n) of the sorted values (nearest rank).
double percentile(const std::vector<double> &sorted, double p);

/// `value` rounded to `decimals` places, as the peers' round().
double rounded(double value, int decimals);

double processCpuSeconds();

/// Runs the event loop until `done` is true (checked every `checkEveryMs`), for at most
/// `limitMs`; false if the limit came first.
bool runUntil(int limitMs, const std::function<bool()> &done, int checkEveryMs = 10);
/// Runs the event loop for `ms` (a precise timer ends it).
void runFor(int ms);

} // namespace Benchtop::Bench
