// SPDX-License-Identifier: MIT
#include "planexpansion.h"

#include "planfile.h"

#include <algorithm>

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

} // namespace Benchtop::Run
