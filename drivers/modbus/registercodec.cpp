// SPDX-License-Identifier: MIT
#include "registercodec.h"

#include <QLocale>

#include <bit>
#include <cmath>
#include <limits>

namespace Benchtop::Modbus {

namespace {

QString formatNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

/// The registers of a 32-bit word in `order`.
QList<quint16> split(quint32 word, WordOrder order)
{
    const auto high = static_cast<quint16>(word >> 16);
    const auto low = static_cast<quint16>(word & 0xFFFF);
    return order == WordOrder::Big ? QList<quint16>{high, low} : QList<quint16>{low, high};
}

quint32 join(const QList<quint16> &registers, WordOrder order)
{
    const quint32 high = order == WordOrder::Big ? registers[0] : registers[1];
    const quint32 low = order == WordOrder::Big ? registers[1] : registers[0];
    return (high << 16) | low;
}

/// `raw` rounded to an integer of [minimum, maximum], or CodecError. The range check is on the
/// rounded value: 32767.4 is 32767, 32767.5 does not fit.
qint64 toInteger(double raw, DataType type, qint64 minimum, qint64 maximum)
{
    const double rounded = std::round(raw);
    // NaN fails both comparisons, so it is caught by writing them this way round.
    if (!(rounded >= static_cast<double>(minimum) && rounded <= static_cast<double>(maximum))) {
        throw CodecError(QStringLiteral("%1 does not fit %2 (%3 to %4)")
                             .arg(formatNumber(raw), toString(type))
                             .arg(minimum)
                             .arg(maximum)
                             .toStdString());
    }
    return static_cast<qint64>(rounded);
}

} // namespace

int registerCount(DataType type)
{
    switch (type) {
    case DataType::Int16:
    case DataType::UInt16:
        return 1;
    case DataType::Int32:
    case DataType::UInt32:
    case DataType::Float32:
        return 2;
    }
    return 1;
}

QString toString(DataType type)
{
    switch (type) {
    case DataType::Int16:
        return QStringLiteral("int16");
    case DataType::UInt16:
        return QStringLiteral("uint16");
    case DataType::Int32:
        return QStringLiteral("int32");
    case DataType::UInt32:
        return QStringLiteral("uint32");
    case DataType::Float32:
        return QStringLiteral("float32");
    }
    return {};
}

QString toString(WordOrder order)
{
    return order == WordOrder::Big ? QStringLiteral("big") : QStringLiteral("little");
}

std::optional<DataType> dataTypeFromString(const QString &name)
{
    for (DataType type :
        {DataType::Int16, DataType::UInt16, DataType::Int32, DataType::UInt32, DataType::Float32}) {
        if (name == toString(type))
            return type;
    }
    return std::nullopt;
}

std::optional<WordOrder> wordOrderFromString(const QString &name)
{
    if (name == u"big")
        return WordOrder::Big;
    if (name == u"little")
        return WordOrder::Little;
    return std::nullopt;
}

double decode(const QList<quint16> &registers, DataType type, WordOrder order)
{
    const int count = registerCount(type);
    if (registers.size() != count) {
        throw CodecError(QStringLiteral("%1 takes %2 register%3, not %4")
                             .arg(toString(type))
                             .arg(count)
                             .arg(count == 1 ? QString() : QStringLiteral("s"))
                             .arg(registers.size())
                             .toStdString());
    }
    switch (type) {
    case DataType::Int16:
        return static_cast<qint16>(registers[0]);
    case DataType::UInt16:
        return registers[0];
    case DataType::Int32:
        return static_cast<qint32>(join(registers, order));
    case DataType::UInt32:
        return join(registers, order);
    case DataType::Float32:
        return std::bit_cast<float>(join(registers, order));
    }
    return 0;
}

QList<quint16> encode(double raw, DataType type, WordOrder order)
{
    switch (type) {
    case DataType::Int16:
        return {static_cast<quint16>(static_cast<qint16>(toInteger(raw, type, -32768, 32767)))};
    case DataType::UInt16:
        return {static_cast<quint16>(toInteger(raw, type, 0, 65535))};
    case DataType::Int32: {
        const qint64 value = toInteger(
            raw, type, std::numeric_limits<qint32>::min(), std::numeric_limits<qint32>::max());
        return split(static_cast<quint32>(static_cast<qint32>(value)), order);
    }
    case DataType::UInt32:
        return split(static_cast<quint32>(toInteger(raw, type, 0, 0xFFFF'FFFFLL)), order);
    case DataType::Float32: {
        constexpr double largest = std::numeric_limits<float>::max();
        if (!(std::abs(raw) <= largest)) {
            // The range as a float prints it (the double of FLT_MAX has 17 digits).
            throw CodecError(QStringLiteral("%1 does not fit float32 (-3.4028235e+38 to "
                                            "3.4028235e+38)")
                                 .arg(formatNumber(raw))
                                 .toStdString());
        }
        return split(std::bit_cast<quint32>(static_cast<float>(raw)), order);
    }
    }
    return {};
}

} // namespace Benchtop::Modbus
