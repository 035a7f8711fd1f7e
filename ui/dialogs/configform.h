// SPDX-License-Identifier: MIT
#pragma once

#include "newdevicecheck.h"

#include <plugins/driverinfo.h>

#include <QList>
#include <QWidget>

class QFormLayout;
class QLabel;
class QToolButton;

namespace Benchtop::Ui {

/// The settings of one driver kind as a form generated from its config schema: one row per
/// key, in the schema's order, labelled with the key as a lab file writes it and its units in
/// brackets. Bool → QCheckBox; Int and Double → a QLineEdit holding the number as typed;
/// String → QComboBox when it has options, else QLineEdit; lists, maps and bindings → a
/// QLineEdit taking a TOML inline value. Each editor is named `field_<key>`, has the key's help
/// as its tooltip and starts at the default; required keys have a bold label ending in " *".
/// Combos ignore the mouse wheel.
///
/// - Units that say `units` (`units/s`) follow the kind's own `units` setting as it is typed
///   (`mm/s`).
/// - A number is never fitted to its limits: a value the schema refuses (`-5` where the minimum
///   is 0.001, `abc`) is marked at once, as markInvalid() marks it, and written as typed, for
///   the check to refuse.
/// - Keys of a `group` (the sim drivers' "Fault injection") are in a section of their own, shown
///   collapsed behind a button named `group_<group>`; marking one of its keys opens it.
/// - A key that matters only with one value of another (`"when": {"transport": "serial"}`) is
///   hidden, and left out of entries(), while the other holds something else.
///
/// The form only collects values: checking the device is checkNewDevice's job. GUI thread only.
class ConfigForm : public QWidget {
    Q_OBJECT
public:
    explicit ConfigForm(const DriverInfo &driver, QWidget *parent = nullptr);

    /// What to write into the device's table, in schema order, as TOML inline text: each shown
    /// key whose value differs from its default, and each required key that has a value. Text
    /// typed into a TOML field is passed on as typed (trimmed), for the check to read.
    QList<TomlEntry> entries() const;

    /// The editor of `key`, or nullptr when the schema has no such key.
    QWidget *editor(const QString &key) const;

    /// Marks `key`'s row as wrong: its label turns errorColor() and its editor's dynamic
    /// property "invalid" becomes true (for style sheets); a collapsed section holding it opens.
    /// Unknown keys are ignored.
    void markInvalid(const QString &key);
    void clearMarks();

    bool hasRequiredFields() const;

private:
    struct Row {
        ConfigField field;
        QLabel *label = nullptr;
        QWidget *editor = nullptr;
        QFormLayout *layout = nullptr; ///< the main list's, or its group's
        QToolButton *groupButton = nullptr; ///< the button that opens its group, if any
    };

    const Row *row(const QString &key) const;
    /// Whether the row's "when" holds (always, for a key without one).
    bool applies(const Row &row) const;
    void updateUnits();
    void updateShownRows();
    /// Marks a number whose text the schema refuses, or unmarks it.
    void checkNumber(const Row &row);
    void mark(const Row &row, bool invalid);

    QList<Row> m_rows;
};

} // namespace Benchtop::Ui
