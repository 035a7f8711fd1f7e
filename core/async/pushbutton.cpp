// SPDX-License-Identifier: MIT
#include "pushbutton.h"

#include <QPointer>

namespace Benchtop::Async {

Pushbutton::Pushbutton(PushbuttonOptions options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_longPress(options.longPress, [this] { Q_EMIT longPressed(); })
    , m_doubleClickWindow(options.doubleClick, [this] { onDoubleClickWindowEnd(); })
    , m_debouncer(options.debounce, options.initial == ButtonState::Pressed,
          [this](bool down) { onDebounced(down); })
{
}

bool Pushbutton::detectsDoubleClick() const
{
    return m_options.doubleClick > Clock::duration::zero();
}

bool Pushbutton::detectsLongPress() const
{
    return m_options.longPress > Clock::duration::zero();
}

void Pushbutton::onDebounced(bool down)
{
    if (down)
        onPress();
    else
        onRelease();
}

void Pushbutton::onPress()
{
    bool isDoubleClick = false;
    // A short click quickly followed by a long one is a double click, not a long press
    // (micropython-async issue 101), so the long-press timer waits for the window to close.
    if (detectsLongPress() && !(detectsDoubleClick() && m_doubleClickWindow.isRunning()))
        m_longPress.trigger();
    if (detectsDoubleClick()) {
        if (m_doubleClickWindow.isRunning()) {
            m_doubleClickWindow.stop();
            m_doubleClickPending = false;
            m_doubleClickDone = true; // no suppressed release for this press
            isDoubleClick = true;
        } else {
            m_doubleClickWindow.trigger();
            m_doubleClickPending = true;
        }
    }
    // State is settled before any slot runs; a slot may delete us.
    QPointer<Pushbutton> self(this);
    Q_EMIT pressed();
    if (self && isDoubleClick)
        Q_EMIT doubleClicked();
}

void Pushbutton::onRelease()
{
    bool report = true;
    if (m_options.releaseMode == ReleaseMode::Suppress) {
        // Reported here only if it cannot become a double click (window closed) and it was not
        // a long press; otherwise onDoubleClickWindowEnd() reports it, or nobody does.
        const bool longPressStillPossible = !detectsLongPress() || m_longPress.isRunning();
        report = !m_doubleClickPending && !m_doubleClickDone && longPressStillPossible;
    }
    m_longPress.stop(); // a second click must not be taken for a long press
    m_doubleClickDone = false;
    if (report)
        Q_EMIT released();
}

void Pushbutton::onDoubleClickWindowEnd()
{
    m_doubleClickPending = false;
    if (m_options.releaseMode == ReleaseMode::Suppress && !isPressed() && !m_longPress.isRunning())
        Q_EMIT released();
}

} // namespace Benchtop::Async
