// SPDX-License-Identifier: MIT
#include "messagedefinitions.h"

#include <device/traits.h>

#include <algorithm>

namespace Benchtop::Yaq {

namespace {

QJsonValue arrayOf(const QJsonValue &items)
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("array")}, {QStringLiteral("items"), items}};
}

QJsonValue mapOf(const QJsonValue &values)
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("map")}, {QStringLiteral("values"), values}};
}

QJsonValue nullable(const char *type)
{
    return QJsonArray{QStringLiteral("null"), QLatin1String(type)};
}

ParameterDefinition parameter(
    const char *name, const QJsonValue &type, QJsonValue fallback = {QJsonValue::Undefined})
{
    return {QLatin1String(name), type, fallback};
}

MessageDefinition message(const char *name, const char *trait, QList<ParameterDefinition> request,
    const QJsonValue &response, const char *doc)
{
    MessageDefinition schema;
    schema.name = QLatin1String(name);
    schema.trait = QLatin1String(trait);
    schema.request = std::move(request);
    schema.response = response;
    schema.doc = QString::fromUtf8(doc);
    return schema;
}

QList<MessageDefinition> makeSchemas()
{
    const QJsonValue null = QStringLiteral("null");
    const QJsonValue boolean = QStringLiteral("boolean");
    const QJsonValue integer = QStringLiteral("int");
    const QJsonValue number = QStringLiteral("double");
    const QJsonValue string = QStringLiteral("string");

    QList<MessageDefinition> list{
        // --- is-daemon (yaq) ---
        message("id", Trait::IsDaemon, {}, mapOf(nullable("string")),
            "Identifies the daemon: name, kind, make, model and serial (null when unknown)."),
        message("busy", Trait::IsDaemon, {}, boolean,
            "True while the daemon is busy (moving, homing, measuring)."),
        message("get_config", Trait::IsDaemon, {}, string,
            "The daemon's full configuration, defaults included, as TOML text."),
        message("get_state", Trait::IsDaemon, {}, string,
            "The state that survives a restart, as TOML text."),
        message("shutdown", Trait::IsDaemon, {parameter("restart", boolean, false)}, null,
            "Shuts the daemon down cleanly; with restart, starts it again."),
        message("get_traits", Trait::IsDaemon, {}, arrayOf(string), "The daemon's traits."),
        message("get_version", Trait::IsDaemon, {}, string,
            "The version of the program serving the daemon."),

        // --- has-position (yaq) ---
        message("get_position", Trait::HasPosition, {}, number, "The current position."),
        message("get_destination", Trait::HasPosition, {}, number,
            "The destination last set: where the daemon is going or has arrived."),
        message("get_units", Trait::HasPosition, {}, nullable("string"),
            "The units of position and destination."),
        message("set_position", Trait::HasPosition, {parameter("position", number)}, null,
            "Sets a new destination and starts moving towards it."),
        message("set_relative", Trait::HasPosition, {parameter("distance", number)}, number,
            "Sets the destination `distance` away from the current one, starts moving, and "
            "returns the new destination."),

        // --- has-limits (yaq) ---
        message("get_limits", Trait::HasLimits, {}, arrayOf(number),
            "[lower, upper]: the configured limits intersected with the hardware's."),
        message("in_limits", Trait::HasLimits, {parameter("position", number)}, boolean,
            "Whether `position` is within the limits."),

        // --- is-homeable (yaq) ---
        message("home", Trait::IsHomeable, {}, null,
            "Starts the homing procedure; the daemon is busy until it has ended, and then "
            "returns to its destination."),

        // --- has-turret (yaq; get_turret_identifiers is Benchtop's name for the list) ---
        message(
            "get_turret", Trait::HasTurret, {}, string, "The identifier of the current turret."),
        message("set_turret", Trait::HasTurret, {parameter("identifier", string)}, null,
            "Selects the turret named `identifier`; busy until it is in place."),
        message("get_turret_identifiers", Trait::HasTurret, {}, arrayOf(string),
            "The identifiers of the turrets."),

        // --- is-sensor (yaq) ---
        message("get_measured", Trait::IsSensor, {},
            mapOf(QJsonArray{number, QStringLiteral("ndarray"), integer}),
            "The latest measurement: channel name to value (a number, or an ndarray for a "
            "channel with a shape), plus the key measurement_id."),
        message("get_measurement_id", Trait::IsSensor, {}, integer,
            "The id of the latest measurement; it increases by one per measurement."),
        message("get_channel_names", Trait::IsSensor, {}, arrayOf(string),
            "The names of the channels."),
        message("get_channel_units", Trait::IsSensor, {}, mapOf(nullable("string")),
            "Channel name to units."),
        message("get_channel_shapes", Trait::IsSensor, {}, mapOf(arrayOf(integer)),
            "Channel name to shape; an empty shape is a scalar."),

        // --- has-measure-trigger (yaq) ---
        message("measure", Trait::HasMeasureTrigger, {parameter("loop", boolean, false)}, integer,
            "Starts a measurement (or, with loop, measurements until stop_looping) and returns "
            "the id the (first) measurement will have."),
        message("stop_looping", Trait::HasMeasureTrigger, {}, null,
            "Ends a measurement loop after the measurement in progress."),

        // --- is-discrete (yaq) ---
        message("get_position_identifiers", Trait::IsDiscrete, {}, mapOf(number),
            "Identifier to position, in the daemon's units."),
        message("get_identifier", Trait::IsDiscrete, {}, nullable("string"),
            "The identifier at the current position; null between them."),
        message("set_identifier", Trait::IsDiscrete, {parameter("identifier", string)}, number,
            "Starts a move to the position named `identifier` and returns that position."),

        // --- is-stoppable (Benchtop's own; yaq has no definition) ---
        message("stop", Trait::IsStoppable, {}, null,
            "Ends a move, a homing run or a measurement loop; the destination becomes where the "
            "daemon stopped."),

        // --- has-digital-io (Benchtop's own; yaq has no definition) ---
        message("get_input_names", Trait::HasDigitalIo, {}, arrayOf(string),
            "The names of the input lines."),
        message("get_output_names", Trait::HasDigitalIo, {}, arrayOf(string),
            "The names of the output lines."),
        message("get_input", Trait::HasDigitalIo, {parameter("line", string)}, boolean,
            "The (debounced) level of input `line`."),
        message("get_output", Trait::HasDigitalIo, {parameter("line", string)}, boolean,
            "The level of output `line`."),
        message("set_output", Trait::HasDigitalIo,
            {parameter("line", string), parameter("on", boolean)}, null,
            "Sets output `line` on or off."),
    };

    for (MessageDefinition &schema : list) {
        if (schema.name == QLatin1String("shutdown") || schema.name == QLatin1String("get_traits")
            || schema.name == QLatin1String("get_version"))
            schema.answerer = Answerer::Server;
        if (schema.name == QLatin1String("get_config") || schema.name == QLatin1String("get_state"))
            schema.encoding = ResponseEncoding::TomlText;
    }
    std::sort(list.begin(), list.end(),
        [](const MessageDefinition &a, const MessageDefinition &b) { return a.name < b.name; });
    return list;
}

} // namespace

