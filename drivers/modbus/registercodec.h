// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <optional>
#include <stdexcept>

/// The pure half of the Modbus driver: values to and from 16-bit registers, the register map of
/// the lab file, exception responses. No I/O, no event loop.
namespace Benchtop::Modbus {

/// A value that cannot go into (or come out of) registers; what(): one line naming the value
/// and the problem, e.g. `70000 does not fit int16 (-32768 to 32767)`.
class CodecError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// How a value is laid out in registers.
enum class DataType { Int16, UInt16, Int32, UInt32, Float32 };

/// Order of the two 16-bit registers of a 32-bit value: Big = high word first (Modbus's usual,
/// "ABCD"), Little = low word first ("CDAB"). Bytes within a register are always big-endian (the
/// wire), so there is nothing to choose there.
enum class WordOrder { Big, Little };

/// 1 for the 16-bit types, 2 for the 32-bit ones.
int registerCount(DataType type);

/// The names the lab file uses: "int16", "uint16", "int32", "uint32", "float32".
QString toString(DataType type);
/// "big" or "little".
QString toString(WordOrder order);
/// The type of a lab-file name (exact, lower case); nullopt for anything else.
std::optional<DataType> dataTypeFromString(const QString &name);
std::optional<WordOrder> wordOrderFromString(const QString &name);

/// The raw value held by `registers`, which must be exactly registerCount(type) of them (else
/// CodecError). A float32 NaN or infinity is returned as it is.
double decode(const QList<quint16> &registers, DataType type, WordOrder order);

/// The registers for raw value `raw`. Integers are rounded to nearest (halves away from zero); a
/// value outside the type's range, or NaN or an infinity, throws CodecError naming the value and
/// the range. float32: rounded to the nearest float; NaN, infinities and values beyond the
/// float range throw too (an instrument would take them as a real setpoint).
QList<quint16> encode(double raw, DataType type, WordOrder order);

/// Engineering value = raw * scale + offset (and back). The map parser checks that scale is
/// finite and non-zero.
struct Scaling {
    double scale = 1.0;
    double offset = 0.0;

    double toEngineering(double raw) const { return raw * scale + offset; }
    double toRaw(double engineering) const { return (engineering - offset) / scale; }
};

} // namespace Benchtop::Modbus
