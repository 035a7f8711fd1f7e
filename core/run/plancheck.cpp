// SPDX-License-Identifier: MIT
#include "plancheck.h"

#include <device/device.h>
#include <device/diagnostics.h>
#include <device/traits.h>
#include <host/devicehost.h>
#include <lab/tablechecker_p.h>

#include <algorithm>
#include <cmath>

namespace Benchtop::Run {

namespace {

/// How an axis's values reach its device.
enum class AxisUse { Positions, Identifiers, TurretIdentifiers, Slots, Unusable };

QString limitsText(const Limits &limits)
{
    return QStringLiteral("[%1, %2]").arg(formatNumber(limits.lower), formatNumber(limits.upper));
}

bool isString(const QVariant &value)
{
    return value.typeId() == QMetaType::QString;
}

class PlanChecker {
public:
    PlanChecker(const Plan &plan, const QList<PlanDevice> &devices)
        : m_plan(plan)
        , m_devices(devices)
        , m_table(m_plan.path, {}, m_plan.keyPositions, {1, 1})
    {
        for (const PlanDevice &device : devices)
            m_names << device.name;
    }

    /// The device named at `path`, or nullptr with an error.
    const PlanDevice *device(
        const QString &key, const QString &path, const QString &label, const QString &name)
    {
        const auto it = std::find_if(m_devices.cbegin(), m_devices.cend(),
            [&](const PlanDevice &d) { return d.name == name; });
        if (it == m_devices.cend()) {
            m_table.error(key, path,
                QStringLiteral("%1: there is no device %2 in the lab%3")
                    .arg(label, quoted(name), didYouMean(name, m_names)));
            return nullptr;
        }
        if (!it->fault.isEmpty()) {
            m_table.error(key, path,
                QStringLiteral("%1: device %2 cannot be used: %3")
                    .arg(label, quoted(name), it->fault));
            return nullptr;
        }
        return &*it;
    }

    void detectors()
    {
        for (qsizetype i = 0; i < m_plan.detectors.size(); ++i) {
            const QString path = QStringLiteral("detectors[%1]").arg(i);
            const PlanDevice *d
                = device(QStringLiteral("detectors"), path, keyLabel(path), m_plan.detectors[i]);
            if (d && !d->has(Trait::IsSensor)) {
                m_table.error(QStringLiteral("detectors"), path,
                    QStringLiteral("%1: device %2 (%3) is not a sensor (it has no is-sensor); "
                                   "record one of its values with \"record\" instead")
                        .arg(keyLabel(path), quoted(d->name), quoted(d->kind)));
            }
        }
    }

    void records()
    {
        for (qsizetype i = 0; i < m_plan.record.size(); ++i) {
            const QString path = QStringLiteral("record[%1]").arg(i);
            const QString &text = m_plan.record[i];
            const qsizetype dot = text.indexOf(QLatin1Char('.'));
            const QString value = text.mid(dot + 1);
            const PlanDevice *d
                = device(QStringLiteral("record"), path, keyLabel(path), text.left(dot));
            if (!d || d->publishes(value))
                continue;
            const QStringList names = d->values + d->channels;
            const QString suggestion = didYouMean(value, names);
            m_table.error(QStringLiteral("record"), path,
                QStringLiteral("%1: device %2 publishes no value %3%4")
                    .arg(keyLabel(path), quoted(d->name), quoted(value),
                        suggestion.isEmpty()
                            ? QStringLiteral(" (it publishes %1)").arg(quotedList(names))
                            : suggestion));
        }
    }

    void target()
    {
        if (m_plan.target.isEmpty())
            return;
        const QString key = QStringLiteral("target");
        const qsizetype dot = m_plan.target.indexOf(QLatin1Char('.'));
        const QString channel = m_plan.target.mid(dot + 1);
        const PlanDevice *d = device(key, key, keyLabel(key), m_plan.target.left(dot));
        if (!d || !d->has(Trait::IsSensor))
            return; // a detector: its own error says it is not a sensor
        if (!d->channels.contains(channel)) {
            const QString suggestion = didYouMean(channel, d->channels);
            m_table.error(key, key,
                QStringLiteral("key \"target\": device %1 has no channel %2%3")
                    .arg(quoted(d->name), quoted(channel),
                        suggestion.isEmpty()
                            ? QStringLiteral(" (its channels: %1)").arg(quotedList(d->channels))
                            : suggestion));
        } else if (!d->channelShapes.value(channel).isEmpty()) {
            m_table.error(key, key,
                QStringLiteral("key \"target\": channel %1 of %2 is an array; an adaptive scan "
                               "follows a scalar channel")
                    .arg(quoted(channel), quoted(d->name)));
        }
    }

