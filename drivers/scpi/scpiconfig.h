// SPDX-License-Identifier: MIT
#pragma once

#include <device/limits.h>
#include <plugins/configproblem.h>

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <chrono>
#include <optional>

namespace Benchtop::Scpi {

/// A sensor channel: read with one query on measure.
struct Channel {
    QString name;
    QString query; ///< "MEAS:VOLT:DC?"
    QString units;
};

/// A setpoint driven as has-position: written with a command template, read back with a query.
struct Setpoint {
    QString command; ///< "VOLT {value}"
    QString query; ///< "VOLT?"
    QString units;
    Limits limits;
    OutOfLimits outOfLimits = OutOfLimits::Error;
};

/// What an scpi-instrument table of a lab file says beyond its link (io/transportconfig.h
/// reads that part). read() checks everything and throws DeviceError naming the device and the
/// key, so that a wrong table is refused before any connection is made; check() finds the same
/// problems for the lab checker (ScpiFactory::checkConfig), so each rule is written once.
struct ScpiConfig {
    QString identityQuery; ///< "" to skip
    QStringList initCommands;
    QList<Channel> channels;
    std::optional<Setpoint> setpoint;
    bool waitForCompletion = false; ///< `*OPC?` after each command
    QString errorQuery; ///< "" to leave the error queue alone
    int maxErrors
        = 20; ///< drained per check at most (a queue that never empties is a fault of its own)
    std::chrono::milliseconds pollInterval{0}; ///< setpoint read-back; 0 = never
    /// In a measurement loop, from the start of one measurement to the start of the next
    /// (`loop_interval_ms`); 0 = back to back. set_loop_interval changes it while running.
    std::chrono::milliseconds loopInterval{0};

    static ScpiConfig read(const QString &device, const QVariantMap &config);
    /// Every problem read() would refuse `config` for: a command or query that is not one line,
    /// an empty init command, a channel called measurement_id or without a query, units for a
    /// channel that does not exist, a setpoint command without its query (or the other way
    /// round) or with a bad template, limits that are not [lower, upper], an unknown
    /// out_of_limits, neither a channel nor a setpoint, max_errors, poll_ms or loop_interval_ms out
    /// of range (a negative loop interval among them).
    static QList<ConfigProblem> check(const QVariantMap &config);
};

} // namespace Benchtop::Scpi
