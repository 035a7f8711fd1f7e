// SPDX-License-Identifier: MIT
#include "transportconfig.h"

#include "serialtransport.h"
#include "tcptransport.h"

#include <device/deviceerror.h>

namespace Benchtop::Io {

namespace {

/// A value the readers below cannot use: the key, and what is wrong with it. The public readers
/// turn it into a DeviceError naming the device, the checks into a ConfigProblem, so that each
/// rule is written once.
struct Refusal {
    QString key;
    QString what;

    QString message() const { return QStringLiteral("key \"%1\" %2").arg(key, what); }
};

[[noreturn]] void refuse(const QString &key, const QString &what)
{
    throw Refusal{key, what};
}

/// Runs a reader, turning its Refusal into the DeviceError the public functions promise.
template<typename Fn>
auto readOrThrow(const QString &device, Fn &&read)
{
    try {
        return read();
    } catch (const Refusal &refusal) {
        throw DeviceError(QStringLiteral("device \"%1\": %2").arg(device, refusal.message()));
    }
}

/// Runs a reader, adding its Refusal to `problems`.
template<typename Fn>
void readInto(QList<ConfigProblem> &problems, Fn &&read)
{
    try {
        read();
    } catch (const Refusal &refusal) {
        problems << ConfigProblem::error(refusal.key, refusal.message());
    }
}

QString text(const QVariantMap &config, const char *key, const QString &fallback)
{
    return config.value(QLatin1String(key), fallback).toString();
}

qint64 integer(
    const QVariantMap &config, const char *key, qint64 fallback, qint64 lowest, qint64 highest)
{
    const QVariant value = config.value(QLatin1String(key));
    if (!value.isValid())
        return fallback;
    bool ok = false;
    const qint64 number = value.toLongLong(&ok);
    if (!ok)
        refuse(QLatin1String(key), QStringLiteral("must be an integer"));
    if (number < lowest || number > highest) {
        refuse(QLatin1String(key),
            QStringLiteral("must be between %1 and %2, not %3")
                .arg(lowest)
                .arg(highest)
                .arg(number));
    }
    return number;
}

template<typename Enum>
Enum choice(const QVariantMap &config, const char *key, Enum fallback,
    std::initializer_list<std::pair<const char *, Enum>> options)
{
    const QVariant value = config.value(QLatin1String(key));
    if (!value.isValid())
        return fallback;
    const QString given = value.toString();
    QStringList names;
    for (const auto &[name, option] : options) {
        if (given == QLatin1String(name))
            return option;
        names << QLatin1String(name);
    }
    refuse(QLatin1String(key),
        QStringLiteral("must be one of %1, not \"%2\"")
            .arg(names.join(QStringLiteral(", ")), given));
}

SerialSettings serialSettings(const QVariantMap &config)
{
    SerialSettings settings;
    settings.baud = qint32(integer(config, "baud", 9600, 50, 4'000'000));
    settings.dataBits = choice(config, "data_bits", QSerialPort::Data8,
        {{"5", QSerialPort::Data5}, {"6", QSerialPort::Data6}, {"7", QSerialPort::Data7},
            {"8", QSerialPort::Data8}});
    settings.parity = choice(config, "parity", QSerialPort::NoParity,
        {{"none", QSerialPort::NoParity}, {"even", QSerialPort::EvenParity},
            {"odd", QSerialPort::OddParity}, {"space", QSerialPort::SpaceParity},
            {"mark", QSerialPort::MarkParity}});
    settings.stopBits = choice(config, "stop_bits", QSerialPort::OneStop,
        {{"1", QSerialPort::OneStop}, {"1.5", QSerialPort::OneAndHalfStop},
            {"2", QSerialPort::TwoStop}});
    settings.flowControl = choice(config, "flow_control", QSerialPort::NoFlowControl,
        {{"none", QSerialPort::NoFlowControl}, {"rts/cts", QSerialPort::HardwareControl},
            {"xon/xoff", QSerialPort::SoftwareControl}});
    return settings;
}

/// Where the transport goes, read and checked, before anything is made.
struct Endpoint {
    bool serial = false;
    QString host;
    quint16 tcpPort = 5025;
    QString serialPort;
    SerialSettings serialSettings;
};

Endpoint endpointOf(const QVariantMap &config)
{
    Endpoint endpoint;
    const QString kind = text(config, "transport", QStringLiteral("tcp"));
    if (kind == QLatin1String("tcp")) {
        endpoint.host = text(config, "host", {}).trimmed();
        if (endpoint.host.isEmpty())
            refuse(QStringLiteral("host"), QStringLiteral("is needed for transport \"tcp\""));
        endpoint.tcpPort = quint16(integer(config, "tcp_port", 5025, 1, 65535));
        return endpoint;
    }
    if (kind == QLatin1String("serial")) {
        endpoint.serial = true;
        endpoint.serialPort = text(config, "serial_port", {}).trimmed();
        if (endpoint.serialPort.isEmpty()) {
            refuse(QStringLiteral("serial_port"),
                QStringLiteral("is needed for transport \"serial\" (e.g. \"/dev/ttyUSB0\")"));
        }
        endpoint.serialSettings = serialSettings(config);
        return endpoint;
    }
    refuse(QStringLiteral("transport"),
        QStringLiteral("must be \"tcp\" or \"serial\", not \"%1\"").arg(kind));
}

std::unique_ptr<Transport> transportOf(const QVariantMap &config)
{
    const Endpoint endpoint = endpointOf(config);
    if (endpoint.serial)
        return std::make_unique<SerialTransport>(endpoint.serialPort, endpoint.serialSettings);
    return std::make_unique<TcpTransport>(endpoint.host, endpoint.tcpPort);
}

QByteArray terminatorOf(const QString &key, const QString &text)
{
    QByteArray bytes;
    const QByteArray raw = text.toUtf8();
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\') {
            bytes += raw[i];
            continue;
        }
        if (++i >= raw.size())
            refuse(key, QStringLiteral("ends with a lone backslash"));
        switch (raw[i]) {
        case 'n':
            bytes += '\n';
            break;
        case 'r':
            bytes += '\r';
            break;
        case 't':
            bytes += '\t';
            break;
        case '\\':
            bytes += '\\';
            break;
        case 'x': {
            const QByteArray digits = raw.mid(i + 1, 2);
            bool ok = false;
            const int value = digits.toInt(&ok, 16);
            if (!ok || digits.size() != 2)
                refuse(key, QStringLiteral("has a bad \\x escape (two hex digits expected)"));
            bytes += char(value);
            i += 2;
            break;
        }
        default:
            refuse(key,
                QStringLiteral("has an unknown escape \\%1 (known: \\n \\r \\t \\\\ \\xHH)")
                    .arg(QLatin1Char(raw[i])));
        }
    }
    if (bytes.isEmpty())
        refuse(key, QStringLiteral("must not be empty"));
    return bytes;
}

