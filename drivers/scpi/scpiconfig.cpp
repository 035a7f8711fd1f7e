// SPDX-License-Identifier: MIT
#include "scpiconfig.h"

#include "scpireply.h"

#include <device/diagnostics.h>

namespace Benchtop::Scpi {

namespace {

/// Reads a table, collecting a problem for each value it cannot use (and carrying on with what
/// it can, so that every problem is found).
class Reader {
public:
    explicit Reader(const QVariantMap &config)
        : m_config(config)
    {
    }

    void fail(const QString &key, const QString &what)
    {
        m_problems << ConfigProblem::error(key, QStringLiteral("key %1 %2").arg(quoted(key), what));
    }
    QString text(const QString &key) const { return m_config.value(key).toString().trimmed(); }
    bool boolean(const QString &key) const { return m_config.value(key).toBool(); }
    qint64 integer(const QString &key, qint64 lowest, qint64 highest, qint64 fallback)
    {
        const QVariant value = m_config.value(key);
        if (!value.isValid())
            return fallback;
        const qint64 number = value.toLongLong();
        if (number < lowest || number > highest) {
            fail(key, QStringLiteral("must be between %1 and %2").arg(lowest).arg(highest));
            return fallback;
        }
        return number;
    }
    /// A command or query: one line of printable text.
    QString command(const QString &key, const QString &given)
    {
        for (const QChar c : given) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
                fail(key, QStringLiteral("must be one line of text without control characters"));
                return {};
            }
        }
        return given.trimmed();
    }
    QVariantMap map(const QString &key) const { return m_config.value(key).toMap(); }
    QVariantList list(const QString &key) const { return m_config.value(key).toList(); }

    const QList<ConfigProblem> &problems() const { return m_problems; }

private:
    const QVariantMap &m_config;
    QList<ConfigProblem> m_problems;
};

ScpiConfig readConfig(const QVariantMap &config, QList<ConfigProblem> *problems)
{
    Reader r(config);
    ScpiConfig c;
    c.identityQuery
        = r.command(QStringLiteral("identity_query"), r.text(QStringLiteral("identity_query")));
    for (const QVariant &command : r.list(QStringLiteral("init_commands"))) {
        const QString text = r.command(QStringLiteral("init_commands"), command.toString());
        if (text.isEmpty() && !command.toString().trimmed().isEmpty())
            continue; // reported as a control character
        if (text.isEmpty())
            r.fail(QStringLiteral("init_commands"), QStringLiteral("holds an empty command"));
        else
            c.initCommands << text;
    }

    const QVariantMap units = r.map(QStringLiteral("units"));
    const QVariantMap channels = r.map(QStringLiteral("channels"));
    for (auto it = channels.begin(); it != channels.end(); ++it) {
        const QString key = QStringLiteral("channels.%1").arg(it.key());
        if (it.key() == QLatin1String("measurement_id")) {
            r.fail(key, QStringLiteral("is reserved (every measurement has its measurement_id)"));
            continue;
        }
        const QString query = r.command(key, it.value().toString());
        if (query.isEmpty()) {
            if (it.value().toString().trimmed().isEmpty()) {
                r.fail(key,
                    QStringLiteral(
                        "must be the query that reads the channel, e.g. \"MEAS:VOLT:DC?\""));
            }
            continue;
        }
        c.channels << Channel{it.key(), query, units.value(it.key()).toString()};
    }
    for (auto it = units.begin(); it != units.end(); ++it) {
        if (!channels.contains(it.key())) {
            r.fail(QStringLiteral("units.%1").arg(it.key()),
                QStringLiteral("names no channel (channels: %1)")
                    .arg(channels.isEmpty() ? QStringLiteral("none")
                                            : channels.keys().join(QStringLiteral(", "))));
        }
    }

    const QString setCommand
        = r.command(QStringLiteral("setpoint_command"), r.text(QStringLiteral("setpoint_command")));
    const QString setQuery
        = r.command(QStringLiteral("setpoint_query"), r.text(QStringLiteral("setpoint_query")));
    const bool wantsSetpoint = !r.text(QStringLiteral("setpoint_command")).isEmpty()
        || !r.text(QStringLiteral("setpoint_query")).isEmpty();
    if (wantsSetpoint) {
        bool usable = true;
        if (r.text(QStringLiteral("setpoint_command")).isEmpty()) {
            r.fail(QStringLiteral("setpoint_command"),
                QStringLiteral("is needed with setpoint_query (e.g. \"VOLT {value}\")"));
            usable = false;
        }
        if (r.text(QStringLiteral("setpoint_query")).isEmpty()) {
            r.fail(QStringLiteral("setpoint_query"),
                QStringLiteral("is needed with setpoint_command (e.g. \"VOLT?\")"));
            usable = false;
        }
        if (const QString problem = checkTemplate(setCommand);
            !setCommand.isEmpty() && !problem.isEmpty()) {
            r.fail(QStringLiteral("setpoint_command"), problem);
            usable = false;
        }
        Setpoint s{
            setCommand, setQuery, r.text(QStringLiteral("setpoint_units")), {}, OutOfLimits::Error};
        const QVariantList limits = r.list(QStringLiteral("limits"));
        if (!limits.isEmpty()) {
            if (limits.size() != 2 || !(limits[0].toDouble() <= limits[1].toDouble())) {
                r.fail(QStringLiteral("limits"),
                    QStringLiteral("must be [lower, upper] with lower ≤ upper, or [] for none"));
                usable = false;
            } else {
                s.limits = Limits{limits[0].toDouble(), limits[1].toDouble()};
            }
        }
        const QString policy = r.text(QStringLiteral("out_of_limits"));
        if (!policy.isEmpty()) {
            if (const auto parsed = outOfLimitsFromString(policy)) {
                s.outOfLimits = *parsed;
            } else {
                r.fail(QStringLiteral("out_of_limits"),
                    QStringLiteral("must be closest, ignore or error"));
                usable = false;
            }
        }
        if (usable && !setQuery.isEmpty())
            c.setpoint = s;
    }
    if (channels.isEmpty() && !wantsSetpoint) {
        r.fail(QStringLiteral("channels"),
            QStringLiteral(
                "is empty and there is no setpoint: give at least one channel (name = \"query?\") "
                "or setpoint_command and setpoint_query"));
    }

    c.waitForCompletion = r.boolean(QStringLiteral("wait_opc"));
    c.errorQuery = r.command(QStringLiteral("error_query"), r.text(QStringLiteral("error_query")));
    c.maxErrors = int(r.integer(QStringLiteral("max_errors"), 1, 1000, 20));
    c.pollInterval
        = std::chrono::milliseconds(r.integer(QStringLiteral("poll_ms"), 0, 3'600'000, 0));
    c.loopInterval = std::chrono::milliseconds(
        r.integer(QStringLiteral("loop_interval_ms"), 0, 86'400'000, 0));
    *problems = r.problems();
    return c;
}

} // namespace

ScpiConfig ScpiConfig::read(const QString &device, const QVariantMap &config)
{
    QList<ConfigProblem> problems;
    ScpiConfig c = readConfig(config, &problems);
    throwIfConfigErrors(device, problems);
    return c;
}

QList<ConfigProblem> ScpiConfig::check(const QVariantMap &config)
{
    QList<ConfigProblem> problems;
    readConfig(config, &problems);
    return problems;
}

} // namespace Benchtop::Scpi
