// SPDX-License-Identifier: MIT
#pragma once

#include <host/frameclock.h>

#include <QObject>

#include <functional>

class QWidget;

namespace Benchtop::Ui {

/// A live widget's place on the FrameClock (a lane of it), with what every such widget needs
/// beyond asking for frames, written once: nobody sees a widget that is hidden or scrolled out
/// of sight, so its frames are not drawn, and it catches up when it is seen again.
///
/// - A frame that finds the widget hidden is dropped, and hiding the widget withdraws its
///   request: the widget brings itself up to date in its showEvent().
/// - A frame that finds the widget visible but out of sight (isOnScreen() false: scrolled out
///   of its scroll area) is not drawn either; the widget's next paint (it is being seen again,
///   scrolled into view or uncovered) asks for a frame, which draws it. That paint shows the old
///   image for one frame.
/// - Otherwise the frame calls `draw`.
///
/// `seen` is the widget whose visibility counts (the widget itself, or the part of it that is
/// drawn, such as a plot's canvas); the client watches its events, and must not outlive it.
/// Thread affinity: the GUI thread.
class WidgetFrameClient final
    : public QObject
    , private FrameClock::Client {
    Q_OBJECT
public:
    WidgetFrameClient(QWidget *seen, FrameClock::Lane lane, std::function<void()> draw,
        FrameClock *clock = FrameClock::instance());
    ~WidgetFrameClient() override;

    /// A frame no sooner than `notBefore` from now (FrameClock::Client::requestFrame).
    void request(Async::Clock::duration notBefore = {});
    /// A frame no sooner than `interval` after the last drawn().
    void requestAfterLast(Async::Clock::duration interval);
    void cancel() { cancelFrame(); }
    bool isPending() const noexcept { return isFramePending(); }
    /// The widget drew now, in a frame or outside one (a readout shown at once).
    void drawn() { frameDone(); }
    /// When it last drew, on the clock's time (Async::now()).
    Async::TimePoint lastDrawn() const noexcept { return lastFrameDone(); }
    /// Whether a frame found it out of sight, so that its next paint asks for one.
    bool isUnseen() const noexcept { return m_unseen; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onFrame() override;

    QWidget *m_seen;
    FrameClock::Lane m_lane;
    std::function<void()> m_draw;
    bool m_unseen = false;
};

/// Whether some part of `widget` can be seen: it is visible and no ancestor clips it away
/// entirely (a scroll area's viewport, for a widget scrolled out of it). Unlike
/// QWidget::visibleRegion() it ignores siblings drawn over it, and costs a walk up the parents
/// rather than a pass over every sibling (a thousand, in a grid of panels).
bool isOnScreen(const QWidget *widget);

} // namespace Benchtop::Ui
