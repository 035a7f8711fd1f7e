// SPDX-License-Identifier: MIT
#include "dispatch.h"

#include "device.h"
#include "deviceerror.h"
#include "forwarding.h"
#include "traits.h"

#include <functional>
#include <map>

namespace Benchtop {

namespace {

struct Call {
    Device &device;
    const QString &message;
    const QVariantList &args;

    void expect(qsizetype count, const char *signature) const
    {
        if (args.size() != count) {
            throw DeviceError(QStringLiteral("%1: %2 takes %3 (%4), got %5")
                                  .arg(device.name(), message)
                                  .arg(count)
                                  .arg(QLatin1String(signature))
                                  .arg(args.size()));
        }
    }
    template<typename T>
    T arg(qsizetype index, const char *name) const
    {
        QVariant value = args.at(index);
        const QMetaType type = QMetaType::fromType<T>();
        const bool numeric = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;
        // Strings are not silently taken for numbers: "5" for a position is a caller's bug.
        const bool ok = (!numeric || value.typeId() != QMetaType::QString)
            && (std::is_same_v<T, QString> ? value.typeId() == QMetaType::QString : true)
            && value.convert(type);
        if (!ok) {
            throw DeviceError(
                QStringLiteral("%1: %2: argument %3 must be %4, not %5")
                    .arg(device.name(), message, QLatin1String(name), QLatin1String(type.name()),
                        QLatin1String(
                            args.at(index).typeName() ? args.at(index).typeName() : "null")));
        }
        return value.value<T>();
    }
};

template<typename Trait>
Trait &as(Device &device)
{
    return *qobject_cast<Trait *>(&device);
}

QVariant limitsValue(const Limits &limits)
{
    return QVariantList{limits.lower, limits.upper};
}

QVariant shapesValue(const QMap<QString, QList<int>> &shapes)
{
    QVariantMap result;
    for (auto it = shapes.cbegin(); it != shapes.cend(); ++it) {
        QVariantList shape;
        for (int n : *it)
            shape << n;
        result.insert(it.key(), shape);
    }
    return result;
}

QVariant identifiersValue(const QMap<QString, double> &identifiers)
{
    QVariantMap result;
    for (auto it = identifiers.cbegin(); it != identifiers.cend(); ++it)
        result.insert(it.key(), *it);
    return result;
}

struct Entry {
    const char *trait;
    std::function<QVariant(const Call &)> run;
};

const std::map<QString, Entry> &table()
{
    // One entry per yaq message; the lambdas convert arguments and responses.
    static const std::map<QString, Entry> entries{
        {QStringLiteral("id"),
            {Trait::IsDaemon,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return c.device.id();
                }}},
        {QStringLiteral("busy"),
            {Trait::IsDaemon,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return c.device.busy();
                }}},
        {QStringLiteral("get_config"),
            {Trait::IsDaemon,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return c.device.config();
                }}},
        {QStringLiteral("get_state"),
            {Trait::IsDaemon,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return c.device.state();
                }}},
        {QStringLiteral("get_position"),
            {Trait::HasPosition,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<HasPosition>(c.device).position();
                }}},
        {QStringLiteral("get_destination"),
            {Trait::HasPosition,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<HasPosition>(c.device).destination();
                }}},
        {QStringLiteral("get_units"),
            {Trait::HasPosition,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<HasPosition>(c.device).units();
                }}},
        {QStringLiteral("set_position"),
            {Trait::HasPosition,
                [](const Call &c) -> QVariant {
                    c.expect(1, "position");
                    c.device.ensureReady();
                    as<HasPosition>(c.device).setPosition(c.arg<double>(0, "position"));
                    return {};
                }}},
        {QStringLiteral("set_relative"),
            {Trait::HasPosition,
                [](const Call &c) -> QVariant {
                    c.expect(1, "distance");
                    c.device.ensureReady();
                    return as<HasPosition>(c.device).setRelative(c.arg<double>(0, "distance"));
                }}},
        {QStringLiteral("get_limits"),
            {Trait::HasLimits,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return limitsValue(as<HasLimits>(c.device).limits());
                }}},
        {QStringLiteral("in_limits"),
            {Trait::HasLimits,
                [](const Call &c) -> QVariant {
                    c.expect(1, "position");
                    return as<HasLimits>(c.device).inLimits(c.arg<double>(0, "position"));
                }}},
        {QStringLiteral("home"),
            {Trait::IsHomeable,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    c.device.ensureReady();
                    as<IsHomeable>(c.device).home();
                    return {};
                }}},
        {QStringLiteral("get_turret"),
            {Trait::HasTurret,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<HasTurret>(c.device).turret();
                }}},
        {QStringLiteral("set_turret"),
            {Trait::HasTurret,
                [](const Call &c) -> QVariant {
                    c.expect(1, "identifier");
                    c.device.ensureReady();
                    as<HasTurret>(c.device).setTurret(c.arg<QString>(0, "identifier"));
                    return {};
                }}},
        {QStringLiteral("get_turret_identifiers"),
            {Trait::HasTurret,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<HasTurret>(c.device).turretIdentifiers();
                }}},
        {QStringLiteral("get_measured"),
            {Trait::IsSensor,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<IsSensor>(c.device).measured();
                }}},
        {QStringLiteral("get_measurement_id"),
            {Trait::IsSensor,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<IsSensor>(c.device).measurementId();
                }}},
        {QStringLiteral("get_channel_names"),
            {Trait::IsSensor,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<IsSensor>(c.device).channelNames();
                }}},
        {QStringLiteral("get_channel_units"),
            {Trait::IsSensor,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<IsSensor>(c.device).channelUnits();
                }}},
        {QStringLiteral("get_channel_shapes"),
            {Trait::IsSensor,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return shapesValue(as<IsSensor>(c.device).channelShapes());
                }}},
        {QStringLiteral("measure"),
            {Trait::HasMeasureTrigger,
                [](const Call &c) -> QVariant {
                    if (c.args.size() > 1)
                        c.expect(1, "loop");
                    c.device.ensureReady();
                    const bool loop = c.args.isEmpty() ? false : c.arg<bool>(0, "loop");
                    return as<HasMeasureTrigger>(c.device).measure(loop);
                }}},
        {QStringLiteral("stop_looping"),
            {Trait::HasMeasureTrigger,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    as<HasMeasureTrigger>(c.device).stopLooping();
                    return {};
                }}},
        {QStringLiteral("get_position_identifiers"),
            {Trait::IsDiscrete,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return identifiersValue(as<IsDiscrete>(c.device).positionIdentifiers());
                }}},
        {QStringLiteral("get_identifier"),
            {Trait::IsDiscrete,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    const QString identifier = as<IsDiscrete>(c.device).identifier();
                    return identifier.isEmpty() ? QVariant() : QVariant(identifier);
                }}},
        {QStringLiteral("set_identifier"),
            {Trait::IsDiscrete,
                [](const Call &c) -> QVariant {
                    c.expect(1, "identifier");
                    c.device.ensureReady();
                    return as<IsDiscrete>(c.device).setIdentifier(c.arg<QString>(0, "identifier"));
                }}},
        {QStringLiteral("stop"),
            {Trait::IsStoppable,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    as<IsStoppable>(c.device).stop();
                    return {};
                }}},
        {QStringLiteral("get_input_names"),
            {Trait::HasDigitalIo,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<HasDigitalIo>(c.device).inputNames();
                }}},
        {QStringLiteral("get_output_names"),
            {Trait::HasDigitalIo,
                [](const Call &c) -> QVariant {
                    c.expect(0, "");
                    return as<HasDigitalIo>(c.device).outputNames();
                }}},
        {QStringLiteral("get_input"),
            {Trait::HasDigitalIo,
                [](const Call &c) -> QVariant {
                    c.expect(1, "line");
                    return as<HasDigitalIo>(c.device).input(c.arg<QString>(0, "line"));
                }}},
        {QStringLiteral("get_output"),
            {Trait::HasDigitalIo,
                [](const Call &c) -> QVariant {
                    c.expect(1, "line");
                    return as<HasDigitalIo>(c.device).output(c.arg<QString>(0, "line"));
                }}},
        {QStringLiteral("set_output"),
            {Trait::HasDigitalIo,
                [](const Call &c) -> QVariant {
                    c.expect(2, "line, on");
                    c.device.ensureReady();
                    as<HasDigitalIo>(c.device).setOutput(
                        c.arg<QString>(0, "line"), c.arg<bool>(1, "on"));
                    return {};
                }}},
    };
    return entries;
}

} // namespace

QVariant invoke(Device &device, const QString &message, const QVariantList &args)
{
    if (forwardingOf(&device)) {
        throw DeviceError(QStringLiteral("%1: %2 is answered by a remote peer: call it through the "
                                         "device host or a handle, which await it")
                              .arg(device.name(), message));
    }
    const auto &entries = table();
    auto it = entries.find(message);
    if (it != entries.end() && device.hasTrait(it->second.trait))
        return it->second.run(Call{device, message, args});
    if (std::optional<QVariant> result = device.invokeOwn(message, args))
        return *result;
    throw UnknownMessage(
        QStringLiteral("%1 (%2) has no message %3").arg(device.name(), device.kind(), message));
}

QStringList messagesOf(const Device &device)
{
    if (const ForwardsMessages *remote = forwardingOf(&device)) {
        QStringList messages = remote->forwardedMessages();
        messages.sort();
        return messages;
    }
    const QStringList traits = device.traits();
    QStringList result;
    for (const auto &[name, entry] : table()) {
        if (traits.contains(QLatin1String(entry.trait)))
            result << name;
    }
    return result;
}

} // namespace Benchtop
