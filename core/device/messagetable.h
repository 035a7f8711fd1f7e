// SPDX-License-Identifier: MIT
#pragma once

// The trait messages: each yaq message of a trait Benchtop implements, with its definition
// (parameters, response, doc, effect, what an awaited call answers) and the call that answers
// it. Dispatch (dispatch.h), the yaq protocol documents (yaq/deviceprotocol.h) and awaited
// calls (callAndWait) all read this one table.
//
// Where yaq defines a message (yaq-traits' .toml files and the .avpr documents of real daemons
// generated from them), the name, parameters, types and doc follow yaq. is-stoppable and
// has-digital-io are Benchtop's own traits: yaq has no definition for them, so their messages
// are defined here in yaq's style (a null response when nothing is returned, "boolean" for a
// line's level, ["null", "string"] where a value may be missing).
//
// Known differences from yaq:
// - has-turret: yaq's definition has changed over time (an int index in early versions; an
//   identifier string with get_turret_options in yaqd-core's current HasTurret). Both names of
//   the list are answered: get_turret_options, which the turret property's options_getter
//   names, as current yaq clients call it, and get_turret_identifiers, Benchtop's first name
//   for it, which older Benchtop clients call.
// - get_config / get_state: yaq answers TOML text ("string"); Device::config() and
//   Device::state() are maps, so a server encodes them as TOML (ResponseEncoding::TomlText).

#include "messagedefinition.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace Benchtop {

class Device;

/// One entry: a message's definition and how a device answers it. `call` gets the arguments
/// already checked against the definition (converted, defaults filled in); it is null for the
/// messages whoever serves the device answers (Answerer::Server).
struct TraitMessage {
    MessageDefinition definition;
    const char *trait = nullptr; ///< definition.trait, as the Trait:: constant
    QVariant (*call)(Device &device, const QVariantList &args) = nullptr;
};

/// Every trait message, sorted by name: those of knownTraits(), plus is-daemon's shutdown
/// (restart = false), get_traits and get_version, which the server answers. Not offered:
/// is-daemon's get_config_filepath (a device does not know the lab file it came from, and the
/// built-in lab has none), and get_state_filepath, which yaq does not define.
const QList<TraitMessage> &traitMessages();

/// The entry of message `name`, or nullptr.
const TraitMessage *traitMessage(const QString &name);

/// The messages answered by whoever serves the device (Answerer::Server).
QStringList serverMessages();

} // namespace Benchtop
