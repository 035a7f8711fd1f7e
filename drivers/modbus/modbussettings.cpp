// SPDX-License-Identifier: MIT
#include "modbussettings.h"

#include <device/deviceerror.h>
#include <device/diagnostics.h>
#include <device/traits.h>
#include <io/transportconfig.h>

#include <cmath>

namespace Benchtop::Modbus {

namespace {

/// A value the reader cannot use: the key (or path) it is about, and the message.
struct Refusal {
    QString key;
    QString message;
};

/// Reads one device's config, refusing a value with a Refusal that names the key.
class ConfigReader {
public:
    explicit ConfigReader(const QVariantMap &config)
        : m_config(config)
    {
    }

    [[noreturn]] void refuse(const QString &where, const QString &problem) const
    {
        throw Refusal{where, where + QLatin1String(": ") + problem};
    }

    [[noreturn]] void refuseKey(const char *key, const QString &problem) const
    {
        throw Refusal{QLatin1String(key),
            QStringLiteral("key %1 %2").arg(quoted(QLatin1String(key)), problem)};
    }

    qint64 integer(const char *key, qint64 fallback, qint64 lowest, qint64 highest) const
    {
        const QVariant value = m_config.value(QLatin1String(key));
        if (!value.isValid())
            return fallback;
        qint64 number = 0;
        const int type = value.typeId();
        if (type == QMetaType::Double || type == QMetaType::Float) {
            // A config that came through JSON has only doubles: take integral ones.
            const double x = value.toDouble();
            if (!std::isfinite(x) || x != std::floor(x) || std::abs(x) > 1e15)
                refuseKey(key, QStringLiteral("must be an integer, not %1").arg(x));
            number = static_cast<qint64>(x);
        } else if (type == QMetaType::Int || type == QMetaType::LongLong || type == QMetaType::UInt
            || type == QMetaType::ULongLong) {
            number = value.toLongLong();
        } else {
            refuseKey(key, QStringLiteral("must be an integer"));
        }
        if (number < lowest || number > highest) {
            refuseKey(key,
                QStringLiteral("must be between %1 and %2, not %3")
                    .arg(lowest)
                    .arg(highest)
                    .arg(number));
        }
        return number;
    }

    QString string(const char *key, const QString &fallback) const
    {
        const QVariant value = m_config.value(QLatin1String(key));
        if (!value.isValid())
            return fallback;
        if (value.typeId() != QMetaType::QString)
            refuseKey(key, QStringLiteral("must be a string"));
        return value.toString();
    }

    QVariantMap table(const char *key) const
    {
        const QVariant value = m_config.value(QLatin1String(key));
        if (!value.isValid())
            return {};
        if (value.typeId() != QMetaType::QVariantMap && value.typeId() != QMetaType::QVariantHash)
            refuseKey(key, QStringLiteral("must be a table"));
        return value.toMap();
    }

    Limits limits(const char *key) const
    {
        const QVariant value = m_config.value(QLatin1String(key));
        if (!value.isValid())
            return {};
        const QString shape = QStringLiteral("must be [] (no limits) or [lower, upper]");
        if (value.typeId() != QMetaType::QVariantList)
            refuseKey(key, shape);
        const QVariantList list = value.toList();
        if (list.isEmpty())
            return {};
        auto isNumber = [](const QVariant &v) {
            const int type = v.typeId();
            return type == QMetaType::Double || type == QMetaType::Float || type == QMetaType::Int
                || type == QMetaType::LongLong || type == QMetaType::UInt
                || type == QMetaType::ULongLong;
        };
        if (list.size() != 2 || !isNumber(list[0]) || !isNumber(list[1]))
            refuseKey(key, shape);
        const Limits limits{list[0].toDouble(), list[1].toDouble()};
        if (!(limits.lower <= limits.upper)) {
            refuseKey(key,
                QStringLiteral("is [%1, %2]: the lower limit is above the upper")
                    .arg(limits.lower)
                    .arg(limits.upper));
        }
        return limits;
    }