QJsonObject MessageDefinition::toJson() const
{
    QJsonArray parameters;
    for (const ParameterDefinition &p : request) {
        QJsonObject object{{QStringLiteral("name"), p.name}, {QStringLiteral("type"), p.type}};
        if (p.hasDefault())
            object.insert(QStringLiteral("default"), p.defaultValue);
        parameters.append(object);
    }
    return {{QStringLiteral("doc"), doc}, {QStringLiteral("origin"), trait},
        {QStringLiteral("request"), parameters}, {QStringLiteral("response"), response}};
}

const QList<MessageDefinition> &messageDefinitions()
{
    static const QList<MessageDefinition> schemas = makeSchemas();
    return schemas;
}

const MessageDefinition *messageDefinition(const QString &name)
{
    const QList<MessageDefinition> &schemas = messageDefinitions();
    auto it = std::lower_bound(schemas.begin(), schemas.end(), name,
        [](const MessageDefinition &schema, const QString &key) { return schema.name < key; });
    return it != schemas.end() && it->name == name ? &*it : nullptr;
}

QStringList serverMessages()
{
    QStringList names;
    for (const MessageDefinition &schema : messageDefinitions()) {
        if (schema.answerer == Answerer::Server)
            names << schema.name;
    }
    return names;
}

QJsonObject ndarrayType()
{
    auto field = [](const char *name, const QJsonValue &type) {
        return QJsonObject{
            {QStringLiteral("name"), QLatin1String(name)}, {QStringLiteral("type"), type}};
    };
    return {{QStringLiteral("type"), QStringLiteral("record")},
        {QStringLiteral("name"), QStringLiteral("ndarray")},
        {QStringLiteral("logicalType"), QStringLiteral("ndarray")},
        {QStringLiteral("fields"),
            QJsonArray{field("shape", arrayOf(QStringLiteral("int"))),
                field("typestr", QStringLiteral("string")), field("data", QStringLiteral("bytes")),
                field("version", QStringLiteral("int"))}}};
}

QJsonArray namedTypes()
{
    return {ndarrayType()};
}

} // namespace Benchtop::Yaq
