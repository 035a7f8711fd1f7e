// SPDX-License-Identifier: MIT
#include "modbusexception.h"

#include "registercodec.h"

namespace Benchtop::Modbus {

namespace {

constexpr quint8 kExceptionBit = 0x80;
/// Bytes of a PDU a message shows; an exception response has 2.
constexpr qsizetype kShownBytes = 8;

QString hexBytes(const QByteArray &bytes)
{
    QString text = QString::fromLatin1(bytes.first(std::min(bytes.size(), kShownBytes)).toHex(' '));
    if (bytes.size() > kShownBytes)
        text += QStringLiteral(" …");
    return text;
}

} // namespace

QString exceptionText(int code)
{
    QString text;
    switch (code) {
    case 0x01:
        text = QStringLiteral("illegal function");
        break;
    case 0x02:
        text = QStringLiteral("illegal data address");
        break;
    case 0x03:
        text = QStringLiteral("illegal data value");
        break;
    case 0x04:
        text = QStringLiteral("server device failure");
        break;
    case 0x05:
        text = QStringLiteral("acknowledge");
        break;
    case 0x06:
        text = QStringLiteral("server device busy");
        break;
    case 0x08:
        text = QStringLiteral("memory parity error");
        break;
    case 0x0A:
        text = QStringLiteral("gateway path unavailable");
        break;
    case 0x0B:
        text = QStringLiteral("gateway target device failed to respond");
        break;
    default:
        // A code is one byte on the wire; anything else cannot have come from one.
        text = code >= 0 && code <= 0xFF
            ? QStringLiteral("unknown exception code 0x%1")
                  .arg(QString::number(code, 16).toUpper().rightJustified(2, QLatin1Char('0')))
            : QStringLiteral("unknown exception code %1").arg(code);
    }
    return text + QStringLiteral(" (exception %1)").arg(code);
}

std::optional<int> exceptionCode(const QByteArray &pdu)
{
    if (pdu.isEmpty())
        throw CodecError("empty Modbus response (no function code)");
    const auto function = static_cast<quint8>(pdu[0]);
    if (!(function & kExceptionBit))
        return std::nullopt;
    if (function == kExceptionBit) {
        throw CodecError(QStringLiteral("malformed Modbus exception response: function code 0 "
                                        "(%1)")
                             .arg(hexBytes(pdu))
                             .toStdString());
    }
    if (pdu.size() != 2) {
        throw CodecError(QStringLiteral("malformed Modbus exception response: %1 byte%2 (%3), "
                                        "expected 2 (function, exception code)")
                             .arg(pdu.size())
                             .arg(pdu.size() == 1 ? QString() : QStringLiteral("s"))
                             .arg(hexBytes(pdu))
                             .toStdString());
    }
    return static_cast<quint8>(pdu[1]);
}

} // namespace Benchtop::Modbus