QByteArray terminator(const QVariantMap &config, const char *key)
{
    return terminatorOf(QLatin1String(key), text(config, key, QStringLiteral("\\n")));
}

LineOptions lineOptionsOf(const QString &device, const QVariantMap &config)
{
    LineOptions options;
    options.label = device;
    options.writeTerminator = terminator(config, "write_terminator");
    options.readTerminator = terminator(config, "read_terminator");
    options.timeout = std::chrono::milliseconds(integer(config, "timeout_ms", 2000, 1, 3'600'000));
    options.maxReplyBytes = integer(config, "max_reply_bytes", 64 * 1024, 16, 64 * 1024 * 1024);
    options.settle = std::chrono::milliseconds(integer(config, "settle_ms", 100, 0, 60'000));
    options.timeoutsBeforeLost = int(integer(config, "timeouts_before_disconnect", 3, 0, 1000));
    return options;
}

Backoff::Settings backoffOf(const QVariantMap &config)
{
    Backoff::Settings settings;
    settings.first
        = std::chrono::milliseconds(integer(config, "reconnect_min_ms", 250, 1, 3'600'000));
    settings.longest
        = std::chrono::milliseconds(integer(config, "reconnect_max_ms", 10'000, 1, 3'600'000));
    if (settings.longest < settings.first) {
        refuse(QStringLiteral("reconnect_max_ms"),
            QStringLiteral("must not be less than reconnect_min_ms"));
    }
    return settings;
}

std::chrono::milliseconds connectTimeoutOf(const QVariantMap &config)
{
    return std::chrono::milliseconds(integer(config, "connect_timeout_ms", 3000, 1, 600'000));
}

} // namespace

std::unique_ptr<Transport> makeTransport(const QString &device, const QVariantMap &config)
{
    return readOrThrow(device, [&] { return transportOf(config); });
}

QByteArray unescapeTerminator(const QString &device, const QString &key, const QString &text)
{
    return readOrThrow(device, [&] { return terminatorOf(key, text); });
}

LineOptions lineOptions(const QString &device, const QVariantMap &config)
{
    return readOrThrow(device, [&] { return lineOptionsOf(device, config); });
}

Backoff::Settings reconnectBackoff(const QString &device, const QVariantMap &config)
{
    return readOrThrow(device, [&] { return backoffOf(config); });
}

std::chrono::milliseconds connectTimeout(const QString &device, const QVariantMap &config)
{
    return readOrThrow(device, [&] { return connectTimeoutOf(config); });
}

QList<ConfigProblem> checkReconnectConfig(const QVariantMap &config)
{
    QList<ConfigProblem> problems;
    readInto(problems, [&] { connectTimeoutOf(config); });
    readInto(problems, [&] { backoffOf(config); });
    return problems;
}

QList<ConfigProblem> checkLinkConfig(const QVariantMap &config)
{
    QList<ConfigProblem> problems;
    // Only what the transport needs: makes no socket and opens nothing.
    readInto(problems, [&] { endpointOf(config); });
    const qsizetype before = problems.size();
    readInto(problems, [&] { terminator(config, "write_terminator"); });
    readInto(problems, [&] { terminator(config, "read_terminator"); });
    if (problems.size() == before) // then the rest of the line's options, once
        readInto(problems, [&] { lineOptionsOf({}, config); });
    problems << checkReconnectConfig(config);
    return problems;
}

} // namespace Benchtop::Io
