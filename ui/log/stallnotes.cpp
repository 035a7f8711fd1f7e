// SPDX-License-Identifier: MIT
#include "stallnotes.h"

#include <widgets/formatheld.h>

#include <QCoreApplication>

namespace Benchtop::Ui {

using namespace std::chrono_literals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StallNotes", text);
}

/// What held the loop, as the log's message says it (the device has its own column).
QString what(const Async::LoopStall &stall)
{
    if (stall.owner.isEmpty() || stall.task.isEmpty())
        return stall.culprit();
    return stall.task;
}

} // namespace

std::optional<StallNotes::Note> StallNotes::stalled(const Async::LoopStall &stall)
{
    Culprit &culprit = m_culprits[stall.culprit()];
    if (stall.held < 1s || culprit.saidOngoing)
        return std::nullopt;
    culprit.saidOngoing = true;
    return Note{stall.owner,
        tr("%1 is holding the device loop: %2 so far; every other device waits")
            .arg(what(stall), formatHeld(stall.held))};
}

std::optional<StallNotes::Note> StallNotes::ended(
    const Async::LoopStall &stall, Clock::time_point now)
{
    Culprit &culprit = m_culprits[stall.culprit()];
    culprit.saidOngoing = false;
    if (stall.mostlyWaitingForCpu()) {
        // Not the driver's doing (docs/decisions.md): said as such, and not as its hold.
        return Note{stall.owner,
            tr("the machine was busy: %1 waited %2 for a CPU of the %3 it took")
                .arg(what(stall), formatHeld(stall.waitedForCpu), formatHeld(stall.held))};
    }
    const bool quiet = culprit.lastSaid && now - *culprit.lastSaid < kQuietPeriod;
    if (stall.held < 1s && quiet) {
        ++culprit.unsaid;
        culprit.longestUnsaid = std::max(culprit.longestUnsaid, stall.held);
        return std::nullopt;
    }
    QString message = tr("%1 held the device loop for %2").arg(what(stall), formatHeld(stall.held));
    if (stall.waitedForCpu.count() > 0) // a busy machine's share, not the driver's
        message += tr(" (%1 of it waiting for a CPU)").arg(formatHeld(stall.waitedForCpu));
    if (culprit.unsaid > 0) {
        message += culprit.unsaid == 1
            ? tr(" (and once more before, for %1)").arg(formatHeld(culprit.longestUnsaid))
            : tr(" (and %1 more times before, the longest %2)")
                  .arg(culprit.unsaid)
                  .arg(formatHeld(culprit.longestUnsaid));
    }
    culprit.lastSaid = now;
    culprit.unsaid = 0;
    culprit.longestUnsaid = 0ms;
    return Note{stall.owner, message};
}

} // namespace Benchtop::Ui
