// SPDX-License-Identifier: MIT
#include "loopnotes.h"

#include <device/traits.h>

namespace Benchtop::Ui {

std::optional<QString> LoopNotes::changed(const QString &device, const QVariantMap &values)
{
    const QString ended = values.value(StateKey::LoopEnded).toString();
    auto it = m_said.find(device);
    if (it == m_said.end()) {
        if (ended.isEmpty())
            return std::nullopt; // the common case: no entry for devices that never ended a loop
        it = m_said.insert(device, QString());
    }
    if (ended == *it)
        return std::nullopt;
    *it = ended;
    if (ended.isEmpty())
        return std::nullopt; // a new measurement started
    return ended;
}

} // namespace Benchtop::Ui