    /// Checks one axis; returns how its values reach its device (Unusable after an error).
    AxisUse axis(int index, const PlanAxis &axis, bool relativeToo)
    {
        const QString prefix = QStringLiteral("axis[%1]").arg(index);
        const QString label = QStringLiteral("axis %1").arg(index + 1);
        const PlanDevice *d = device(prefix + QStringLiteral(".device"),
            prefix + QStringLiteral(".device"), label, axis.device);
        if (!d)
            return AxisUse::Unusable;
        const bool strings = !axis.values.isEmpty() && isString(axis.values.first());
        const bool position = d->has(Trait::HasPosition);
        const bool discrete = d->has(Trait::IsDiscrete);
        const bool turret = d->has(Trait::HasTurret);
        if (!position && !discrete && !turret) {
            m_table.error(prefix, prefix + QStringLiteral(".device"),
                QStringLiteral("%1: device %2 (%3) cannot be moved: it has no has-position, "
                               "is-discrete or has-turret")
                    .arg(label, quoted(d->name), quoted(d->kind)));
            return AxisUse::Unusable;
        }
        if (strings) {
            const bool asDiscrete = discrete;
            if (!discrete && !turret) {
                m_table.error(prefix, prefix + QStringLiteral(".values"),
                    QStringLiteral("%1: device %2 (%3) has no named positions (no is-discrete or "
                                   "has-turret): give positions as numbers")
                        .arg(label, quoted(d->name), quoted(d->kind)));
                return AxisUse::Unusable;
            }
            const QStringList &known = asDiscrete ? d->identifiers : d->turretIdentifiers;
            bool ok = true;
            for (qsizetype i = 0; i < axis.values.size(); ++i) {
                const QString identifier = axis.values[i].toString();
                if (known.contains(identifier))
                    continue;
                const QString suggestion = didYouMean(identifier, known);
                m_table.error(prefix, prefix + QStringLiteral(".values[%1]").arg(i),
                    QStringLiteral("%1: device %2 has no %3 %4%5")
                        .arg(label, quoted(d->name),
                            asDiscrete ? QStringLiteral("position") : QStringLiteral("turret"),
                            quoted(identifier),
                            suggestion.isEmpty()
                                ? QStringLiteral(" (it has %1)").arg(quotedList(known))
                                : suggestion));
                ok = false;
            }
            if (!ok)
                return AxisUse::Unusable;
            return asDiscrete ? AxisUse::Identifiers : AxisUse::TurretIdentifiers;
        }
        if (!position && turret && !axis.values.isEmpty()) {
            const qsizetype slots = d->turretIdentifiers.size();
            bool ok = true;
            for (qsizetype i = 0; i < axis.values.size(); ++i) {
                const double slot = axis.values[i].toDouble();
                if (slot == std::floor(slot) && slot >= 0 && slot < double(slots))
                    continue;
                m_table.error(prefix, prefix + QStringLiteral(".values[%1]").arg(i),
                    QStringLiteral("%1: slot %2 is out of range: device %3 has slots 0 to %4")
                        .arg(label, formatNumber(slot), quoted(d->name))
                        .arg(slots - 1));
                ok = false;
            }
            return ok ? AxisUse::Slots : AxisUse::Unusable;
        }
        if (!position) {
            m_table.error(prefix, prefix + QStringLiteral(".device"),
                QStringLiteral("%1: device %2 (%3) has no has-position: give its %4 as "
                               "\"values\"")
                    .arg(label, quoted(d->name), quoted(d->kind),
                        discrete ? QStringLiteral("named positions (identifiers)")
                                 : QStringLiteral("slots")));
            return AxisUse::Unusable;
        }
        if (axis.relative && !relativeToo)
            return AxisUse::Positions; // checked at the start, against where it is then
        double origin = 0;
        if (axis.relative) {
            if (!d->position) {
                m_table.error(prefix, prefix + QStringLiteral(".relative"),
                    QStringLiteral("%1: the position of device %2 is not known, so its relative "
                                   "points cannot be placed")
                        .arg(label, quoted(d->name)));
                return AxisUse::Unusable;
            }
            origin = *d->position;
        }
        return limits(index, axis, *d, origin) ? AxisUse::Positions : AxisUse::Unusable;
    }

