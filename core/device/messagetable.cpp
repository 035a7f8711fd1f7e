// SPDX-License-Identifier: MIT
#include "messagetable.h"

#include "device.h"
#include "deviceerror.h"
#include "diagnostics.h"
#include "traits.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace Benchtop {

namespace {

template<typename Trait>
Trait &as(Device &device)
{
    return *qobject_cast<Trait *>(&device);
}

QVariant limitsValue(const Limits &limits)
{
    return QVariantList{limits.lower, limits.upper};
}

template<typename List>
QVariantList listValue(const List &list)
{
    QVariantList result;
    result.reserve(list.size());
    for (const auto &item : list)
        result << item;
    return result;
}

template<typename Map>
QVariantMap mapValue(const Map &map)
{
    QVariantMap result;
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        if constexpr (std::is_same_v<typename Map::mapped_type, double>)
            result.insert(it.key(), *it);
        else
            result.insert(it.key(), listValue(*it));
    }
    return result;
}

using Call = QVariant (*)(Device &, const QVariantList &);

struct Builder {
    QList<TraitMessage> list;

    MessageDefinition &add(const char *name, const char *trait, QList<MessageParameter> request,
        const QJsonValue &response, const char *doc, Call call)
    {
        MessageDefinition definition;
        definition.name = QLatin1String(name);
        definition.trait = QLatin1String(trait);
        definition.request = std::move(request);
        definition.response = response;
        definition.doc = QString::fromUtf8(doc);
        definition.answerer = call ? Answerer::Device : Answerer::Server;
        list << TraitMessage{std::move(definition), trait, call};
        return list.last().definition;
    }
};

