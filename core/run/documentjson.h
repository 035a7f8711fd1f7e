// SPDX-License-Identifier: MIT
#pragma once

#include "run/documents.h"

#include <QByteArray>
#include <QJsonArray>
#include <QString>

#include <optional>

namespace Benchtop::Run {

/// A document as JSON, as Bluesky's JSON-lines files hold them: `[name, {fields}]` with name
/// "start", "descriptor", "event", "suspension" or "stop", and the struct's fields in
/// snake_case (docs/data-format.md lists them). Event data stay an array aligned with the
/// descriptor's data_keys. Byte strings (plan and lab text) are UTF-8 text.
QJsonArray documentToJson(const Document &document);
/// The document of documentToJson; nullopt (and `error` set) for anything else. Numbers come
/// back as double or qint64 as the JSON wrote them; arrays as QVariantList.
std::optional<Document> documentFromJson(const QJsonArray &json, QString *error = nullptr);

/// One line of a journal: documentToJson, compact, with a newline.
QByteArray documentToJsonLine(const Document &document);
/// Reads one journal line (with or without its newline).
std::optional<Document> documentFromJsonLine(const QByteArray &line, QString *error = nullptr);

} // namespace Benchtop::Run
