// SPDX-License-Identifier: MIT
#include "planexpansion.h"

#include "planfile.h"
#include "runprogress.h"

#include <device/diagnostics.h>

#include <algorithm>
#include <cmath>

namespace Benchtop::Run {

namespace {

bool isGrid(const Plan &plan)
{
    return plan.kind == QLatin1String("grid_scan");
}

} // namespace

qint64 axisLength(const PlanAxis &axis)
{
    if (!axis.values.isEmpty())
        return axis.values.size();
    return axis.points ? qint64(*axis.points) : 2;
}

QVariant axisValue(const PlanAxis &axis, qint64 i)
{
    if (!axis.values.isEmpty()) {
        const QVariant &value = axis.values.at(i);
        if (value.typeId() == QMetaType::QString || value.typeId() == QMetaType::Int)
            return value;
        return QVariant(value.toDouble());
    }
    const double start = axis.start.value_or(0);
    const double stop = axis.stop.value_or(start);
    const qint64 n = axisLength(axis);
    if (n <= 1)
        return QVariant(start);
    // The last point is `stop` exactly, not start plus a rounded sum of steps.
    if (i == n - 1)
        return QVariant(stop);
    return QVariant(start + (stop - start) * double(i) / double(n - 1));
}

qint64 expandedPointCount(const Plan &plan)
{
    return planPointCount(plan);
}

QList<int> expandedShape(const Plan &plan)
{
    const qint64 count = expandedPointCount(plan);
    if (count < 0)
        return {};
    QList<int> shape;
    if (plan.repeats > 1)
        shape << plan.repeats;
    if (isGrid(plan)) {
        for (const PlanAxis &axis : plan.axes)
            shape << int(axisLength(axis));
    } else {
        shape << int(count / std::max(1, plan.repeats));
    }
    return shape;
}

PlanPoint planPointAt(const Plan &plan, qint64 index)
{
    PlanPoint point;
    if (plan.axes.isEmpty())
        return point;
    point.setpoints.resize(size_t(plan.axes.size()));
    if (!isGrid(plan)) {
        const qint64 n = axisLength(plan.axes.first());
        for (qsizetype a = 0; a < plan.axes.size(); ++a)
            point.setpoints[size_t(a)] = axisValue(plan.axes[a], index % n);
        return point;
    }
    qint64 perRepeat = 1;
    for (const PlanAxis &axis : plan.axes)
        perRepeat *= axisLength(axis);
    qint64 rest = index % perRepeat;
    // Mixed radix, last axis fastest: `inner` is the number of points one value of an axis
    // spans; the passes of an axis so far are the points before it divided by that.
    point.gridIndex.resize(size_t(plan.axes.size()));
    qint64 inner = perRepeat;
    const qint64 within = rest;
    for (qsizetype a = 0; a < plan.axes.size(); ++a) {
        const PlanAxis &axis = plan.axes[a];
        const qint64 n = axisLength(axis);
        const qint64 passes = within / inner; // passes of the axes outside this one, so far
        inner /= n;
        qint64 i = rest / inner;
        rest %= inner;
        if (axis.snake && passes % 2 == 1)
            i = n - 1 - i;
        point.gridIndex[size_t(a)] = int(i);
        point.setpoints[size_t(a)] = axisValue(axis, i);
    }
    return point;
}

ExpandedPlan expandPlan(const Plan &plan)
{
    ExpandedPlan expanded;
    expanded.pointCount = expandedPointCount(plan);
    expanded.shape = expandedShape(plan);
    expanded.estimatedSeconds = estimatePlanSeconds(plan);
    if (expanded.pointCount < 0)
        return expanded;
    expanded.points.reserve(size_t(expanded.pointCount));
    for (qint64 i = 0; i < expanded.pointCount; ++i)
        expanded.points.push_back(planPointAt(plan, i));
    return expanded;
}

double estimatePlanSeconds(const Plan &plan)
{
    if (plan.kind == QLatin1String("time_series"))
        return plan.durationSeconds.value_or(-1);
    const qint64 count = expandedPointCount(plan);
    if (count < 0)
        return -1;
    const double settle = plan.axes.isEmpty() ? 0 : plan.settleSeconds;
    return double(count) * (plan.delaySeconds + settle);
}

QStringList planSummary(const Plan &plan, const QHash<QString, QString> &units)
{
    QStringList lines;
    const qint64 count = expandedPointCount(plan);
    QString head = plan.kind + QStringLiteral(": ");
    if (plan.kind == QLatin1String("time_series")) {
        head += plan.onChange
            ? QStringLiteral("at every change")
            : QStringLiteral("every %1 s").arg(formatNumber(plan.periodSeconds.value_or(0)));
        head += plan.durationSeconds
            ? QStringLiteral(" for %1").arg(formatDuration(*plan.durationSeconds))
            : QStringLiteral(" until stopped");
    } else if (plan.kind == QLatin1String("adaptive_scan")) {
        head += QStringLiteral("steps of %1 to %2 chosen as it runs")
                    .arg(formatNumber(plan.minStep), formatNumber(plan.maxStep));
    } else if (count < 0) {
        head += QStringLiteral("until stopped");
    } else {
        head += QStringLiteral("%1 %2").arg(count).arg(
            count == 1 ? QStringLiteral("point") : QStringLiteral("points"));
        const QList<int> shape = expandedShape(plan);
        if (shape.size() > 1) {
            QStringList sizes;
            for (int n : shape)
                sizes << QString::number(n);
            head += QStringLiteral(" (%1)").arg(sizes.join(QStringLiteral(" × ")));
        }
        head += QStringLiteral(", at least %1").arg(formatDuration(estimatePlanSeconds(plan)));
    }
    lines << head;

    for (qsizetype a = 0; a < plan.axes.size(); ++a) {
        const PlanAxis &axis = plan.axes[a];
        const QString unit = units.value(axis.device);
        const QString suffix = unit.isEmpty() ? QString() : QLatin1Char(' ') + unit;
        QString line = QStringLiteral("axis %1 %2: ").arg(a + 1).arg(quoted(axis.device));
        const qint64 n = axisLength(axis);
        const QVariant first = axisValue(axis, 0);
        if (first.typeId() == QMetaType::QString || first.typeId() == QMetaType::Int) {
            QStringList shown;
            for (qint64 i = 0; i < std::min<qint64>(n, 6); ++i)
                shown << (first.typeId() == QMetaType::Int
                        ? QStringLiteral("slot %1").arg(axisValue(axis, i).toInt())
                        : quoted(axisValue(axis, i).toString()));
            line += shown.join(QStringLiteral(", "));
            if (n > 6)
                line += QStringLiteral(", … (%1 values)").arg(n);
        } else if (axis.values.isEmpty()) {
            line += QStringLiteral("%1 to %2%3")
                        .arg(formatNumber(first.toDouble()),
                            formatNumber(axisValue(axis, n - 1).toDouble()), suffix);
            if (plan.kind != QLatin1String("adaptive_scan"))
                line += QStringLiteral(" in %1 %2")
                            .arg(n)
                            .arg(n == 1 ? QStringLiteral("point") : QStringLiteral("points"));
        } else {
            double low = first.toDouble();
            double high = low;
            for (qint64 i = 1; i < n; ++i) {
                low = std::min(low, axisValue(axis, i).toDouble());
                high = std::max(high, axisValue(axis, i).toDouble());
            }
            line += QStringLiteral("%1 %2 from %3 to %4%5")
                        .arg(n)
                        .arg(n == 1 ? QStringLiteral("value") : QStringLiteral("values"))
                        .arg(formatNumber(low), formatNumber(high), suffix);
        }
        if (axis.relative)
            line += QStringLiteral(", relative to where it is");
        if (axis.snake)
            line += QStringLiteral(", snaked");
        lines << line;
    }
    if (!plan.detectors.isEmpty())
        lines << QStringLiteral("detectors: %1").arg(quotedList(plan.detectors));
    if (!plan.record.isEmpty())
        lines << QStringLiteral("recorded: %1").arg(quotedList(plan.record));
    return lines;
}

} // namespace Benchtop::Run
