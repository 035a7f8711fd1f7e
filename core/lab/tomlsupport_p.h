// SPDX-License-Identifier: MIT
#pragma once

// toml++ is a private dependency of benchtop_core: include this only from core's .cpp files.

#include <toml++/toml.h>

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <functional>
#include <optional>

namespace Benchtop::TomlSupport {

/// A TOML syntax error, located (1-based) in the text.
struct SyntaxError {
    int line = 0;
    int column = 0;
    QString message;
};

/// Parses TOML text without letting an exception out, whichever way toml++ was configured
/// (TOML_EXCEPTIONS): the table, or nullopt with `error` set.
std::optional<toml::table> parse(const QByteArray &text, SyntaxError *error);

/// Called for each node toVariant converts, with its path ("a", "a.b", "a[2]").
using NodeVisitor = std::function<void(const QString &path, const toml::node &node)>;

/// Converts a TOML value: integer → qlonglong, float → double, boolean → bool, string → QString,
/// array → QVariantList, table → QVariantMap. A date, time or date-time has no conversion: it
/// is passed to `unsupported` and makes the result (and that of every array or table holding
/// it) an invalid QVariant. `visit` (may be empty) sees every node, `unsupported` ones included.
QVariant toVariant(const toml::node &node, const QString &path, const NodeVisitor &visit,
    const NodeVisitor &unsupported);

/// "a date", "a time", "a date-time", ...: what a TOML node is, for messages.
QString describe(const toml::node &node);

/// A node's (1-based) line and column; (0, 0) when toml++ does not know it.
inline std::pair<int, int> positionOf(const toml::node &node)
{
    const toml::source_position begin = node.source().begin;
    return {static_cast<int>(begin.line), static_cast<int>(begin.column)};
}

} // namespace Benchtop::TomlSupport
