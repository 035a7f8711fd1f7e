// SPDX-License-Identifier: MIT
#include "startupprobe.h"

#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <ctime>

namespace Benchtop {

namespace {

class FirstPaintProbe : public QObject {
public:
    FirstPaintProbe(QWidget *window, bool close)
        : QObject(window)
        , m_window(window)
        , m_close(close)
    {
        window->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        // Qt Widgets paints a window in one pass, on its UpdateRequest: the pass is over when
        // this event's handling returns, so the report is queued behind it.
        if (watched == m_window && event->type() == QEvent::UpdateRequest && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, this, [this] { report(); });
        }
        return false;
    }

private:
    void report()
    {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        std::printf("first-paint %lld\n", static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec);
        std::fflush(stdout);
        if (m_close)
            m_window->close();
    }

    QWidget *m_window;
    bool m_close;
    bool m_seen = false;
};

} // namespace

void installStartupProbe(QWidget *window)
{
    const int probe = qEnvironmentVariableIntValue("BENCHTOP_STARTUP_PROBE");
    if (probe == 1 || probe == 2)
        new FirstPaintProbe(window, probe == 1);
}

} // namespace Benchtop
