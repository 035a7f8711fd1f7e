// SPDX-License-Identifier: MIT
#pragma once

// The yaq protocol document (.avpr) of a Benchtop device: what a yaq client receives in the
// handshake and builds its methods and properties from.
//
// What yaq defines, and Benchtop writes as yaq does:
//   protocol (the device's kind), doc, traits, types ([ndarray]), messages (name → {doc, origin,
//   request: [{name, type, default?}], response}), config and state (key → {type, default?,
//   doc?, origin?}), properties (name → {type, getter, setter, units_getter, limits_getter,
//   options_getter, dynamic, control_kind, record_kind}; every key present, null when unset,
//   since yaqc reads them all).
//
// Benchtop's decisions where yaq leaves room:
// - messages: those the device answers (messageDefinitions(), dispatch.h: its traits', its
//   declared values' getters and its own declared messages), plus shutdown, get_traits and
//   get_version, which the server answers (messagetable.h).
// - properties: a yaq client calls getter() with no argument and takes the answer as the
//   value. A Benchtop property that needs an argument (a digital line: get_output(line)) or
//   whose value is part of its getter's answer (a sensor channel inside get_measured) cannot be
//   read that way, so it is left out of `properties`. The type of a property is its getter's
//   response type. units_getter is get_units and limits_getter get_limits for position and
//   destination (as yaq daemons do); options_getter is get_position_identifiers (a map, whose
//   keys are the options) for position_identifier and get_turret_options for turret.
//   record_kind is "data" for hinted properties, "metadata" for normal ones and "omitted" for
//   omitted ones.
// - The key "benchtop" (kExtensionKey, protocoldocument.h; yaq ignores keys it does not know)
//   carries what yaq has no place for: {"version": 1, "properties": [...]}, every PropertyInfo of
//   the device in its order with its resolved units, limits and options, its argument and state key
//   — see the .cpp. A Benchtop client (remoteprotocol.h) rebuilds the device's exact property list
//   from it; config fields from a driver's schema carry their min/max/units/options the same way,
//   under "benchtop".
// - config: every key of Device::config() with its value as the default; with the driver's
//   schema (DriverInfo), each field's type, help (as doc) and limits; a string with options
//   whose options are all Avro names is an enum, as yaq writes out_of_limits.
// - state: each persistent key; the traits' keys with yaq's types and defaults (position NaN,
//   hw_limits [-inf, inf], position_identifier null), others with the type of their current
//   value and no default (their current value would make the document change as they do).
// - Numbers that are not finite are written as Python's json module writes them (NaN,
//   Infinity, -Infinity), which yaq's own documents contain and yaq's clients read; strict JSON
//   parsers do not take them, pythonjson.h does; canonicalText() there writes the document.

#include <device/propertyinfo.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace Benchtop {
class Device;
struct DriverInfo;
} // namespace Benchtop

namespace Benchtop::Yaq {

/// The protocol document of `device`. `driver`, when given, is the metadata of the device's
/// kind: its description becomes `doc` and its config schema the types of `config`; without it
/// the types are taken from the config's values. Call on the device's thread.
QJsonObject deviceProtocol(const Device &device, const DriverInfo *driver = nullptr);

/// yaq's `ndarray` record (shape array<int>, typestr string, data bytes, version int; logical
/// type "ndarray"), as every yaq daemon lists it in `types`: what get_measured carries for a
/// channel with a shape.
QJsonObject ndarrayType();

/// The named types of Benchtop's documents: [ndarray].
QJsonArray namedTypes();

/// yaq's record_kind for a property of `kind` (see above).
QString recordKind(ControlKind kind);

} // namespace Benchtop::Yaq
