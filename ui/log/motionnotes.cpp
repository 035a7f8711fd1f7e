// SPDX-License-Identifier: MIT
#include "motionnotes.h"

#include <device/traits.h>
#include <widgets/numberformat.h>

#include <QCoreApplication>

namespace Benchtop::Ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MotionNotes", text);
}

const QString kHomed = QStringLiteral("homed");

} // namespace

std::optional<QString> MotionNotes::changed(
    const QString &device, bool busy, const QVariantMap &values, const NumberFormat &format)
{
    if (!values.contains(StateKey::Position))
        return std::nullopt;
    const double position = values.value(StateKey::Position).toDouble();
    const double destination = values.value(StateKey::Destination, position).toDouble();
    const bool homed = values.value(kHomed).toBool();
    Seen &seen = m_seen[device];
    std::optional<QString> line;
    if (busy) {
        if (!seen.busy) {
            seen.homedAtStart = homed;
            seen.unhomedWhileBusy = false;
        }
        seen.destination = destination;
        seen.unhomedWhileBusy = seen.unhomedWhileBusy || (values.contains(kHomed) && !homed);
    } else if (seen.busy) {
        const QString here = format.withUnits(position);
        if (homed && (!seen.homedAtStart || seen.unhomedWhileBusy))
            line = tr("homed; at %1").arg(here);
        else if (destination == seen.destination)
            line = tr("arrived at %1").arg(here);
        else
            line = tr("stopped at %1 (was going to %2)")
                       .arg(here, format.withUnits(seen.destination));
    }
    seen.busy = busy;
    return line;
}

void MotionNotes::forget(const QString &device)
{
    m_seen.remove(device);
}

} // namespace Benchtop::Ui
