// SPDX-License-Identifier: MIT
#include "statuslog.h"

#include <QCoreApplication>
#include <QStringList>

namespace Benchtop::Ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StatusLog", text);
}

bool isTrouble(const QString &status)
{
    return status == QLatin1String("fault") || status == QLatin1String("disconnected")
        || status == QLatin1String("stale");
}

} // namespace

std::optional<StatusLog::Line> StatusLog::changed(
    const QString &device, const QString &status, const QString &reason)
{
    const Seen before = m_seen.value(device);
    const bool reconnecting = before.status == QLatin1String("disconnected");
    // An attempt: remembered as still disconnected, said when it ends.
    if (reconnecting && status == QLatin1String("connecting"))
        return std::nullopt;
    m_seen.insert(device, {status, reason});
    if (before.faultSaid && status == QLatin1String("fault"))
        return std::nullopt;
    if (isTrouble(status)) {
        if (status == before.status && reason == before.reason)
            return std::nullopt;
        return Line{EventLog::Category::Fault,
            reason.isEmpty() ? status : QStringLiteral("%1: %2").arg(status, reason)};
    }
    if (reconnecting)
        return Line{EventLog::Category::Info, tr("reconnected")};
    if (isTrouble(before.status))
        return Line{EventLog::Category::Info, tr("%1 again (was %2)").arg(status, before.status)};
    return std::nullopt;
}

void StatusLog::faultAlreadyLogged(const QString &device)
{
    m_seen[device].faultSaid = true;
}

void StatusLog::forget(const QString &device)
{
    m_seen.remove(device);
}

} // namespace Benchtop::Ui
