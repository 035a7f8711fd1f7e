// SPDX-License-Identifier: MIT
#include "switch.h"

namespace Benchtop::Async {

Switch::Switch(Clock::duration debounce, SwitchState initial, QObject *parent)
    : QObject(parent)
    , m_debouncer(debounce, initial == SwitchState::Closed, [this](bool isClosed) {
        if (isClosed)
            Q_EMIT closed();
        else
            Q_EMIT opened();
    })
{
}

} // namespace Benchtop::Async
