// SPDX-License-Identifier: MIT
#pragma once

// Where a value sits in a JSON document and what it is, for the one-line errors of the readers
// of protocol documents ("messages.set_position.request[0]: \"type\" is missing"). Pure
// functions; any thread.

#include <QJsonValue>
#include <QString>

namespace Benchtop::Yaq {

/// The path of member `key` of the value at `where` ("messages" + "home" → "messages.home"); a
/// key that is not a plain name is quoted, so that the path stays readable. `where` empty is the
/// document itself.
QString memberPath(const QString &where, const QString &key);
/// The path of item `index` of the list at `where`: "traits[1]".
QString elementPath(const QString &where, qsizetype index);

/// What kind of value `value` is, for "must be X, not Y": "a string", "a number", "a list",
/// "an object", "true/false", "null".
QString describeJson(const QJsonValue &value);
/// `value` itself when it is short, for "X is not a valid name": a string quoted as every message
/// quotes one (device/diagnostics.h), a number, true, false or null; a list or an object by its
/// kind.
QString quotedJson(const QJsonValue &value);

/// Throws SchemaError "where: what" (just "what" for the document itself, `where` empty).
[[noreturn]] void failAt(const QString &where, const QString &what);

} // namespace Benchtop::Yaq
