// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>
#include <QVariantMap>

#include <optional>

namespace Benchtop::Ui {

/// What the log says when a measurement loop ends by itself: the device's `loop_ended`
/// ("loop ended: link to dmm lost (…)"), once for each loop that ended so. Fed with each
/// snapshot's values; the value stays until the next measurement starts, so snapshots that are
/// coalesced on their way never lose it. Pure logic, a sibling of MotionNotes; the GUI thread's.
class LoopNotes {
public:
    /// `device` now shows `values`: the line for the log, if one is due.
    std::optional<QString> changed(const QString &device, const QVariantMap &values);
    /// The device is gone: a new one of the same name starts afresh.
    void forget(const QString &device) { m_said.remove(device); }

private:
    QHash<QString, QString> m_said; ///< device → the `loop_ended` last seen
};

} // namespace Benchtop::Ui
