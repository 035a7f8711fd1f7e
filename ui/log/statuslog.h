// SPDX-License-Identifier: MIT
#pragma once

#include "eventlog.h"

#include <QHash>
#include <QString>

#include <optional>

namespace Benchtop::Ui {

/// What the log says when a device's shown status changes (DeviceListModel::statusChanged): a
/// trouble (fault, disconnected, stale) with its reason, in the Fault category, said again only
/// when it or its reason changes; the way back from a trouble ("idle again (was fault)",
/// "reconnected") as Info; nothing for ordinary changes (idle ↔ busy). A device that reconnects
/// by itself goes disconnected → connecting → disconnected … at every attempt: the log says it
/// once, again only when the reason changes, and once more when it is back. Statuses are the
/// stable words of toString(ShownStatus). Pure logic, a sibling of StallNotes; the GUI thread's.
class StatusLog {
public:
    struct Line {
        EventLog::Category category;
        QString message;
    };

    /// `device` now shows `status`, for `reason`: the line for the log, if one is due.
    std::optional<Line> changed(
        const QString &device, const QString &status, const QString &reason);
    /// The device's fault is already in the log (a lab-file error, logged when the lab opened):
    /// its next fault, whatever the words, is not said again.
    void faultAlreadyLogged(const QString &device);
    /// The device is gone: a new one of the same name starts afresh, with nothing to be "again".
    void forget(const QString &device);

private:
    /// What the log last saw of a device.
    struct Seen {
        QString status;
        QString reason;
        bool faultSaid = false; ///< by faultAlreadyLogged, until the next status
    };
    QHash<QString, Seen> m_seen;
};

} // namespace Benchtop::Ui
