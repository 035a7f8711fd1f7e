// SPDX-License-Identifier: MIT
// Fuzz target: the register map of a Modbus lab table. FuzzedDataProvider turns the bytes into
// the QVariant trees the TOML reader produces (tables of channels with known and unknown keys,
// integers, floats, strings, booleans, arrays, nested tables, names with any characters), for
// parseChannels, parseSetpoint and parseLines. Only MapError may be thrown; what they accept
// obeys the documented limits.
#include <registermap.h>

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

const char *const kKeys[] = {"table", "address", "type", "word_order", "scale", "offset", "units"};
const char *const kWords[] = {"holding", "input", "int16", "uint16", "int32", "uint32", "float32",
    "big", "little", "Big", "floatt", "inptu", "", "°C"};

QString text(FuzzedDataProvider &input)
{
    const std::string bytes = input.ConsumeRandomLengthString(24);
    return QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
}

QString word(FuzzedDataProvider &input)
{
    return input.ConsumeBool() ? QString::fromUtf8(input.PickValueInArray(kWords)) : text(input);
}

QString key(FuzzedDataProvider &input)
{
    return input.ConsumeBool() ? QString::fromUtf8(input.PickValueInArray(kKeys)) : text(input);
}

double floating(FuzzedDataProvider &input)
{
    switch (input.ConsumeIntegralInRange(0, 5)) {
    case 0:
        return std::numeric_limits<double>::quiet_NaN();
    case 1:
        return input.ConsumeBool() ? std::numeric_limits<double>::infinity()
                                   : -std::numeric_limits<double>::infinity();
    case 2:
        return input.ConsumeIntegralInRange(-70000, 70000); // integral, near the address range
    case 3:
        return input.ConsumeBool() ? 0.0 : -0.0;
    default:
        return input.ConsumeFloatingPoint<double>();
    }
}

QVariant value(FuzzedDataProvider &input, int depth);

QVariantMap table(FuzzedDataProvider &input, int depth, bool knownKeys)
{
    QVariantMap map;
    const int count = input.ConsumeIntegralInRange(0, 8);
    for (int i = 0; i < count && input.remaining_bytes() > 0; ++i)
        map.insert(knownKeys ? key(input) : text(input), value(input, depth + 1));
    return map;
}

/// Any value the TOML reader can produce (and a few it cannot: invalid, qulonglong).
QVariant value(FuzzedDataProvider &input, int depth)
{
    switch (input.ConsumeIntegralInRange(0, depth < 3 ? 9 : 6)) {
    case 0:
        return QVariant::fromValue(input.ConsumeIntegralInRange<qlonglong>(-5, 70000));
    case 1:
        return QVariant::fromValue(input.ConsumeIntegral<qlonglong>());
    case 2:
        return floating(input);
    case 3:
        return word(input);
    case 4:
        return input.ConsumeBool();
    case 5:
        return QVariant();
    case 6:
        return QVariant::fromValue(input.ConsumeIntegral<qulonglong>());
    case 7:
        return QVariantList{value(input, depth + 1), value(input, depth + 1)};
    default:
        return table(input, depth, true);
    }
}

void checkSpec(const RegisterSpec &spec)
{
    check(int(spec.address) + registerCount(spec.type) - 1 <= 65535, "last register in range");
    check(std::isfinite(spec.scaling.scale) && spec.scaling.scale != 0, "scale finite, non-zero");
    check(std::isfinite(spec.scaling.offset), "offset finite");
}

void checkMessage(const MapError &error)
{
    const QString message = QString::fromUtf8(error.what());
    const auto check = [&](bool condition, const char *invariant) {
        if (!condition)
            std::fprintf(stderr, "message: %s\n", error.what());
        ::check(condition, invariant);
    };
    check(!message.contains(u'\n') && !message.contains(QChar(0)), "message on one line");
    check(message.size() < 600, "message short");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider input(data, size);
    QVariantMap channels;
    const int count = input.ConsumeIntegralInRange(0, 4);
    for (int i = 0; i < count && input.remaining_bytes() > 0; ++i) {
        const QString name = text(input);
        channels.insert(name,
            input.ConsumeIntegralInRange(0, 4) == 0 ? value(input, 1)
                                                    : QVariant(table(input, 1, true)));
    }
    const QVariantMap setpoint = table(input, 1, true);
    const QVariantMap lines = table(input, 1, false);

    try {
        const QList<RegisterSpec> specs = parseChannels(channels, QStringLiteral("channels"));
        check(specs.size() == channels.size(), "one spec per channel");
        for (const RegisterSpec &spec : specs)
            checkSpec(spec);
    } catch (const MapError &error) {
        checkMessage(error);
    }
    try {
        if (const std::optional<RegisterSpec> spec
            = parseSetpoint(setpoint, QStringLiteral("setpoint"))) {
            checkSpec(*spec);
            check(spec->table == Table::Holding, "setpoint in a holding register");
        } else {
            check(setpoint.isEmpty(), "no setpoint only when empty");
        }
    } catch (const MapError &error) {
        checkMessage(error);
    }
    try {
        check(parseLines(lines, QStringLiteral("lines")).size() == lines.size(), "every line");
    } catch (const MapError &error) {
        checkMessage(error);
    }
    return 0;
}
