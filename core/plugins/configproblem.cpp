// SPDX-License-Identifier: MIT
#include "configproblem.h"

#include <device/deviceerror.h>
#include <device/diagnostics.h>

#include <QStringList>

namespace Benchtop {

void throwIfConfigErrors(const QString &device, const QList<ConfigProblem> &problems)
{
    QStringList errors;
    for (const ConfigProblem &problem : problems) {
        if (problem.isError())
            errors << problem.message;
    }
    if (!errors.isEmpty()) {
        throw DeviceError(
            QStringLiteral("device %1: %2").arg(quoted(device), errors.join(QLatin1String("; "))));
    }
}

} // namespace Benchtop