    /// A map parser's MapError as a Refusal about `key`.
    template<typename Fn>
    auto parsed(const char *key, Fn &&fn) const
    {
        try {
            return fn();
        } catch (const MapError &e) {
            throw Refusal{QLatin1String(key), QString::fromStdString(e.what())};
        }
    }

private:
    const QVariantMap &m_config;
};

/// Reads what it can of `config`, one part at a time: a part that is refused is a problem, and
/// the next part is read all the same, so that every problem is found. The connection's timeout
/// and reconnection are core's to read and check (io/transportconfig.h).
ModbusSettings readSettings(const QVariantMap &config, QList<ConfigProblem> *problems)
{
    const ConfigReader c(config);
    ModbusSettings s;
    const auto part = [&](auto &&read) {
        try {
            read();
            return true;
        } catch (const Refusal &refusal) {
            *problems << ConfigProblem::error(refusal.key, refusal.message);
            return false;
        }
    };

    part([&] {
        s.client.host = c.string("host", {}).trimmed();
        if (s.client.host.isEmpty())
            c.refuseKey("host", QStringLiteral("is needed: the instrument's address or host name"));
    });
    part([&] { s.client.port = static_cast<quint16>(c.integer("tcp_port", 502, 1, 65535)); });
    part([&] { s.client.unit = static_cast<int>(c.integer("unit", 1, 0, 255)); });
    // QModbusClient ignores timeouts under 10 ms.
    part([&] {
        s.client.timeout = std::chrono::milliseconds(c.integer("timeout_ms", 1000, 10, 600'000));
    });
    part([&] {
        s.client.timeoutsBeforeLost
            = static_cast<int>(c.integer("timeouts_before_disconnect", 3, 0, 1000));
    });
    part([&] { s.poll = std::chrono::milliseconds(c.integer("poll_ms", 500, 0, 3'600'000)); });

    const QString channelsKey = QStringLiteral("channels");
    part([&] {
        s.channels
            = c.parsed("channels", [&] { return parseChannels(c.table("channels"), channelsKey); });
        for (const RegisterSpec &channel : std::as_const(s.channels)) {
            if (channel.name == StateKey::MeasurementId) {
                c.refuse(channelsKey + QLatin1Char('.') + StateKey::MeasurementId,
                    QStringLiteral("a channel may not be called measurement_id (it is the "
                                   "measurement's number)"));
            }
        }
    });
    part([&] {
        s.setpoint = c.parsed("setpoint",
            [&] { return parseSetpoint(c.table("setpoint"), QStringLiteral("setpoint")); });
    });
    part([&] { s.limits = c.limits("limits"); });
    part([&] {
        const QString policy = c.string("out_of_limits", QStringLiteral("error"));
        const std::optional<OutOfLimits> outOfLimits = outOfLimitsFromString(policy);
        if (!outOfLimits) {
            c.refuseKey("out_of_limits",
                QStringLiteral("must be \"closest\", \"ignore\" or \"error\", not %1")
                    .arg(quoted(policy)));
        }
        s.outOfLimits = *outOfLimits;
    });

    const bool inputs = part([&] {
        s.inputs = c.parsed(
            "inputs", [&] { return parseLines(c.table("inputs"), QStringLiteral("inputs")); });
    });
    const bool outputs = part([&] {
        s.outputs = c.parsed(
            "outputs", [&] { return parseLines(c.table("outputs"), QStringLiteral("outputs")); });
    });
    if (inputs && outputs) {
        for (auto it = s.inputs.cbegin(); it != s.inputs.cend(); ++it) {
            part([&] {
                if (s.outputs.contains(it.key())) {
                    c.refuse(QStringLiteral("outputs.") + it.key(),
                        QStringLiteral("\"%1\" is an input too: a line needs one name")
                            .arg(it.key()));
                }
            });
        }
    }
    return s;
}

} // namespace

ModbusSettings ModbusSettings::fromConfig(const QString &device, const QVariantMap &config)
{
    QList<ConfigProblem> problems;
    ModbusSettings s = readSettings(config, &problems);
    problems << Io::checkReconnectConfig(config);
    throwIfConfigErrors(device, problems);
    s.client.label = device;
    s.connectTimeout = Io::connectTimeout(device, config);
    s.backoff = Io::reconnectBackoff(device, config);
    return s;
}

QList<ConfigProblem> ModbusSettings::check(const QVariantMap &config)
{
    QList<ConfigProblem> problems;
    readSettings(config, &problems);
    return problems + Io::checkReconnectConfig(config);
}

} // namespace Benchtop::Modbus
