// SPDX-License-Identifier: MIT
#pragma once

// The yaq messages Benchtop answers, with their Avro request and response types: the one table
// from which protocol documents are written (deviceprotocol.h) and against which a server
// encodes responses.
//
// Where yaq defines a message (yaq-traits' .toml files and the .avpr documents of real daemons
// generated from them), the name, parameters, types and doc follow yaq. is-stoppable and
// has-digital-io are Benchtop's own traits: yaq has no definition for them, so their messages
// are defined here in yaq's style (a null response when nothing is returned, "boolean" for a
// line's level, ["null", "string"] where a value may be missing).
//
// Known differences from yaq:
// - has-turret: yaq's definition has changed over time (an int index in early versions; an
//   identifier string with get_turret_options in yaqd-core's current HasTurret). Benchtop's
//   trait names its list get_turret_identifiers (core/device/dispatch.cpp); the turret
//   property's options_getter names it, so a yaq client that reads properties finds it.
// - get_config / get_state: yaq answers TOML text ("string"); Device::config() and
//   Device::state() are maps, so a server must encode them as TOML (see ResponseEncoding).

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace Benchtop::Yaq {

/// One parameter of a yaq request, positional in the order of MessageDefinition::request.
struct ParameterDefinition {
    QString name;
    QJsonValue type; ///< an Avro type: "double", {"type": "array", "items": "string"}, ...
    /// What a client sends when the caller gives nothing; undefined when the parameter is
    /// required.
    QJsonValue defaultValue = QJsonValue(QJsonValue::Undefined);

    bool hasDefault() const { return !defaultValue.isUndefined(); }
};

/// Who answers a message: the device, through Benchtop::invoke() (dispatch.h), or the server
/// that serves it, which knows things the device does not (its own shutdown, the document).
enum class Answerer { Device, Server };

/// How a device's answer becomes the response yaq specifies.
enum class ResponseEncoding {
    AsIs, ///< invoke()'s QVariant encoded by the response type
    TomlText, ///< invoke() gives a map; yaq sends it as TOML text (yaqd-core: tomli_w.dumps)
};

struct MessageDefinition {
    QString name;
    QString trait; ///< the yaq trait it belongs to ("origin" in a protocol document)
    QList<ParameterDefinition> request;
    QJsonValue response = QStringLiteral("null"); ///< an Avro type; "null" when none
    QString doc;
    Answerer answerer = Answerer::Device;
    ResponseEncoding encoding = ResponseEncoding::AsIs;

    /// The message as a protocol document lists it: {"doc", "origin", "request", "response"}.
    QJsonObject toJson() const;
};

/// Every message Benchtop answers, sorted by name: each message of dispatch.cpp's table, plus
/// the is-daemon messages the server answers — shutdown(restart = false), get_traits and
/// get_version. Not offered: is-daemon's get_config_filepath (a device does not know the lab
/// file it came from, and the built-in lab has none), and get_state_filepath, which yaq does not
/// define.
const QList<MessageDefinition> &messageDefinitions();

/// The schema of message `name`, or nullptr.
const MessageDefinition *messageDefinition(const QString &name);

/// The messages answered by the server rather than the device (Answerer::Server).
QStringList serverMessages();

/// yaq's `ndarray` record (shape array<int>, typestr string, data bytes, version int; logical
/// type "ndarray"), as every yaq daemon lists it in `types`: what get_measured carries for a
/// channel with a shape.
QJsonObject ndarrayType();

/// The named types of Benchtop's documents: [ndarray].
QJsonArray namedTypes();

} // namespace Benchtop::Yaq
