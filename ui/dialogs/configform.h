// SPDX-License-Identifier: MIT
#pragma once

#include "newdevicecheck.h"

#include <plugins/driverinfo.h>

#include <QList>
#include <QWidget>

class QLabel;

namespace Benchtop::Ui {

/// The settings of one driver kind as a form generated from its config schema: one row per
/// key, in the schema's order, labelled with the key as a lab file writes it. Bool → QCheckBox,
/// Int → QSpinBox, Double → QDoubleSpinBox (limits from the schema, units as suffix), String →
/// QComboBox when it has options, else QLineEdit; lists, maps and bindings → a QLineEdit
/// taking a TOML inline value. Each editor is named `field_<key>`, has the key's help as its
/// tooltip and starts at the default; required keys have a bold label ending in " *". Spin
/// boxes and combos ignore the mouse wheel. The form only collects values: checking them is
/// checkNewDevice's job. GUI thread only.
class ConfigForm : public QWidget {
    Q_OBJECT
public:
    explicit ConfigForm(const DriverInfo &driver, QWidget *parent = nullptr);

    /// What to write into the device's table, in schema order, as TOML inline text: each key
    /// whose value differs from its default, and each required key that has a value. Text
    /// typed into a TOML field is passed on as typed (trimmed), for the check to read.
    QList<TomlEntry> entries() const;

    /// The editor of `key`, or nullptr when the schema has no such key.
    QWidget *editor(const QString &key) const;

    /// Marks `key`'s row as wrong: its label turns errorColor() and its editor's dynamic
    /// property "invalid" becomes true (for style sheets). Unknown keys are ignored.
    void markInvalid(const QString &key);
    void clearMarks();

    bool hasRequiredFields() const;

private:
    struct Row {
        ConfigField field;
        QLabel *label = nullptr;
        QWidget *editor = nullptr;
    };

    QList<Row> m_rows;
};

} // namespace Benchtop::Ui
