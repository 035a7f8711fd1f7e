// SPDX-License-Identifier: MIT
#pragma once

#include <widgets/numberformat.h>

#include <QHash>
#include <QString>
#include <QVariantMap>

#include <optional>

namespace Benchtop::Ui {

/// What the log says when a positioner's move ends: "arrived at 42.000 mm", "stopped at
/// 12.345 mm (was going to 42.000 mm)", "homed; at 0.000 mm". Fed with each snapshot of a
/// device (busy and its values); says nothing for devices without a `position`.
///
/// A move that ends where it was going arrived; one whose destination was moved to where it
/// ended, as is-stoppable's stop does, stopped. A homing run is told by the device's `homed`
/// value (where it has one) going false during the busy spell and true at its end. Pure logic,
/// a sibling of StatusLog; the GUI thread's.
class MotionNotes {
public:
    /// `device` now shows `busy` and `values`; positions are written as `format` writes them
    /// (its position's NumberFormat, so the log agrees with the panel and the plot).
    std::optional<QString> changed(
        const QString &device, bool busy, const QVariantMap &values, const NumberFormat &format);
    /// The device is gone: a new one of the same name starts afresh.
    void forget(const QString &device);

private:
    struct Seen {
        bool busy = false;
        double destination = 0; ///< the last destination seen while busy
        bool homedAtStart = false;
        bool unhomedWhileBusy = false;
    };
    QHash<QString, Seen> m_seen;
};

} // namespace Benchtop::Ui
