// SPDX-License-Identifier: MIT
// WidgetFrameClient, on a frame clock stepped on manual time: a seen widget draws on its frame;
// a hidden one drops it (hiding withdraws the request); one scrolled out of sight skips it and
// catches up at its next paint. isOnScreen tells the two apart.
#include "framestepper.h"
#include "testsupport.h"

#include <widgetframeclient.h>

#include <QScrollArea>
#include <QTest>
#include <QVBoxLayout>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::Ui;
using namespace std::chrono_literals;

namespace {

/// A scroll area 300 px high over a spacer 3000 px high, with `widget` below the spacer.
class OutOfSight {
public:
    explicit OutOfSight(QWidget *widget)
    {
        auto *content = new QWidget;
        auto *layout = new QVBoxLayout(content);
        auto *spacer = new QWidget;
        spacer->setFixedHeight(3000);
        layout->addWidget(spacer);
        widget->setMinimumSize(100, 100);
        layout->addWidget(widget);
        scroll.setWidget(content);
        scroll.setWidgetResizable(true);
        scroll.resize(400, 300);
    }
    QScrollArea scroll;
};

} // namespace

class TestWidgetFrameClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void aSeenWidgetDrawsOnItsFrame()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        QWidget widget;
        int drawn = 0;
        WidgetFrameClient frames(
            &widget, FrameClock::Lane::Readouts,
            [&] {
                ++drawn;
                frames.drawn();
            },
            &clock);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QVERIFY(isOnScreen(&widget));
        frames.request();
        QVERIFY(frames.isPending());
        steps.tick();
        QCOMPARE(drawn, 1);
        // The next one no sooner than 50 ms after that.
        frames.requestAfterLast(50ms);
        steps.ticks(2);
        QCOMPARE(drawn, 1);
        QVERIFY(steps.until([&] { return drawn == 2; }, 2));
        QVERIFY(!frames.isUnseen());
    }

    void aHiddenWidgetDropsItsFrameAndHidingWithdrawsTheRequest()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        QWidget widget;
        int drawn = 0;
        WidgetFrameClient frames(
            &widget, FrameClock::Lane::Readouts, [&] { ++drawn; }, &clock);
        frames.request(); // never shown: dropped
        steps.tick();
        QCOMPARE(drawn, 0);
        QVERIFY(!frames.isUnseen());
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        frames.request();
        widget.hide();
        QVERIFY(!frames.isPending());
        QCOMPARE(clock.pendingCount(FrameClock::Lane::Readouts), 0);
        steps.ticks(3);
        QCOMPARE(drawn, 0);
    }

    void aWidgetOutOfSightCatchesUpWhenPainted()
    {
        FrameClock clock;
        FrameStepper steps(&clock);
        auto *widget = new QWidget;
        OutOfSight view(widget);
        int drawn = 0;
        WidgetFrameClient frames(
            widget, FrameClock::Lane::Plots, [&] { ++drawn; }, &clock);
        view.scroll.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view.scroll));
        QVERIFY(widget->isVisible());
        QVERIFY(!isOnScreen(widget));
        frames.request();
        steps.ticks(12); // several frames: none draws what nobody sees
        QCOMPARE(drawn, 0);
        QVERIFY(frames.isUnseen());
        QVERIFY(!frames.isPending());
        view.scroll.ensureWidgetVisible(widget);
        QVERIFY(steps.until([&] { return drawn == 1; }));
        QVERIFY(isOnScreen(widget));
        QVERIFY(!frames.isUnseen());
    }
};

QTEST_MAIN(TestWidgetFrameClient)
#include "tst_widgetframeclient.moc"
