// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QVariant>
#include <QVariantMap>

#include <optional>

namespace Benchtop {

// The one TOML writer: lab files (labText), state files (StateStore), the add-device form and
// yaq's get_config / get_state all write values through it, so that a value reads the same
// wherever Benchtop writes it. toml++ reads; it does not write, because its formatter prints
// doubles with 17 significant digits (0.1 as 0.10000000000000001).

/// Why a value has no TOML form: where in it (a key path such as `a.b[1]`, relative to what was
/// written; empty for the value itself) and what (one line, e.g. `values of type QByteArray are
/// not supported`).
struct TomlWriteError {
    QString path;
    QString reason;
};

/// Arrays and inline tables inside each other, at most: TOML readers limit it (toml++ to 256),
/// and what Benchtop writes must read back.
inline constexpr int kTomlMaxNesting = 128;

/// A value as TOML inline text, as it follows `key = `: `true`, `25`, `2.5`, `"COM3"`,
/// `[ "x", "y" ]`, `[ -50.0, 50.0 ]`, `[]`, `{ foot = "stage.home" }`, `{}`.
///
/// Takes bool, any integer type, double and float, QString, QStringList, QVariantList and
/// QVariantMap / QVariantHash of those, nested. Integers stay integers. A double is always a
/// TOML float (`10.0`, `1e+21`, `-0.0`, `inf`, `nan`) in the shortest form that reads back to
/// the same double; a float is written as the double it converts to. Strings are TOML basic
/// strings: `"` and `\` escaped, `\b \t \n \f \r`, every other control character (DEL too) as
/// `\u001f`, the rest as it is. Table keys as tomlKey writes them, in sorted order (a hash's
/// too), so that the text is the same every time.
///
/// Returns an empty string, and sets `error` when given, for a value TOML cannot hold (an
/// invalid QVariant, an unsigned integer above 2^63 - 1, a date or any other type, nesting
/// deeper than kTomlMaxNesting), also when that is nested inside a list or a table.
QString tomlValue(const QVariant &value, TomlWriteError *error = nullptr);

/// A key as TOML writes it: bare when it is only ASCII letters, digits, '-' and '_' (`speed`,
/// `stage-x`), otherwise a basic string (`"a.b"`, `"my stage"`, `""`).
QString tomlKey(const QString &key);

/// `key = value` (no line break), or an empty string when the value has no TOML form (see
/// tomlValue; the error's path then starts with `key`).
QString tomlLine(const QString &key, const QVariant &value, TomlWriteError *error = nullptr);

/// A whole TOML document holding `table`, as UTF-8: one `key = value` line for each key whose
/// value is not a table, then each table under its own `[a.b]` header (a table's own keys
/// before its sub-tables', as TOML requires), separated by an empty line. Tables inside arrays
/// are inline. Empty for an empty table. For a value without a TOML form returns nullopt and
/// sets `error` when given (its path is the full key path, `a.b[1]`).
std::optional<QByteArray> tomlDocument(const QVariantMap &table, TomlWriteError *error = nullptr);

} // namespace Benchtop
