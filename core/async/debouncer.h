// SPDX-License-Identifier: MIT
#pragma once

#include "retriggerabledelay.h"

#include <functional>

namespace Benchtop::Async {

/// Debounces a boolean input the way the seed's switch classes do, but driven by edges
/// rather than by polling: a change is acted on at once, then the input is ignored for the
/// settle time; if it differs from the debounced level when the settle time ends, that is
/// acted on in turn. Feed it every raw reading (or every edge) with setInput().
class Debouncer {
public:
    using Callback = std::function<void(bool level)>;

    Debouncer(Clock::duration settleTime, bool initialLevel, Callback onChange);

    void setInput(bool raw);
    /// The debounced level.
    bool level() const noexcept { return m_level; }

private:
    void accept(bool level);
    void settled();

    RetriggerableDelay m_settle;
    Callback m_onChange;
    bool m_raw;
    bool m_level;
};

} // namespace Benchtop::Async