QList<TraitMessage> makeTable()
{
    const QJsonValue null = QStringLiteral("null");
    const QJsonValue boolean = QStringLiteral("boolean");
    const QJsonValue integer = QStringLiteral("int");
    const QJsonValue number = QStringLiteral("double");
    const QJsonValue string = QStringLiteral("string");
    const QJsonValue nullableString = avroNullable(string);
    auto p = [](const char *name, const QJsonValue &type,
                 const QJsonValue &fallback = QJsonValue(QJsonValue::Undefined)) {
        return parameter(QLatin1String(name), type, fallback);
    };

    Builder b;
    // --- is-daemon (yaq) ---
    b.add("id", Trait::IsDaemon, {}, avroMap(nullableString),
        "Identifies the daemon: name, kind, make, model and serial (null when unknown).",
        [](Device &d, const QVariantList &) -> QVariant { return d.id(); });
    b.add("busy", Trait::IsDaemon, {}, boolean,
        "True while the daemon is busy (moving, homing, measuring).",
        [](Device &d, const QVariantList &) -> QVariant { return d.busy(); });
    b.add("get_config", Trait::IsDaemon, {}, string,
         "The daemon's full configuration, defaults included, as TOML text.",
         [](Device &d, const QVariantList &) -> QVariant { return d.config(); })
        .encoding
        = ResponseEncoding::TomlText;
    b.add("get_state", Trait::IsDaemon, {}, string,
         "The state that survives a restart, as TOML text.",
         [](Device &d, const QVariantList &) -> QVariant { return d.state(); })
        .encoding
        = ResponseEncoding::TomlText;
    b.add("shutdown", Trait::IsDaemon, {p("restart", boolean, false)}, null,
        "Shuts the daemon down cleanly; with restart, starts it again.", nullptr);
    b.add("get_traits", Trait::IsDaemon, {}, avroArray(string), "The daemon's traits.", nullptr);
    b.add("get_version", Trait::IsDaemon, {}, string,
        "The version of the program serving the daemon.", nullptr);

    // --- has-position (yaq) ---
    b.add("get_position", Trait::HasPosition, {}, number, "The current position.",
        [](Device &d, const QVariantList &) -> QVariant { return as<HasPosition>(d).position(); });
    b.add("get_destination", Trait::HasPosition, {}, number,
        "The destination last set: where the daemon is going or has arrived.",
        [](Device &d, const QVariantList &) -> QVariant {
            return as<HasPosition>(d).destination();
        });
    b.add("get_units", Trait::HasPosition, {}, nullableString,
        "The units of position and destination.",
        [](Device &d, const QVariantList &) -> QVariant { return as<HasPosition>(d).units(); });
    {
        MessageDefinition &m = b.add("set_position", Trait::HasPosition, {p("position", number)},
            null, "Sets a new destination and starts moving towards it.",
            [](Device &d, const QVariantList &a) -> QVariant {
                as<HasPosition>(d).setPosition(a[0].toDouble());
                return {};
            });
        m.effect = Effect::Acts;
        m.onceIdle = OnceIdle::Position;
    }
    {
        MessageDefinition &m
            = b.add("set_relative", Trait::HasPosition, {p("distance", number)}, number,
                "Sets the destination `distance` away from the current one, starts moving, and "
                "returns the new destination.",
                [](Device &d, const QVariantList &a) -> QVariant {
                    return as<HasPosition>(d).setRelative(a[0].toDouble());
                });
        m.effect = Effect::Acts;
        m.onceIdle = OnceIdle::Position;
    }

    // --- has-limits (yaq) ---
    b.add("get_limits", Trait::HasLimits, {}, avroArray(number),
        "[lower, upper]: the configured limits intersected with the hardware's.",
        [](Device &d, const QVariantList &) -> QVariant {
            return limitsValue(as<HasLimits>(d).limits());
        });
    b.add("in_limits", Trait::HasLimits, {p("position", number)}, boolean,
        "Whether `position` is within the limits.",
        [](Device &d, const QVariantList &a) -> QVariant {
            return as<HasLimits>(d).inLimits(a[0].toDouble());
        });

    // --- is-homeable (yaq) ---
    {
        MessageDefinition &m = b.add("home", Trait::IsHomeable, {}, null,
            "Starts the homing procedure; the daemon is busy until it has ended, and then "
            "returns to its destination.",
            [](Device &d, const QVariantList &) -> QVariant {
                as<IsHomeable>(d).home();
                return {};
            });
        m.effect = Effect::Acts;
        m.onceIdle = OnceIdle::Position;
    }

    // --- has-turret (yaq; get_turret_options is current yaq's name for the list,
    // get_turret_identifiers Benchtop's older one: both answered) ---
    b.add("get_turret", Trait::HasTurret, {}, string, "The identifier of the current turret.",
        [](Device &d, const QVariantList &) -> QVariant { return as<HasTurret>(d).turret(); });
    b.add("set_turret", Trait::HasTurret, {p("identifier", string)}, null,
         "Selects the turret named `identifier`; busy until it is in place.",
         [](Device &d, const QVariantList &a) -> QVariant {
             as<HasTurret>(d).setTurret(a[0].toString());
             return {};
         })
        .effect
        = Effect::Acts;
    b.add("get_turret_identifiers", Trait::HasTurret, {}, avroArray(string),
        "The identifiers of the turrets (as get_turret_options).",
        [](Device &d, const QVariantList &) -> QVariant {
            return as<HasTurret>(d).turretIdentifiers();
        });
    b.add("get_turret_options", Trait::HasTurret, {}, avroArray(string),
        "The identifiers of the turrets, the values set_turret takes.",
        [](Device &d, const QVariantList &) -> QVariant {
            return as<HasTurret>(d).turretIdentifiers();
        });

    // --- is-sensor (yaq) ---
    b.add("get_measured", Trait::IsSensor, {},
        avroMap(QJsonArray{number, QStringLiteral("ndarray"), integer}),
        "The latest measurement: channel name to value (a number, or an ndarray for a "
        "channel with a shape), plus the key measurement_id.",
        [](Device &d, const QVariantList &) -> QVariant { return as<IsSensor>(d).measured(); });
    b.add("get_measurement_id", Trait::IsSensor, {}, integer,
        "The id of the latest measurement; it increases by one per measurement.",
        [](Device &d, const QVariantList &) -> QVariant {
            return as<IsSensor>(d).measurementId();
        });
    b.add("get_channel_names", Trait::IsSensor, {}, avroArray(string), "The names of the channels.",
        [](Device &d, const QVariantList &) -> QVariant { return as<IsSensor>(d).channelNames(); });
    b.add("get_channel_units", Trait::IsSensor, {}, avroMap(nullableString),
        "Channel name to units.",
        [](Device &d, const QVariantList &) -> QVariant { return as<IsSensor>(d).channelUnits(); });
    b.add("get_channel_shapes", Trait::IsSensor, {}, avroMap(avroArray(integer)),
        "Channel name to shape; an empty shape is a scalar.",
        [](Device &d, const QVariantList &) -> QVariant {
            return mapValue(as<IsSensor>(d).channelShapes());
        });

    // --- has-measure-trigger (yaq) ---
    {
        MessageDefinition &m
            = b.add("measure", Trait::HasMeasureTrigger, {p("loop", boolean, false)}, integer,
                "Starts a measurement (or, with loop, measurements until stop_looping) and returns "
                "the id the (first) measurement will have.",
                [](Device &d, const QVariantList &a) -> QVariant {
                    return as<HasMeasureTrigger>(d).measure(a[0].toBool());
                });
        m.effect = Effect::Acts;
        m.onceIdle = OnceIdle::Measurement;
    }
    b.add("get_loop_interval", Trait::HasMeasureTrigger, {}, number,
        "The shortest time from the start of one measurement of a loop to the start of the next, "
        "in seconds; 0: each starts as soon as the one before has ended (a Benchtop extension).",
        [](Device &d, const QVariantList &) -> QVariant {
            return double(as<HasMeasureTrigger>(d).loopInterval().count()) / 1000.0;
        });
    b.add("set_loop_interval", Trait::HasMeasureTrigger, {p("interval", number)}, null,
         "Sets the loop interval, in seconds (to the millisecond); a loop running takes it for its "
         "next measurement (a Benchtop extension).",
         [](Device &d, const QVariantList &a) -> QVariant {
             const double seconds = a[0].toDouble();
             if (!std::isfinite(seconds) || seconds < 0 || seconds > 86'400) {
                 throw DeviceError(
                     QStringLiteral("%1: the loop interval must be 0 to 86400 s, not %2")
                         .arg(d.name(), formatNumber(seconds)));
             }
             as<HasMeasureTrigger>(d).setLoopInterval(
                 std::chrono::milliseconds(qRound64(seconds * 1000.0)));
             return {};
         })
        .effect
        = Effect::Acts;
    b.add("stop_looping", Trait::HasMeasureTrigger, {}, null,
         "Ends a measurement loop after the measurement in progress.",
         [](Device &d, const QVariantList &) -> QVariant {
             as<HasMeasureTrigger>(d).stopLooping();
             return {};
         })
        .effect
        = Effect::Stops;

    // --- has-mapping (yaq) ---
    b.add("get_channel_mappings", Trait::HasMapping, {}, avroMap(avroArray(string)),
        "Channel name to the names of the mappings of its axes.",
        [](Device &d, const QVariantList &) -> QVariant {
            return mapValue(as<HasMapping>(d).channelMappings());
        });
    b.add("get_mapping_id", Trait::HasMapping, {}, integer,
        "The id of the current mappings; it increases by one whenever they change.",
        [](Device &d, const QVariantList &) -> QVariant { return as<HasMapping>(d).mappingId(); });
    b.add("get_mapping_units", Trait::HasMapping, {}, avroMap(nullableString),
        "Mapping name to units.", [](Device &d, const QVariantList &) -> QVariant {
            return as<HasMapping>(d).mappingUnits();
        });
    b.add("get_mappings", Trait::HasMapping, {},
        avroMap(QJsonArray{null, QStringLiteral("ndarray"), number}),
        "Mapping name to its values (an ndarray).",
        [](Device &d, const QVariantList &) -> QVariant {
            return mapValue(as<HasMapping>(d).mappings());
        });

    // --- is-discrete (yaq) ---
    b.add("get_position_identifiers", Trait::IsDiscrete, {}, avroMap(number),
        "Identifier to position, in the daemon's units.",
        [](Device &d, const QVariantList &) -> QVariant {
            return mapValue(as<IsDiscrete>(d).positionIdentifiers());
        });
    b.add("get_identifier", Trait::IsDiscrete, {}, nullableString,
        "The identifier at the current position; null between them.",
        [](Device &d, const QVariantList &) -> QVariant {
            const QString identifier = as<IsDiscrete>(d).identifier();
            return identifier.isEmpty() ? QVariant() : QVariant(identifier);
        });
    {
        MessageDefinition &m = b.add("set_identifier", Trait::IsDiscrete, {p("identifier", string)},
            number, "Starts a move to the position named `identifier` and returns that position.",
            [](Device &d, const QVariantList &a) -> QVariant {
                return as<IsDiscrete>(d).setIdentifier(a[0].toString());
            });
        m.effect = Effect::Acts;
        m.onceIdle = OnceIdle::Identifier;
    }

    // --- is-stoppable (Benchtop's own; yaq has no definition) ---
    b.add("stop", Trait::IsStoppable, {}, null,
         "Ends a move, a homing run or a measurement loop; the destination becomes where the "
         "daemon stopped.",
         [](Device &d, const QVariantList &) -> QVariant {
             as<IsStoppable>(d).stop();
             return {};
         })
        .effect
        = Effect::Stops;

    // --- has-digital-io (Benchtop's own; yaq has no definition) ---
    b.add("get_input_names", Trait::HasDigitalIo, {}, avroArray(string),
        "The names of the input lines.", [](Device &d, const QVariantList &) -> QVariant {
            return as<HasDigitalIo>(d).inputNames();
        });
    b.add("get_output_names", Trait::HasDigitalIo, {}, avroArray(string),
        "The names of the output lines.", [](Device &d, const QVariantList &) -> QVariant {
            return as<HasDigitalIo>(d).outputNames();
        });
    b.add("get_input", Trait::HasDigitalIo, {p("line", string)}, boolean,
        "The (debounced) level of input `line`.", [](Device &d, const QVariantList &a) -> QVariant {
            return as<HasDigitalIo>(d).input(a[0].toString());
        });
    b.add("get_output", Trait::HasDigitalIo, {p("line", string)}, boolean,
        "The level of output `line`.", [](Device &d, const QVariantList &a) -> QVariant {
            return as<HasDigitalIo>(d).output(a[0].toString());
        });
    b.add("set_output", Trait::HasDigitalIo, {p("line", string), p("on", boolean)}, null,
         "Sets output `line` on or off.",
         [](Device &d, const QVariantList &a) -> QVariant {
             as<HasDigitalIo>(d).setOutput(a[0].toString(), a[1].toBool());
             return {};
         })
        .effect
        = Effect::Acts;

    std::sort(b.list.begin(), b.list.end(), [](const TraitMessage &a, const TraitMessage &c) {
        return a.definition.name < c.definition.name;
    });
    return b.list;
}

} // namespace

const QList<TraitMessage> &traitMessages()
{
    static const QList<TraitMessage> table = makeTable();
    return table;
}

const TraitMessage *traitMessage(const QString &name)
{
    const QList<TraitMessage> &table = traitMessages();
    auto it = std::lower_bound(table.begin(), table.end(), name,
        [](const TraitMessage &entry, const QString &key) { return entry.definition.name < key; });
    return it != table.end() && it->definition.name == name ? &*it : nullptr;
}

QStringList serverMessages()
{
    QStringList names;
    for (const TraitMessage &entry : traitMessages()) {
        if (entry.definition.answerer == Answerer::Server)
            names << entry.definition.name;
    }
    return names;
}

} // namespace Benchtop
