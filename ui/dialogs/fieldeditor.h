// SPDX-License-Identifier: MIT
#pragma once

#include <plugins/driverinfo.h>

#include <QString>

#include <optional>

class QWidget;

namespace Benchtop::Ui {

/// The editor of one config key, starting at its default (a required number starts at 0, or
/// at its nearest limit; a required choice starts with none chosen). See ConfigForm for which
/// widget each type gets. Named `field_<key>`, with the key's help as tooltip.
QWidget *createFieldEditor(const ConfigField &field, QWidget *parent);

/// The TOML inline text of what `editor` (made by createFieldEditor for `field`) holds, or
/// nullopt when nothing needs writing: the value is the default, or a required key is empty.
std::optional<QString> fieldEditorToml(const ConfigField &field, const QWidget *editor);

} // namespace Benchtop::Ui
