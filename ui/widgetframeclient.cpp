// SPDX-License-Identifier: MIT
#include "widgetframeclient.h"

#include <QEvent>
#include <QWidget>

namespace Benchtop::Ui {

WidgetFrameClient::WidgetFrameClient(
    QWidget *seen, FrameClock::Lane lane, std::function<void()> draw, FrameClock *clock)
    : FrameClock::Client(clock)
    , m_seen(seen)
    , m_lane(lane)
    , m_draw(std::move(draw))
{
    m_seen->installEventFilter(this);
}

WidgetFrameClient::~WidgetFrameClient() = default;

void WidgetFrameClient::request(Async::Clock::duration notBefore)
{
    requestFrame(m_lane, notBefore);
}

void WidgetFrameClient::requestAfterLast(Async::Clock::duration interval)
{
    requestFrameAfterLast(m_lane, interval);
}

void WidgetFrameClient::onFrame()
{
    if (!m_seen->isVisible())
        return; // its showEvent catches up
    if (!isOnScreen(m_seen)) {
        m_unseen = true; // its next paint asks for a frame
        return;
    }
    m_draw();
}

bool WidgetFrameClient::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_seen) {
        if (event->type() == QEvent::Paint && m_unseen) {
            // Painted while a frame found it out of sight: it is being seen again.
            m_unseen = false;
            request();
        } else if (event->type() == QEvent::Hide) {
            cancelFrame();
        }
    }
    return QObject::eventFilter(watched, event);
}

bool isOnScreen(const QWidget *widget)
{
    if (!widget->isVisible())
        return false;
    // The widget's rectangle in each ancestor's coordinates, cut by that ancestor's rectangle.
    QRect rect = widget->rect();
    for (const QWidget *w = widget; !w->isWindow(); w = w->parentWidget()) {
        rect = rect.translated(w->pos()) & w->parentWidget()->rect();
        if (rect.isEmpty())
            return false;
    }
    return true;
}

} // namespace Benchtop::Ui
