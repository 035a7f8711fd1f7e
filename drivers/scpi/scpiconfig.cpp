// SPDX-License-Identifier: MIT
#include "scpiconfig.h"

#include "scpireply.h"

#include <device/deviceerror.h>

namespace Benchtop::Scpi {

namespace {

class Reader {
public:
    Reader(const QString &device, const QVariantMap &config)
        : m_device(device)
        , m_config(config)
    {
    }

    [[noreturn]] void fail(const QString &key, const QString &what) const
    {
        throw DeviceError(QStringLiteral("device \"%1\": key \"%2\" %3").arg(m_device, key, what));
    }
    QString text(const QString &key) const { return m_config.value(key).toString().trimmed(); }
    bool boolean(const QString &key) const { return m_config.value(key).toBool(); }
    qint64 integer(const QString &key, qint64 lowest, qint64 highest, qint64 fallback) const
    {
        const QVariant value = m_config.value(key);
        if (!value.isValid())
            return fallback;
        const qint64 number = value.toLongLong();
        if (number < lowest || number > highest)
            fail(key, QStringLiteral("must be between %1 and %2").arg(lowest).arg(highest));
        return number;
    }
    /// A command or query: one line of printable text.
    QString command(const QString &key, const QString &given) const
    {
        for (const QChar c : given) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                fail(key, QStringLiteral("must be one line of text without control characters"));
        }
        return given.trimmed();
    }
    QVariantMap map(const QString &key) const { return m_config.value(key).toMap(); }
    QVariantList list(const QString &key) const { return m_config.value(key).toList(); }

private:
    const QString &m_device;
    const QVariantMap &m_config;
};

} // namespace

ScpiConfig ScpiConfig::read(const QString &device, const QVariantMap &config)
{
    const Reader r(device, config);
    ScpiConfig c;
    c.identityQuery
        = r.command(QStringLiteral("identity_query"), r.text(QStringLiteral("identity_query")));
    for (const QVariant &command : r.list(QStringLiteral("init_commands"))) {
        const QString text = r.command(QStringLiteral("init_commands"), command.toString());
        if (text.isEmpty())
            r.fail(QStringLiteral("init_commands"), QStringLiteral("holds an empty command"));
        c.initCommands << text;
    }

    const QVariantMap units = r.map(QStringLiteral("units"));
    const QVariantMap channels = r.map(QStringLiteral("channels"));
    for (auto it = channels.begin(); it != channels.end(); ++it) {
        const QString key = QStringLiteral("channels.%1").arg(it.key());
        if (it.key() == QLatin1String("measurement_id"))
            r.fail(key, QStringLiteral("is reserved (every measurement has its measurement_id)"));
        const QString query = r.command(key, it.value().toString());
        if (query.isEmpty())
            r.fail(key,
                QStringLiteral("must be the query that reads the channel, e.g. \"MEAS:VOLT:DC?\""));
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
    if (!setCommand.isEmpty() || !setQuery.isEmpty()) {
        if (setCommand.isEmpty())
            r.fail(QStringLiteral("setpoint_command"),
                QStringLiteral("is needed with setpoint_query (e.g. \"VOLT {value}\")"));
        if (setQuery.isEmpty())
            r.fail(QStringLiteral("setpoint_query"),
                QStringLiteral("is needed with setpoint_command (e.g. \"VOLT?\")"));
        if (const QString problem = checkTemplate(setCommand); !problem.isEmpty())
            r.fail(QStringLiteral("setpoint_command"), problem);
        Setpoint s{
            setCommand, setQuery, r.text(QStringLiteral("setpoint_units")), {}, OutOfLimits::Error};
        const QVariantList limits = r.list(QStringLiteral("limits"));
        if (!limits.isEmpty()) {
            if (limits.size() != 2 || !(limits[0].toDouble() <= limits[1].toDouble()))
                r.fail(QStringLiteral("limits"),
                    QStringLiteral("must be [lower, upper] with lower ≤ upper, or [] for none"));
            s.limits = Limits{limits[0].toDouble(), limits[1].toDouble()};
        }
        const QString policy = r.text(QStringLiteral("out_of_limits"));
        if (!policy.isEmpty()) {
            const auto parsed = outOfLimitsFromString(policy);
            if (!parsed)
                r.fail(QStringLiteral("out_of_limits"),
                    QStringLiteral("must be closest, ignore or error"));
            s.outOfLimits = *parsed;
        }
        c.setpoint = s;
    }
    if (c.channels.isEmpty() && !c.setpoint) {
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
    return c;
}

} // namespace Benchtop::Scpi
