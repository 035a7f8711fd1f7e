// SPDX-License-Identifier: MIT
#pragma once

#include <device/devicesettings.h>
#include <lab/labfile.h>

#include <QByteArray>
#include <QList>

#include <optional>

namespace Benchtop {

/// Saving a lab back: the lab text `original`, which reads as the tables `before` (in file order,
/// as the lab loader gives them), edited so that it holds the tables `after` instead, changing as
/// little of the text as it can (docs/decisions.md, "Saving a lab keeps its file's text"):
/// - a table in both that says the same (sameLabTable) keeps its text to the byte, comments and
///   blank lines included, and so does everything that is not a device (comments at the top,
///   `[benchtop]`);
/// - a table no longer in `after` goes, with the comment lines just above it and what follows
///   it up to the next table's comment;
/// - a table that changed keeps its lines, except for each changed key: its value is replaced
///   where it stands (the key, its spacing and its end-of-line comment stay), a key no longer in
///   the table loses its line, and a new key that is not the schema's default is added after the
///   table's last key, as labText writes it (`port` after `driver`). An inline table
///   (`name = { ... }`) that changed is written again, inline, on its line;
/// - a table of `after` that `original` does not have is appended, as labText writes it, after
///   an empty line. One that `after` lists before a table `original` has after it (removed and
///   added again) counts as new.
///
/// Returns nullopt when `original` cannot be edited this way: it does not parse, `before` does
/// not name its tables, its tables' lines overlap (`[a.sub]` written after `[b]`), or a changed
/// key is written as a `[name.key]` sub-table or with dotted keys. The caller then writes the lab
/// whole with labText. What is returned is not checked again: a caller that must be sure reads
/// it back.
std::optional<QByteArray> editedLabText(const QByteArray &original,
    const QList<DeviceSettings> &before, const QList<DeviceSettings> &after,
    const DriverLookup &driverFor = {});

} // namespace Benchtop
