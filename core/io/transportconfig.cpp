// SPDX-License-Identifier: MIT
#include "transportconfig.h"

#include "serialtransport.h"
#include "tcptransport.h"

#include <device/deviceerror.h>

namespace Benchtop::Io {

namespace {

[[noreturn]] void refuse(const QString &device, const QString &key, const QString &what)
{
    throw DeviceError(QStringLiteral("device \"%1\": key \"%2\" %3").arg(device, key, what));
}

QString text(const QVariantMap &config, const char *key, const QString &fallback)
{
    return config.value(QLatin1String(key), fallback).toString();
}

qint64 integer(const QString &device, const QVariantMap &config, const char *key, qint64 fallback,
    qint64 lowest, qint64 highest)
{
    const QVariant value = config.value(QLatin1String(key));
    if (!value.isValid())
        return fallback;
    bool ok = false;
    const qint64 number = value.toLongLong(&ok);
    if (!ok)
        refuse(device, QLatin1String(key), QStringLiteral("must be an integer"));
    if (number < lowest || number > highest) {
        refuse(device, QLatin1String(key),
            QStringLiteral("must be between %1 and %2, not %3").arg(lowest).arg(highest).arg(number));
    }
    return number;
}

template<typename Enum>
Enum choice(const QString &device, const QVariantMap &config, const char *key, Enum fallback,
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
    refuse(device, QLatin1String(key),
        QStringLiteral("must be one of %1, not \"%2\"").arg(names.join(QStringLiteral(", ")), given));
}

SerialSettings serialSettings(const QString &device, const QVariantMap &config)
{
    SerialSettings settings;
    settings.baud = qint32(integer(device, config, "baud", 9600, 50, 4'000'000));
    settings.dataBits = choice(device, config, "data_bits", QSerialPort::Data8,
        {{"5", QSerialPort::Data5}, {"6", QSerialPort::Data6}, {"7", QSerialPort::Data7},
            {"8", QSerialPort::Data8}});
    settings.parity = choice(device, config, "parity", QSerialPort::NoParity,
        {{"none", QSerialPort::NoParity}, {"even", QSerialPort::EvenParity},
            {"odd", QSerialPort::OddParity}, {"space", QSerialPort::SpaceParity},
            {"mark", QSerialPort::MarkParity}});
    settings.stopBits = choice(device, config, "stop_bits", QSerialPort::OneStop,
        {{"1", QSerialPort::OneStop}, {"1.5", QSerialPort::OneAndHalfStop},
            {"2", QSerialPort::TwoStop}});
    settings.flowControl = choice(device, config, "flow_control", QSerialPort::NoFlowControl,
        {{"none", QSerialPort::NoFlowControl}, {"rts/cts", QSerialPort::HardwareControl},
            {"xon/xoff", QSerialPort::SoftwareControl}});
    return settings;
}

} // namespace

std::unique_ptr<Transport> makeTransport(const QString &device, const QVariantMap &config)
{
    const QString kind = text(config, "transport", QStringLiteral("tcp"));
    if (kind == QLatin1String("tcp")) {
        const QString host = text(config, "host", {}).trimmed();
        if (host.isEmpty())
            refuse(device, QStringLiteral("host"), QStringLiteral("is needed for transport \"tcp\""));
        const auto port = quint16(integer(device, config, "tcp_port", 5025, 1, 65535));
        return std::make_unique<TcpTransport>(host, port);
    }
    if (kind == QLatin1String("serial")) {
        const QString port = text(config, "serial_port", {}).trimmed();
        if (port.isEmpty()) {
            refuse(device, QStringLiteral("serial_port"),
                QStringLiteral("is needed for transport \"serial\" (e.g. \"/dev/ttyUSB0\")"));
        }
        return std::make_unique<SerialTransport>(port, serialSettings(device, config));
    }
    refuse(device, QStringLiteral("transport"),
        QStringLiteral("must be \"tcp\" or \"serial\", not \"%1\"").arg(kind));
}

QByteArray unescapeTerminator(const QString &device, const QString &key, const QString &text)
{
    QByteArray bytes;
    const QByteArray raw = text.toUtf8();
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\') {
            bytes += raw[i];
            continue;
        }
        if (++i >= raw.size())
            refuse(device, key, QStringLiteral("ends with a lone backslash"));
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
                refuse(device, key, QStringLiteral("has a bad \\x escape (two hex digits expected)"));
            bytes += char(value);
            i += 2;
            break;
        }
        default:
            refuse(device, key,
                QStringLiteral("has an unknown escape \\%1 (known: \\n \\r \\t \\\\ \\xHH)")
                    .arg(QLatin1Char(raw[i])));
        }
    }
    if (bytes.isEmpty())
        refuse(device, key, QStringLiteral("must not be empty"));
    return bytes;
}

LineOptions lineOptions(const QString &device, const QVariantMap &config)
{
    LineOptions options;
    options.label = device;
    options.writeTerminator = unescapeTerminator(
        device, QStringLiteral("write_terminator"), text(config, "write_terminator", QStringLiteral("\\n")));
    options.readTerminator = unescapeTerminator(
        device, QStringLiteral("read_terminator"), text(config, "read_terminator", QStringLiteral("\\n")));
    options.timeout = std::chrono::milliseconds(integer(device, config, "timeout_ms", 2000, 1, 3'600'000));
    options.maxReplyBytes = integer(device, config, "max_reply_bytes", 64 * 1024, 16, 64 * 1024 * 1024);
    options.settle = std::chrono::milliseconds(integer(device, config, "settle_ms", 100, 0, 60'000));
    options.timeoutsBeforeLost = int(integer(device, config, "timeouts_before_disconnect", 3, 0, 1000));
    return options;
}

Backoff::Settings reconnectBackoff(const QString &device, const QVariantMap &config)
{
    Backoff::Settings settings;
    settings.first = std::chrono::milliseconds(integer(device, config, "reconnect_min_ms", 250, 1, 3'600'000));
    settings.longest = std::chrono::milliseconds(integer(device, config, "reconnect_max_ms", 10'000, 1, 3'600'000));
    if (settings.longest < settings.first) {
        refuse(device, QStringLiteral("reconnect_max_ms"),
            QStringLiteral("must not be less than reconnect_min_ms"));
    }
    return settings;
}

std::chrono::milliseconds connectTimeout(const QString &device, const QVariantMap &config)
{
    return std::chrono::milliseconds(integer(device, config, "connect_timeout_ms", 3000, 1, 600'000));
}

} // namespace Benchtop::Io
