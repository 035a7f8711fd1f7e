// SPDX-License-Identifier: MIT
// Fuzz target: the register codec. The first byte picks the type and word order; decode gets
// the rest as big-endian registers (any count), encode gets the same bytes as a double. Only
// CodecError may be thrown, and only where documented; every register pattern that decodes to a
// number encodes back to itself, and every value that encodes decodes to the value as stored.
#include <registercodec.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace Benchtop::Modbus;

namespace {

void check(bool condition, const char *invariant)
{
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", invariant);
        std::abort();
    }
}

void checkMessage(const CodecError &error)
{
    const QString message = QString::fromUtf8(error.what());
    const auto check = [&](bool condition, const char *invariant) {
        if (!condition)
            std::fprintf(stderr, "message: %s\n", error.what());
        ::check(condition, invariant);
    };
    check(!message.isEmpty() && !message.contains(u'\n') && message.size() < 200, "message");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    constexpr DataType types[]
        = {DataType::Int16, DataType::UInt16, DataType::Int32, DataType::UInt32, DataType::Float32};
    const DataType type = types[(data[0] & 0x7F) % 5];
    const WordOrder order = data[0] & 0x80 ? WordOrder::Little : WordOrder::Big;
    ++data;
    --size;

    QList<quint16> registers;
    for (size_t i = 0; i + 1 < size; i += 2)
        registers << static_cast<quint16>(data[i] << 8 | data[i + 1]);
    try {
        const double value = decode(registers, type, order);
        check(registers.size() == registerCount(type), "decode takes only the right count");
        if (!std::isnan(value) && !std::isinf(value))
            check(encode(value, type, order) == registers, "registers round trip");
    } catch (const CodecError &error) {
        check(registers.size() != registerCount(type), "decode refuses only a wrong count");
        checkMessage(error);
    }

    double raw = 0;
    if (size >= sizeof raw) {
        std::memcpy(&raw, data, sizeof raw);
        bool fits = std::isfinite(raw);
        if (fits && type == DataType::Float32) {
            fits = std::abs(raw) <= std::numeric_limits<float>::max();
        } else if (fits) {
            const double lowest = type == DataType::Int16 ? -32768.0
                : type == DataType::Int32                 ? -2147483648.0
                                                          : 0.0;
            const double highest = type == DataType::Int16 ? 32767.0
                : type == DataType::UInt16                 ? 65535.0
                : type == DataType::Int32                  ? 2147483647.0
                                                           : 4294967295.0;
            fits = std::round(raw) >= lowest && std::round(raw) <= highest;
        }
        try {
            const QList<quint16> encoded = encode(raw, type, order);
            check(fits, "encode takes only what fits");
            check(encoded.size() == registerCount(type), "register count");
            const double back = decode(encoded, type, order);
            if (type == DataType::Float32)
                check(back == static_cast<double>(static_cast<float>(raw)), "nearest float");
            else
                check(back == std::round(raw), "rounded to nearest");
        } catch (const CodecError &error) {
            check(!fits, "encode refuses only what does not fit");
            checkMessage(error);
        }
    }
    return 0;
}
