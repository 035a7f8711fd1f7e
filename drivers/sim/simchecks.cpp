// SPDX-License-Identifier: MIT
#include "simchecks.h"

#include "simconfig.h"

#include <device/diagnostics.h>
#include <device/limits.h>

#include <QSet>
#include <QStringList>

#include <optional>

namespace Benchtop::Sim {

namespace {

const QString kMeasurementId = QStringLiteral("measurement_id");

/// [lower, upper] with lower ≤ upper, or nullopt (a malformed range is the typed read's to say).
std::optional<Limits> range(const QVariant &value)
{
    const QVariantList list = value.toList();
    if (value.typeId() != QMetaType::QVariantList || list.size() != 2
        || !SimConfig::isNumber(list[0]) || !SimConfig::isNumber(list[1])
        || !(list[0].toDouble() <= list[1].toDouble()))
        return std::nullopt;
    return Limits{list[0].toDouble(), list[1].toDouble()};
}

QString rangeText(const Limits &limits)
{
    return QStringLiteral("[%1, %2]").arg(formatNumber(limits.lower), formatNumber(limits.upper));
}

/// The strings of a list of strings, or nullopt.
std::optional<QStringList> names(const QVariant &value)
{
    if (value.typeId() == QMetaType::QStringList)
        return value.toStringList();
    if (value.typeId() != QMetaType::QVariantList)
        return std::nullopt;
    QStringList result;
    for (const QVariant &item : value.toList()) {
        if (item.typeId() != QMetaType::QString)
            return std::nullopt;
        result << item.toString();
    }
    return result;
}

/// A list of names: at least one when `nonEmpty`, each once and not blank.
std::optional<QStringList> nameList(
    const QVariantMap &config, const QString &key, bool nonEmpty, QList<ConfigProblem> &problems)
{
    std::optional<QStringList> list = names(config.value(key));
    if (!list)
        return std::nullopt;
    const QString label = QStringLiteral("key ") + quoted(key);
    if (nonEmpty && list->isEmpty())
        problems << ConfigProblem::error(key, label + QStringLiteral(" must name at least one"));
    QSet<QString> seen;
    for (qsizetype i = 0; i < list->size(); ++i) {
        const QString &name = list->at(i);
        const QString at = key + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
        if (name.trimmed().isEmpty())
            problems << ConfigProblem::error(at, label + QStringLiteral(" has an empty name"));
        else if (seen.contains(name))
            problems << ConfigProblem::error(
                at, label + QStringLiteral(" names %1 twice").arg(quoted(name)));
        seen.insert(name);
    }
    return list;
}

void checkMotor(const QVariantMap &config, QList<ConfigProblem> &problems)
{
    const std::optional<Limits> limits = range(config.value(QStringLiteral("limits")));
    const std::optional<Limits> travel = range(config.value(QStringLiteral("hw_limits")));
    if (limits && travel) {
        const Limits inForce = limits->intersected(*travel);
        if (!(inForce.lower <= inForce.upper)) {
            problems << ConfigProblem::error(QStringLiteral("limits"),
                QStringLiteral("key \"limits\" %1 does not overlap hw_limits %2")
                    .arg(rangeText(*limits), rangeText(*travel)));
        } else if (inForce != *limits) {
            problems << ConfigProblem::warning(QStringLiteral("limits"),
                QStringLiteral("key \"limits\" %1 reaches beyond hw_limits %2: the limits in "
                               "force are %3")
                    .arg(rangeText(*limits), rangeText(*travel), rangeText(inForce)));
        }
    }
    const QVariant home = config.value(QStringLiteral("home_position"));
    if (travel && SimConfig::isNumber(home) && !travel->contains(home.toDouble())) {
        problems << ConfigProblem::error(QStringLiteral("home_position"),
            QStringLiteral("key \"home_position\" (%1) is outside hw_limits %2")
                .arg(formatNumber(home.toDouble()), rangeText(*travel)));
    }
}

void checkSensor(const QVariantMap &config, QList<ConfigProblem> &problems)
{
    const QString key = QStringLiteral("channels");
    const std::optional<QStringList> channels = nameList(config, key, true, problems);
    if (channels && channels->contains(kMeasurementId)) {
        problems << ConfigProblem::error(
            key, QStringLiteral("key \"channels\" may not name measurement_id"));
    }
    // Scalar channels have no axis to map: the wavelengths would be silently ignored.
    const QVariant points = config.value(QStringLiteral("points"));
    const QVariant wavelengths = config.value(QStringLiteral("wavelengths_nm"));
    if (SimConfig::isNumber(points) && points.toDouble() == 0 && !wavelengths.toList().isEmpty()) {
        problems << ConfigProblem::warning(QStringLiteral("wavelengths_nm"),
            QStringLiteral("key \"wavelengths_nm\" has no effect with points = 0 (scalar "
                           "channels have no axis)"));
    }
}

void checkDigital(const QVariantMap &config, QList<ConfigProblem> &problems)
{
    const std::optional<QStringList> inputs
        = nameList(config, QStringLiteral("inputs"), false, problems);
    const std::optional<QStringList> outputs
        = nameList(config, QStringLiteral("outputs"), false, problems);
    if (!inputs)
        return;
    if (outputs) {
        for (qsizetype i = 0; i < outputs->size(); ++i) {
            if (inputs->contains(outputs->at(i))) {
                problems << ConfigProblem::error(QStringLiteral("outputs[%1]").arg(i),
                    QStringLiteral("key \"outputs\" names %1, which is also an input")
                        .arg(quoted(outputs->at(i))));
            }
        }
    }
    const QVariant bindings = config.value(QStringLiteral("on_press"));
    if (bindings.typeId() != QMetaType::QVariantMap)
        return;
    const QVariantMap map = bindings.toMap();
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        if (!inputs->contains(it.key())) {
            problems << ConfigProblem::error(QStringLiteral("on_press.") + it.key(),
                QStringLiteral("key \"on_press\" binds %1, which is not an input (inputs: %2)")
                    .arg(quoted(it.key()), inputs->join(QStringLiteral(", "))));
        }
    }
}

void checkSignal(const QVariantMap &config, QList<ConfigProblem> &problems)
{
    const QVariant channel = config.value(QStringLiteral("channel"));
    if (channel.typeId() != QMetaType::QString)
        return;
    if (channel.toString().trimmed().isEmpty() || channel.toString() == kMeasurementId) {
        problems << ConfigProblem::error(QStringLiteral("channel"),
            QStringLiteral("key \"channel\" must be a name other than measurement_id, not %1")
                .arg(quoted(channel.toString())));
    }
}

/// The fault knobs every kind has.
void checkFaults(const QVariantMap &config, QList<ConfigProblem> &problems)
{
    const QVariant reconnect = config.value(QStringLiteral("reconnect_after_s"));
    const QVariant disconnect = config.value(QStringLiteral("disconnect_after_s"));
    if (SimConfig::isNumber(reconnect) && reconnect.toDouble() > 0
        && (!SimConfig::isNumber(disconnect) || disconnect.toDouble() <= 0)) {
        problems << ConfigProblem::warning(QStringLiteral("reconnect_after_s"),
            QStringLiteral("key \"reconnect_after_s\" has no effect without disconnect_after_s "
                           "(a connection that is never lost)"));
    }
}

} // namespace

QList<ConfigProblem> checkSimConfig(const DeviceSettings &settings)
{
    QList<ConfigProblem> problems;
    checkFaults(settings.config, problems);
    const QString &kind = settings.kind;
    if (kind == QLatin1String("sim-motor"))
        checkMotor(settings.config, problems);
    else if (kind == QLatin1String("sim-sensor"))
        checkSensor(settings.config, problems);
    else if (kind == QLatin1String("sim-filter-wheel"))
        nameList(settings.config, QStringLiteral("slots"), true, problems);
    else if (kind == QLatin1String("sim-digital"))
        checkDigital(settings.config, problems);
    else if (kind == QLatin1String("sim-signal"))
        checkSignal(settings.config, problems);
    return problems;
}

} // namespace Benchtop::Sim
