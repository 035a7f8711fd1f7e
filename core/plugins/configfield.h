// SPDX-License-Identifier: MIT
#pragma once

#include <device/propertyinfo.h>

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace Benchtop {

/// Where a value does not fit a ConfigField, and why.
struct FieldProblem {
    /// Where inside the value: empty for the value itself, `[1]` for an element of an array,
    /// `.red` for an entry of a table (appended to the key, it names the spot: `limits[1]`).
    QString path;
    /// What is wrong, worded to follow the value's name: `must be at most 100 mm/s, not 200`,
    /// `must be a number, not a string`, `is [10, -10]: the lower end is above the upper`.
    QString what;

    bool operator==(const FieldProblem &) const = default;
};

/// What ConfigField::check found.
struct FieldCheck {
    /// The value converted to the field's type (see ConfigField::check); invalid when there are
    /// problems.
    QVariant value;
    /// Every problem, not just the first: each element of an array, each entry of a table.
    QList<FieldProblem> problems;

    bool ok() const { return problems.isEmpty(); }
};

/// One key of a driver kind's config schema, from the plugin's metadata: what a lab file may
/// (or must) set in that device's table.
struct ConfigField {
    /// Where a value to check comes from: numbers differ.
    enum class Source {
        Toml, ///< a lab file: an integer is an integer, and `2.0` is not one
        Json, ///< plugin metadata: every number is a double, so a whole one (up to 2^53) is an
              ///< integer too
    };

    QString name;
    ValueType type = ValueType::String;
    QVariant defaultValue; ///< invalid when the key is required
    std::optional<double> minimum; ///< for numbers (and each number of a list or map)
    std::optional<double> maximum;
    QStringList options; ///< allowed values of a string, when it is a choice
    /// For array<double>: a range, two numbers [lower, upper] with lower ≤ upper (or [], "no
    /// range", when that is the default).
    bool range = false;
    QString units;
    QString help;
    /// The form's section for this key, shown collapsed ("Fault injection"); empty for the main
    /// list. Says nothing about the value.
    QString group;
    /// Set when the key matters only while another key of the kind has one value (`"when":
    /// {"transport": "serial"}`: `whenKey` "transport", `whenValue` "serial"): the form hides
    /// the key otherwise and leaves it out of the table. Empty: it always matters.
    QString whenKey;
    QString whenValue;

    bool required() const { return !defaultValue.isValid(); }

    /// The one check of a value against this field, for lab values (the lab checker) and schema
    /// defaults (plugin metadata) alike: the type (Bool, Int, Double, String, arrays and tables of
    /// those; an integer is also a Double), `minimum` / `maximum` for every number (NaN fails
    /// both), `options` for every string, a range's shape, and a binding's `"device.message"`
    /// form (whether that device exists is the lab's to say). The value comes back as the type's
    /// QVariant: Int → qlonglong, Double → double, String → QString, StringList → QStringList,
    /// DoubleList → QVariantList of double, StringMap / Bindings → QVariantMap of QString,
    /// DoubleMap → QVariantMap of double, Map → QVariantMap as given. Pure; never throws.
    FieldCheck check(const QVariant &value, Source source = Source::Toml) const;

    /// What a value of this field's type is, for messages: `a number`, `an array of strings`.
    static QString expected(ValueType type);
};

} // namespace Benchtop
