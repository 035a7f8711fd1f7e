// SPDX-License-Identifier: MIT
#pragma once

#include "propertyinfo.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Benchtop {

/// One parameter of a message, positional in the order of MessageDefinition::request.
struct MessageParameter {
    QString name;
    QJsonValue type; ///< an Avro type: "double", ["null", "string"], {"type": "array", ...}
    /// What the parameter is when a caller gives nothing; undefined when it is required.
    QJsonValue defaultValue = QJsonValue(QJsonValue::Undefined);

    bool hasDefault() const { return !defaultValue.isUndefined(); }
};

/// Who answers a message: the device (through invoke(), dispatch.h), or whoever serves it —
/// the yaq server knows things the device does not (its own shutdown, the document).
enum class Answerer { Device, Server };

/// How the device's answer becomes the response the protocol specifies.
enum class ResponseEncoding {
    AsIs, ///< the answer as it is, encoded by the response type
    TomlText, ///< the answer is a map; yaq sends it as TOML text (yaqd-core: tomli_w.dumps)
};

/// What a message does to the device.
enum class Effect {
    /// Answers from the device's state at once, whatever its status.
    Reads,
    /// Needs a ready device (dispatch refuses it while the device is in fault, stopped or its
    /// link is down) and may start background work that keeps it busy and reports its failure
    /// in the value `error` (awaited calls throw it).
    Acts,
    /// Ends what the device is doing (stop, stop_looping): answered whatever its status, so
    /// that a device can always be stopped.
    Stops,
};

/// What callAndWait() answers once the device is idle again after the call.
enum class OnceIdle {
    Response, ///< the call's own response
    Position, ///< get_position (when the device has has-position; otherwise the response)
    Identifier, ///< get_identifier
    Measurement, ///< get_measured, which must carry the measurement id the call returned
};

/// One message a device answers: the one description from which calls are checked and
/// dispatched, protocol documents are written and awaited calls know what to answer.
struct MessageDefinition {
    QString name;
    /// The trait it belongs to ("origin" in a yaq protocol document); a driver's own
    /// messages name the driver kind.
    QString trait;
    QList<MessageParameter> request;
    QJsonValue response = QStringLiteral("null"); ///< an Avro type; "null" when none
    QString doc;
    Effect effect = Effect::Reads;
    OnceIdle onceIdle = OnceIdle::Response;
    Answerer answerer = Answerer::Device;
    ResponseEncoding encoding = ResponseEncoding::AsIs;

    /// The parameters' names, for messages: "line, on".
    QString signature() const;
    /// How many arguments a call must give at least (the parameters before the first default).
    qsizetype requiredArguments() const;
    /// The message as a yaq protocol document lists it: {"doc", "origin", "request",
    /// "response"}.
    QJsonObject toJson() const;
};

/// A parameter, for declaring messages: parameter("seconds", "double", 10.0).
MessageParameter parameter(const QString &name, const QJsonValue &type,
    const QJsonValue &defaultValue = QJsonValue(QJsonValue::Undefined));

/// The Avro type of a value of `type`: what a getter of such a value answers. valueTypeOfAvro()
/// is the other direction.
QJsonValue avroType(ValueType type);

/// The ValueType of values of Avro type `type` (named types resolved through `types`, a
/// protocol's list of them), and the options an enum gives; nullopt when Benchtop has no
/// ValueType for it (bytes, null, a record other than yaq's ndarray, a union of unlike types).
/// Any JSON is safe to give (a type that refers to itself gives nullopt); a type checked first
/// (avroschema.h) gives a meaningful answer.
struct ValueTypeOfAvro {
    ValueType type;
    QStringList options;
};
std::optional<ValueTypeOfAvro> valueTypeOfAvro(const QJsonValue &type, const QJsonArray &types);
/// Avro's array and map of `items` / `values`, and a union with null.
QJsonValue avroArray(const QJsonValue &items);
QJsonValue avroMap(const QJsonValue &values);
QJsonValue avroNullable(const QJsonValue &type);

} // namespace Benchtop
