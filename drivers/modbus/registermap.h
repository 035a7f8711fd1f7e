// SPDX-License-Identifier: MIT
#pragma once

#include "registercodec.h"

#include <QMap>
#include <QString>
#include <QVariantMap>

#include <optional>
#include <stdexcept>

namespace Benchtop::Modbus {

/// A register map in the lab file that cannot be used. what(): one line, where (e.g.
/// `channels.temperature`) and what, e.g. `channels.t: "address" must be an integer, not a
/// string`.
class MapError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The two register tables a value can live in; coils and discrete inputs are the digital lines.
enum class Table { Holding, Input };

/// "holding" or "input", as the lab file writes them.
QString toString(Table table);

/// One value mapped onto registers: a sensor channel or the setpoint.
struct RegisterSpec {
    QString name;
    Table table = Table::Holding;
    quint16 address = 0;
    DataType type = DataType::UInt16;
    WordOrder order = WordOrder::Big;
    Scaling scaling;
    QString units;
};

// The maps come from the driver's lab-file config, already converted from TOML to QVariant:
// tables are QVariantMap, arrays QVariantList, integers qlonglong, floats double, strings QString.
// Integral doubles are taken as integers (a config that came through JSON has only doubles).

/// `channels` is the lab table's `channels` value: channel name → inline table with keys table
/// ("holding" | "input", default "holding"), address (integer 0..65535, required; the value's
/// last register must also be ≤ 65535), type (default "uint16"), word_order ("big" | "little",
/// default "big"), scale (number, default 1, finite and non-zero), offset (number, default 0,
/// finite), units (string, default ""). Unknown keys are errors, with a "did you mean" when a
/// known key is close. `where` is the config key used in messages ("channels"). The specs come
/// sorted by name.
QList<RegisterSpec> parseChannels(const QVariantMap &channels, const QString &where);

/// The setpoint: the same inline-table format for one value (its name is `where`); an empty map
/// means "no setpoint" (nullopt). Its table must be "holding": input registers are read-only.
std::optional<RegisterSpec> parseSetpoint(const QVariantMap &setpoint, const QString &where);

/// Digital lines: line name → coil or discrete-input address, an integer 0..65535 (an integral
/// double is taken too, since the schema's type is a table of numbers).
QMap<QString, quint16> parseLines(const QVariantMap &lines, const QString &where);

} // namespace Benchtop::Modbus
