// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QVariant>

namespace Benchtop::Ui {

/// The TOML inline text of a value, as a lab file writes it after `key = `: `true`, `25`,
/// `2.5`, `"COM3"`, `["x", "y"]`, `[-50.0, 50.0]`, `{ foot = "stage.home" }`.
///
/// Takes what lab values and schema defaults are: bool, any integer, double (or float),
/// QString, QStringList, QVariantList and QVariantMap / QVariantHash of those, nested. A double
/// is always written as a TOML float (`10.0`, `1e+21`, `inf`, `nan`) in the shortest form that
/// reads back to the same value. Strings are TOML basic strings, escaped where TOML requires.
/// Table keys are bare when they can be (see tomlKey).
///
/// Returns an empty string for a value TOML cannot hold here (an invalid QVariant, a date, any
/// other type), also when it is nested inside a list or a table.
QString tomlValue(const QVariant &value);

/// A key as TOML writes it: bare when it is only letters, digits, '-' and '_' (`speed`,
/// `stage-x`), otherwise a quoted basic string (`"a.b"`, `"my stage"`, `""`).
QString tomlKey(const QString &key);

} // namespace Benchtop::Ui
