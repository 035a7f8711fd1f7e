// SPDX-License-Identifier: MIT
#include "targetcheck.h"

#include <widgets/numberformat.h>

#include <QCoreApplication>

#include <cmath>

namespace Benchtop::Ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Benchtop::Ui::TargetCheck", text);
}

} // namespace

TargetCheck checkTarget(
    double requested, const std::optional<Limits> &limits, OutOfLimits policy, const QString &units)
{
    if (std::isnan(requested))
        return {TargetCheck::Verdict::Refused, requested, tr("The target is not a number")};
    if (!limits || limits->contains(requested))
        return {TargetCheck::Verdict::InLimits, requested, {}};

    // Naming only the limit that was crossed reads well even when the other side is unbounded.
    const bool above = requested > limits->upper;
    const double limit = above ? limits->upper : limits->lower;
    const QString outside = (above ? tr("Target %1 is above the upper limit %2")
                                   : tr("Target %1 is below the lower limit %2"))
                                .arg(NumberFormat::exact(units).withUnits(requested),
                                    NumberFormat::exact(units).withUnits(limit));
    switch (policy) {
    case OutOfLimits::Closest:
        return {TargetCheck::Verdict::Clamped, limit,
            tr("%1: moving to the limit instead").arg(outside)};
    case OutOfLimits::Ignore:
        return {TargetCheck::Verdict::Ignored, requested,
            tr("%1: the device ignores such targets (out_of_limits = ignore); not sent")
                .arg(outside)};
    case OutOfLimits::Error:
        break;
    }
    return {TargetCheck::Verdict::Refused, requested,
        tr("%1: refused (out_of_limits = error); not sent").arg(outside)};
}

} // namespace Benchtop::Ui
