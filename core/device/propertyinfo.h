// SPDX-License-Identifier: MIT
#pragma once

#include "limits.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace Benchtop {

/// The kinds of value a property, a config field or a message parameter carries.
enum class ValueType {
    Bool,
    Int,
    Double,
    String,
    StringList, ///< TOML array of strings
    DoubleList, ///< TOML array of numbers ([lower, upper] limits, a waveform)
    StringMap, ///< TOML table of strings (name → text)
    DoubleMap, ///< TOML table of numbers (name → position)
    Map, ///< anything keyed by name (a measurement)
    Bindings, ///< TOML table: input line → "device.message" to call when it is pressed
};

/// yaq's control_kind: hinted properties are on a device's simple panel, normal ones only on the
/// advanced panel, omitted ones nowhere.
enum class ControlKind { Hinted, Normal, Omitted };

QString toString(ValueType type);
std::optional<ValueType> valueTypeFromString(const QString &text);
QString toString(ControlKind kind);

/// One property of a device, as yaq publishes it in its protocol document, with the current
/// units, limits and options resolved so that a UI can draw a control without knowing the
/// driver. Setting it means calling `setter` with (`argument`, if any, then) the new value.
struct PropertyInfo {
    QString name; ///< shown to the user ("position", "red LED")
    ValueType type = ValueType::Double;
    QString getter; ///< yaq message that reads it ("get_position")
    QString setter; ///< yaq message that writes it; empty when read-only
    QVariant argument; ///< a first argument both take (a line name), or invalid
    QString stateKey; ///< where its value is in a snapshot's values ("position", "measured/x")
    QString units;
    std::optional<Limits> limits;
    QStringList options; ///< allowed values of a String property (identifiers)
    ControlKind controlKind = ControlKind::Normal;
    bool dynamic = true; ///< it may change without being set (a position while moving)
    QString doc; ///< what it is, in a sentence (the getter's doc in a protocol document)
};

/// Reads `stateKey` ("a" or "a/b") out of a snapshot's values.
QVariant valueAt(const QVariantMap &values, const QString &stateKey);

} // namespace Benchtop
