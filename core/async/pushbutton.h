// SPDX-License-Identifier: MIT
#pragma once

#include "debouncer.h"
#include "retriggerabledelay.h"

#include <QObject>

#include <chrono>

namespace Benchtop::Async {

enum class ButtonState { Released, Pressed };

/// What released() reports.
enum class ReleaseMode {
    Always, ///< every release
    Suppress, ///< micropython-async's `suppress=True`: only a short single click reports a
              ///< release, and only once it cannot become a double click (the double-click
              ///< window has ended); releases ending a long press or a double click are not
              ///< reported
};

struct PushbuttonOptions {
    Clock::duration debounce = std::chrono::milliseconds(50);
    /// A second press within this time of the first is a double click. Zero: not detected.
    Clock::duration doubleClick = std::chrono::milliseconds(400);
    /// Held this long (or longer) is a long press. Zero: not detected.
    Clock::duration longPress = std::chrono::milliseconds(1000);
    ReleaseMode releaseMode = ReleaseMode::Always;
    ButtonState initial = ButtonState::Released;
};

/// A push button with the logic of micropython-async's Pushbutton: debounced press and
/// release, double click and long press, with the optional suppress mode. Pure logic over a
/// boolean input (setInput), timed by the scheduler's timers, so a ManualClock tests it
/// exactly. Signals are emitted in the order the events happen. Thread affinity: its own
/// thread.
class Pushbutton : public QObject {
    Q_OBJECT
public:
    explicit Pushbutton(PushbuttonOptions options = {}, QObject *parent = nullptr);

    /// A raw reading: true while the button is held down.
    void setInput(bool down) { m_debouncer.setInput(down); }
    bool isPressed() const noexcept { return m_debouncer.level(); }
    const PushbuttonOptions &options() const noexcept { return m_options; }

Q_SIGNALS:
    void pressed();
    void released();
    void doubleClicked();
    void longPressed();

private:
    void onDebounced(bool down);
    void onPress();
    void onRelease();
    void onDoubleClickWindowEnd();
    bool detectsDoubleClick() const;
    bool detectsLongPress() const;

    PushbuttonOptions m_options;
    RetriggerableDelay m_longPress;
    RetriggerableDelay m_doubleClickWindow;
    Debouncer m_debouncer;
    bool m_doubleClickPending = false; // first click seen, window open
    bool m_doubleClickDone = false; // this press completed a double click
};

} // namespace Benchtop::Async
