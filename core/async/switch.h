// SPDX-License-Identifier: MIT
#pragma once

#include "debouncer.h"

#include <QObject>

#include <chrono>

namespace Benchtop::Async {

enum class SwitchState { Open, Closed };

/// A debounced on/off contact (the seed's Switch): emits closed() and opened() once per
/// settled change. Feed raw readings or edges with setInput(); the debounce runs on the
/// scheduler's timers. Thread affinity: its own thread.
class Switch : public QObject {
    Q_OBJECT
public:
    static constexpr Clock::duration kDefaultDebounce = std::chrono::milliseconds(50);

    explicit Switch(Clock::duration debounce = kDefaultDebounce,
        SwitchState initial = SwitchState::Open, QObject *parent = nullptr);

    /// A raw reading: true when the contact is closed.
    void setInput(bool closed) { m_debouncer.setInput(closed); }
    bool isClosed() const noexcept { return m_debouncer.level(); }

Q_SIGNALS:
    void closed();
    void opened();

private:
    Debouncer m_debouncer;
};

} // namespace Benchtop::Async
