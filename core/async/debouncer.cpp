// SPDX-License-Identifier: MIT
#include "debouncer.h"

namespace Benchtop::Async {

Debouncer::Debouncer(Clock::duration settleTime, bool initialLevel, Callback onChange)
    : m_settle(settleTime, [this] { settled(); })
    , m_onChange(std::move(onChange))
    , m_raw(initialLevel)
    , m_level(initialLevel)
{
}

void Debouncer::setInput(bool raw)
{
    m_raw = raw;
    if (!m_settle.isRunning() && raw != m_level)
        accept(raw);
}

void Debouncer::accept(bool level)
{
    m_level = level;
    if (m_settle.duration() > Clock::duration::zero())
        m_settle.trigger();
    m_onChange(level); // last: the callback may destroy us
}

void Debouncer::settled()
{
    if (m_raw != m_level)
        accept(m_raw);
}

} // namespace Benchtop::Async
