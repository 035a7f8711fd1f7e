// SPDX-License-Identifier: MIT
#pragma once

#include <plugins/driverinfo.h>

#include <QString>

#include <optional>

class QWidget;

namespace Benchtop::Ui {

/// The editor of one config key, starting at its default (a required number starts empty; a
/// required choice starts with none chosen). See ConfigForm for which widget each type gets.
/// Named `field_<key>`, with the key's help as tooltip.
QWidget *createFieldEditor(const ConfigField &field, QWidget *parent);

/// The TOML inline text of what `editor` (made by createFieldEditor for `field`) holds, or
/// nullopt when nothing needs writing: the value is the default, or a required key is empty.
/// A number is written as typed, never fitted to the field's limits or type: `-5` for a key
/// whose minimum is 0.001, `2.5` for an integer, and text that is no number as a TOML string,
/// so that the check says what is wrong with it.
std::optional<QString> fieldEditorToml(const ConfigField &field, const QWidget *editor);

/// What the number editor of `field` holds, for the check: a qlonglong (Int) or a double when
/// `text` is one, else the text itself (which the check refuses as "not a number").
QVariant numberEditorValue(const ConfigField &field, const QString &text);

/// A number as a number editor shows it: `10`, `0.001`, `1e-09`, never `10.000000`.
QString numberText(const QVariant &number);

} // namespace Benchtop::Ui
