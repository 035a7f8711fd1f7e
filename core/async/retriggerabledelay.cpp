// SPDX-License-Identifier: MIT
#include "retriggerabledelay.h"

namespace Benchtop::Async {

RetriggerableDelay::RetriggerableDelay(Clock::duration duration, Callback onExpiry)
    : m_duration(duration)
    , m_onExpiry(std::move(onExpiry))
{
}

RetriggerableDelay::~RetriggerableDelay() = default;

void RetriggerableDelay::trigger(Clock::duration duration)
{
    schedule(now() + duration);
}

void RetriggerableDelay::expire()
{
    m_expired.set(); // wakes the current waiters only: the next wait() waits for the next expiry
    m_expired.clear();
    // Last, through a copy: the callback may retrigger, or destroy this delay.
    if (m_onExpiry) {
        Callback onExpiry = m_onExpiry;
        onExpiry();
    }
}

} // namespace Benchtop::Async