    /// Every point of a position axis within its device's limits.
    bool limits(int index, const PlanAxis &axis, const PlanDevice &d, double origin)
    {
        const QString prefix = QStringLiteral("axis[%1]").arg(index);
        const bool linear = axis.values.isEmpty();
        // adaptive_scan: start and stop only, the steps between them are the run's.
        const qint64 count = linear ? (axis.points ? qint64(*axis.points) : 2) : axis.values.size();
        const auto pointAt = [&](qint64 i) {
            if (!linear)
                return axis.values[i].toDouble();
            if (count == 1)
                return *axis.start;
            return *axis.start + (*axis.stop - *axis.start) * double(i) / double(count - 1);
        };
        qint64 first = -1;
        qint64 outside = 0;
        double firstValue = 0;
        for (qint64 i = 0; i < count; ++i) {
            const double value = origin + pointAt(i);
            if (d.limits.contains(value))
                continue;
            if (first < 0) {
                first = i;
                firstValue = value;
            }
            ++outside;
        }
        if (first < 0)
            return true;
        QString path = prefix + QStringLiteral(".values[%1]").arg(first);
        if (linear)
            path = prefix + (first == 0 ? QStringLiteral(".start") : QStringLiteral(".stop"));
        const QString units
            = d.positionUnits.isEmpty() ? QString() : QLatin1Char(' ') + d.positionUnits;
        QString message = QStringLiteral("axis %1 (%2): point %3 of %4 is %5%6, outside the "
                                         "device's limits %7%8")
                              .arg(index + 1)
                              .arg(quoted(d.name))
                              .arg(first + 1)
                              .arg(count)
                              .arg(formatNumber(firstValue), units, limitsText(d.limits), units);
        if (axis.relative)
            message += QStringLiteral(" (%1 from its position %2)")
                           .arg(formatNumber(firstValue - origin), formatNumber(origin));
        if (outside > 1)
            message += outside == 2
                ? QStringLiteral("; 1 more point is outside")
                : QStringLiteral("; %1 more points are outside").arg(outside - 1);
        m_table.error(prefix, path, message);
        return false;
    }

    QList<LabError> errors() const
    {
        QList<LabError> errors = m_table.errors();
        std::stable_sort(errors.begin(), errors.end(), [](const LabError &a, const LabError &b) {
            return std::pair(a.line, a.column) < std::pair(b.line, b.column);
        });
        return errors;
    }

private:
    const Plan &m_plan;
    const QList<PlanDevice> &m_devices;
    QStringList m_names;
    TableChecker m_table;
};

} // namespace

PlanDevice describePlanDevice(const Device &device)
{
    PlanDevice d;
    d.name = device.name();
    d.kind = device.kind();
    d.traits = device.traits();
    if (device.status() == DeviceStatus::Fault)
        d.fault = QStringLiteral("it is in fault (%1)").arg(device.faultReason());
    else if (device.status() == DeviceStatus::Stopped)
        d.fault = QStringLiteral("it is stopped");
    d.values = device.values().keys();
    auto *self = const_cast<Device *>(&device); // qobject_cast takes a non-const QObject
    if (const auto *limits = qobject_cast<HasLimits *>(self))
        d.limits = limits->limits();
    if (const auto *position = qobject_cast<HasPosition *>(self)) {
        d.positionUnits = position->units();
        d.position = position->position();
    } else if (device.values().contains(StateKey::Position)) {
        // A device that forwards to a peer publishes the peer's state.
        d.position = device.values().value(StateKey::Position).toDouble();
    }
    if (const auto *discrete = qobject_cast<IsDiscrete *>(self))
        d.identifiers = discrete->positionIdentifiers().keys();
    if (const auto *turret = qobject_cast<HasTurret *>(self))
        d.turretIdentifiers = turret->turretIdentifiers();
    if (const auto *sensor = qobject_cast<IsSensor *>(self)) {
        d.channels = sensor->channelNames();
        d.channelShapes = sensor->channelShapes();
        d.channelUnits = sensor->channelUnits();
    }
    return d;
}

QList<PlanDevice> describePlanDevices(const DeviceHost &host)
{
    QList<PlanDevice> devices;
    for (const QString &name : host.deviceNames()) {
        if (const Device *device = host.device(name)) {
            devices.append(describePlanDevice(*device));
        } else {
            PlanDevice missing;
            missing.name = name;
            missing.fault = QStringLiteral("it could not be created");
            devices.append(missing);
        }
    }
    return devices;
}

QList<LabError> checkPlan(Plan &plan, const QList<PlanDevice> &devices)
{
    PlanChecker checker(plan, devices);
    checker.detectors();
    checker.records();
    checker.target();
    QList<AxisUse> uses;
    for (int i = 0; i < plan.axes.size(); ++i)
        uses << checker.axis(i, plan.axes[i], false);
    QList<LabError> errors = checker.errors();
    if (!errors.isEmpty())
        return errors;
    for (int i = 0; i < plan.axes.size(); ++i) {
        if (uses[i] != AxisUse::Slots)
            continue;
        for (QVariant &value : plan.axes[i].values)
            value = QVariant(int(value.toDouble()));
    }
    return errors;
}

QList<LabError> checkRelativeAxes(const Plan &plan, const QList<PlanDevice> &devices)
{
    PlanChecker checker(plan, devices);
    for (int i = 0; i < plan.axes.size(); ++i) {
        if (plan.axes[i].relative)
            checker.axis(i, plan.axes[i], true);
    }
    return checker.errors();
}

} // namespace Benchtop::Run
