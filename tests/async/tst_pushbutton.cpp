// SPDX-License-Identifier: MIT
// Switch and Pushbutton: debounce, press, release, double click, long press and suppress mode,
// with exact edge timings on a ManualClock, plus a run on real timers.
#include "testsupport.h"

#include <async/async.h>

#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace Benchtop::Async;

namespace {

using Events = std::vector<std::string>;

/// Drives a button on virtual time and records what it reports, as "event@ms".
class Bench {
public:
    explicit Bench(PushbuttonOptions options = {})
        : m_button(std::make_unique<Pushbutton>(options))
        , m_start(m_clock.now())
    {
        auto record = [this](const char *what) {
            return [this, what] {
                const auto ms
                    = std::chrono::duration_cast<std::chrono::milliseconds>(now() - m_start);
                m_events.push_back(std::string(what) + "@" + std::to_string(ms.count()));
            };
        };
        QObject::connect(m_button.get(), &Pushbutton::pressed, record("press"));
        QObject::connect(m_button.get(), &Pushbutton::released, record("release"));
        QObject::connect(m_button.get(), &Pushbutton::doubleClicked, record("double"));
        QObject::connect(m_button.get(), &Pushbutton::longPressed, record("long"));
    }

    /// Sets the raw input at `ms` after the start (timers due up to then run first).
    Bench &at(int ms, bool down)
    {
        runUntil(ms);
        m_button->setInput(down);
        return *this;
    }
    void runUntil(int ms)
    {
        const TimePoint target = m_start + std::chrono::milliseconds(ms);
        if (target > m_clock.now())
            m_clock.advance(target - m_clock.now());
    }
    const Events &events() const { return m_events; }
    Pushbutton &button() { return *m_button; }
    void destroyButton() { m_button.reset(); }

private:
    ManualClock m_clock;
    std::unique_ptr<Pushbutton> m_button;
    TimePoint m_start;
    Events m_events;
};

PushbuttonOptions suppressing()
{
    PushbuttonOptions options;
    options.releaseMode = ReleaseMode::Suppress;
    return options;
}

} // namespace

