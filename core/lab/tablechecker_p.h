// SPDX-License-Identifier: MIT
#pragma once

// The checking of one TOML table's values against a schema, shared by the lab check (each
// device's table, `[benchtop]`) and the plan check (core/run/planfile): errors located at the
// offending value, an unknown key with the closest known one, a value against its ConfigField.
// Private to benchtop_core.

#include <lab/laberror.h>
#include <plugins/configfield.h>

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace Benchtop {

/// (line, column) of each value of a table, keyed by path: "speed", "limits[1]", "a.b".
using TablePositions = QHash<QString, QPair<int, int>>;

/// An element's position, else its key's (a[1].b → a[1] → a), else `fallback` (the table's).
QPair<int, int> tablePositionOf(
    const TablePositions &positions, QString path, QPair<int, int> fallback);

/// `key "path"`: how a message names a value.
QString keyLabel(const QString &path);

/// Checks one table's values against its schema; collects the errors, in the order found.
class TableChecker {
public:
    /// `file` and `positions` must outlive the checker. `device` (may be empty) goes into each
    /// error's LabError::device.
    TableChecker(const QString &file, const QString &device, const TablePositions &positions,
        QPair<int, int> tablePosition);

    /// An error at `path` (or the nearest enclosing value that has a position), about `key`.
    void error(const QString &key, const QString &path, const QString &message,
        LabError::Severity severity = LabError::Severity::Error);
    /// An error at the table itself (a missing key).
    void errorAtTable(const QString &key, const QString &message);
    /// An unknown key, with the closest of `known`, else `otherwise` appended.
    void unknownKey(const QString &key, const QStringList &known, const QString &otherwise);
    /// The value of `key` against `field`: the converted value, or nullopt with its errors.
    std::optional<QVariant> value(const ConfigField &field, const QString &key, const QVariant &v);

    const QList<LabError> &errors() const { return m_errors; }
    /// Whether an error (not a warning) was found.
    bool failed() const;

private:
    const QString &m_file;
    QString m_device;
    const TablePositions &m_positions;
    QPair<int, int> m_tablePosition;
    QList<LabError> m_errors;
};

} // namespace Benchtop
