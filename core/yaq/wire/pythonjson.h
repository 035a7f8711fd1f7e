// SPDX-License-Identifier: MIT
#pragma once

// JSON as yaq's protocol documents are written: Python's json module writes numbers that are
// not finite as NaN, Infinity and -Infinity, which strict JSON (and QJsonDocument) does not
// have. Every yaq daemon's document may hold them; so do Benchtop's own (deviceprotocol.h).
// Pure functions; any thread.

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace Benchtop::Yaq {

/// Documents larger than this are refused (a real daemon's is some 15 kB).
inline constexpr qsizetype kMaxDocumentBytes = 4 * 1024 * 1024;

/// Parses a protocol document's JSON text as Python's json module writes it: NaN, Infinity and
/// -Infinity outside strings become those doubles. The text comes from the network: on error
/// (not JSON, not an object, larger than kMaxDocumentBytes) returns nullopt and sets `error` to
/// one line saying why, with the line and column for a syntax error. Nesting is bounded by Qt's
/// parser.
std::optional<QJsonObject> parseProtocolJson(const QByteArray &text, QString *error);

/// `document` as compact JSON text with object keys sorted, integers (up to 2^53) written as
/// integers and other numbers in their shortest round-trip form: the same document always gives
/// the same bytes, so its hash is stable across runs. Non-finite numbers as NaN / Infinity /
/// -Infinity, which parseProtocolJson() and yaq's clients read. Non-ASCII text as UTF-8.
QByteArray canonicalText(const QJsonObject &document);

} // namespace Benchtop::Yaq