class TestPushbutton : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void aSingleClick()
    {
        Bench bench;
        bench.at(0, true).at(100, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "release@100"}));
    }

    void bounceWithinTheDebounceTimeIsIgnored()
    {
        Bench bench;
        bench.at(0, true).at(5, false).at(10, true).at(20, false).at(30, true);
        bench.at(200, false).at(203, true).at(206, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "release@200"}));
    }

    void aChangeDuringTheDebounceTimeIsActedOnWhenItEnds()
    {
        Bench bench;
        bench.at(0, true).at(30, false).runUntil(3000); // released for good at 30
        QCOMPARE(bench.events(), (Events{"press@0", "release@50"}));
    }

    void aLongPress()
    {
        Bench bench;
        bench.at(0, true).at(1500, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "long@1000", "release@1500"}));
    }

    void releasedExactlyAtTheLongPressLimitIsALongPress()
    {
        Bench bench;
        bench.at(0, true).at(1000, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "long@1000", "release@1000"}));
    }

    void releasedJustBeforeTheLongPressLimitIsNot()
    {
        Bench bench;
        bench.at(0, true).at(999, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "release@999"}));
    }

    void aDoubleClick()
    {
        Bench bench;
        bench.at(0, true).at(100, false).at(250, true).at(350, false).runUntil(3000);
        QCOMPARE(bench.events(),
            (Events{"press@0", "release@100", "press@250", "double@250", "release@350"}));
    }

    void aSecondPressExactlyAtTheDoubleClickLimitIsANewClick()
    {
        Bench bench;
        bench.at(0, true).at(100, false).at(400, true).at(500, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "release@100", "press@400", "release@500"}));
    }

    void aSecondPressJustInsideTheDoubleClickLimit()
    {
        Bench bench;
        bench.at(0, true).at(100, false).at(399, true).at(500, false).runUntil(3000);
        QCOMPARE(bench.events(),
            (Events{"press@0", "release@100", "press@399", "double@399", "release@500"}));
    }

    void bounceDuringADoubleClick()
    {
        Bench bench;
        bench.at(0, true).at(3, false).at(6, true); // first press, bouncing
        bench.at(100, false).at(104, true).at(108, false); // first release, bouncing
        bench.at(200, true).at(202, false).at(205, true); // second press, bouncing
        bench.at(300, false).runUntil(3000);
        QCOMPARE(bench.events(),
            (Events{"press@0", "release@100", "press@200", "double@200", "release@300"}));
    }

    void aShortClickThenAHoldIsADoubleClickNotALongPress()
    {
        Bench bench;
        bench.at(0, true).at(100, false).at(200, true).at(1500, false).runUntil(3000);
        QCOMPARE(bench.events(),
            (Events{"press@0", "release@100", "press@200", "double@200", "release@1500"}));
    }

    void disabledGesturesAreNotReported()
    {
        PushbuttonOptions options;
        options.doubleClick = 0ms;
        options.longPress = 0ms;
        Bench bench(options);
        bench.at(0, true).at(100, false).at(150, true).at(2000, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "release@100", "press@150", "release@2000"}));
    }

    void suppressReportsAShortClickOnceTheDoubleClickWindowCloses()
    {
        Bench bench(suppressing());
        bench.at(0, true).at(100, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "release@400"}));
    }

    void suppressHidesTheReleasesOfADoubleClick()
    {
        Bench bench(suppressing());
        bench.at(0, true).at(100, false).at(200, true).at(300, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "press@200", "double@200"}));
    }

    void suppressHidesTheReleaseOfALongPress()
    {
        Bench bench(suppressing());
        bench.at(0, true).at(1500, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "long@1000"}));
    }

    void suppressReportsAHoldThatOutlastsTheWindowButNotTheLongPress()
    {
        Bench bench(suppressing());
        bench.at(0, true).at(600, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "release@600"}));
    }

    void suppressWithoutDoubleClickReportsTheReleaseAtOnce()
    {
        PushbuttonOptions options = suppressing();
        options.doubleClick = 0ms;
        Bench bench(options);
        bench.at(0, true).at(100, false).runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "release@100"}));
    }

    void aSlotMayDeleteTheButton()
    {
        Bench bench;
        bench.at(0, true).at(100, false);
        QObject::connect(&bench.button(), &Pushbutton::pressed, [&] { bench.destroyButton(); });
        bench.at(200, true); // would also be a double click: not emitted by a deleted button
        bench.runUntil(3000);
        QCOMPARE(bench.events(), (Events{"press@0", "release@100", "press@200"}));
    }

    void aSwitchDebouncesBothWays()
    {
        ManualClock clock;
        Switch contact(50ms);
        QSignalSpy closed(&contact, &Switch::closed);
        QSignalSpy opened(&contact, &Switch::opened);
        contact.setInput(true);
        contact.setInput(false); // bounce
        contact.setInput(true);
        QCOMPARE(closed.count(), 1);
        QVERIFY(contact.isClosed());
        clock.advance(60ms);
        contact.setInput(false);
        clock.advance(10ms);
        contact.setInput(true); // bounce after opening
        clock.advance(10ms);
        contact.setInput(false);
        clock.advance(100ms);
        QCOMPARE(closed.count(), 1);
        QCOMPARE(opened.count(), 1);
        QVERIFY(!contact.isClosed());
    }

    void aSwitchStartsInItsInitialState()
    {
        ManualClock clock;
        Switch contact(50ms, SwitchState::Closed);
        QSignalSpy opened(&contact, &Switch::opened);
        QVERIFY(contact.isClosed());
        contact.setInput(true);
        QCOMPARE(opened.count(), 0);
        contact.setInput(false);
        QCOMPARE(opened.count(), 1);
    }

    void onRealTimers()
    {
        PushbuttonOptions options;
        options.debounce = 5ms;
        options.doubleClick = 20ms;
        options.longPress = 60ms;
        Pushbutton button(options);
        QSignalSpy pressed(&button, &Pushbutton::pressed);
        QSignalSpy longPressed(&button, &Pushbutton::longPressed);
        const TimePoint start = Clock::now();
        button.setInput(true);
        QCOMPARE(pressed.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(longPressed.count(), 1, 3000);
        QVERIFY(Clock::now() - start >= 60ms);
    }
};

QTEST_GUILESS_MAIN(TestPushbutton)
#include "tst_pushbutton.moc"
