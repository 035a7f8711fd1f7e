// SPDX-License-Identifier: MIT
// The one wheel guard of panels and forms: a guarded spin box or combo keeps its value under
// the wheel, leaves the event unaccepted for its parents, no longer takes the focus on a wheel
// turn, and lets every other event through.
#include "testsupport.h"

#include <widgets/wheelguard.h>

#include <QApplication>
#include <QComboBox>
#include <QPointer>
#include <QSpinBox>
#include <QTest>
#include <QWheelEvent>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

/// Sends one wheel notch over `widget`'s centre; returns whether the widget accepted it.
bool wheel(QWidget *widget, int delta)
{
    const QPointF centre = QRectF(widget->rect()).center();
    QWheelEvent event(centre, widget->mapToGlobal(centre), QPoint(), QPoint(0, delta), Qt::NoButton,
        Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &event);
    return event.isAccepted();
}

} // namespace

class TestWheelGuard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void anUnguardedSpinBoxTakesTheWheel() // the behaviour the guard exists to stop
    {
        QSpinBox spin;
        spin.setValue(5);
        spin.show();
        QVERIFY(QTest::qWaitForWindowExposed(&spin));
        QVERIFY(wheel(&spin, 120));
        QCOMPARE(spin.value(), 6);
    }

    void aGuardedSpinBoxAndComboKeepTheirValues()
    {
        QWidget window;
        auto *spin = new QSpinBox(&window);
        spin->setValue(5);
        auto *combo = new QComboBox(&window);
        combo->addItems({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        combo->setCurrentIndex(1);
        combo->move(0, 40);
        ignoreWheel(spin);
        ignoreWheel(combo);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (const int delta : {120, -120}) {
            QVERIFY(!wheel(spin, delta)); // left for the parents: a scroll area still scrolls
            QVERIFY(!wheel(combo, delta));
        }
        QCOMPARE(spin->value(), 5);
        QCOMPARE(combo->currentIndex(), 1);
        QCOMPARE(spin->focusPolicy(), Qt::StrongFocus);
        QCOMPARE(combo->focusPolicy(), Qt::StrongFocus);
    }

    void otherEventsStillReachTheWidget()
    {
        QSpinBox spin;
        spin.setValue(5);
        ignoreWheel(&spin);
        spin.show();
        QVERIFY(QTest::qWaitForWindowExposed(&spin));
        spin.setFocus();
        QTest::keyClick(&spin, Qt::Key_Up);
        QCOMPARE(spin.value(), 6);
    }

    void theGuardGoesWithItsWidget()
    {
        auto *spin = new QSpinBox;
        ignoreWheel(spin);
        auto *guard = spin->findChild<WheelGuard *>();
        QVERIFY(guard);
        QPointer<WheelGuard> watched(guard);
        delete spin;
        QVERIFY(watched.isNull());
    }
};

QTEST_MAIN(TestWheelGuard)
#include "tst_wheelguard.moc"
