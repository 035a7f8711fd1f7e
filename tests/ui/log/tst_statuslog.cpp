// SPDX-License-Identifier: MIT
// What the log says when a device's shown status changes: troubles with their reason, once until
// they or their reason change; the way back; nothing for ordinary changes; one line for a device
// that keeps trying to reconnect, and one more when it is back. And MotionNotes, its sibling:
// where a positioner's move ended.
#include "testsupport.h"

#include <log/motionnotes.h>
#include <log/statuslog.h>

#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

/// One step of a device's shown status: "status" or "status|reason".
QString said(StatusLog &log, const QString &device, const QString &step)
{
    const auto line = log.changed(device, step.section(u'|', 0, 0), step.section(u'|', 1));
    if (!line)
        return QStringLiteral("-");
    return EventLog::toString(line->category) + QStringLiteral(": ") + line->message;
}

} // namespace

class TestStatusLog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void changed_data()
    {
        QTest::addColumn<QStringList>("steps");
        QTest::addColumn<QStringList>("lines"); // per step; "-" when nothing is said
        QTest::newRow("ordinary changes say nothing") << QStringList{"connecting", "idle", "busy",
            "idle", "stopped"} << QStringList{"-", "-", "-", "-", "-"};
        QTest::newRow("a fault with its reason, then back")
            << QStringList{"idle", "fault|motor stalled", "idle"}
            << QStringList{"-", "fault: fault: motor stalled", "info: idle again (was fault)"};
        QTest::newRow("a trouble is said once until its reason changes")
            << QStringList{"fault|a", "fault|a", "fault|b", "fault|b"}
            << QStringList{"fault: fault: a", "-", "fault: fault: b", "-"};
        QTest::newRow("a trouble without a reason") << QStringList{"busy", "stale",
            "busy"} << QStringList{"-", "fault: stale", "info: busy again (was stale)"};
        QTest::newRow("reconnection attempts say nothing until it is back")
            << QStringList{"idle", "disconnected|refused", "connecting", "disconnected|refused",
                   "connecting", "idle"}
            << QStringList{"-", "fault: disconnected: refused", "-", "-", "-", "info: reconnected"};
        QTest::newRow("a new reason between attempts is said")
            << QStringList{"disconnected|refused", "connecting", "disconnected|no route"}
            << QStringList{"fault: disconnected: refused", "-", "fault: disconnected: no route"};
        QTest::newRow("from one trouble to another") << QStringList{"disconnected|refused",
            "fault|gone"} << QStringList{"fault: disconnected: refused", "fault: fault: gone"};
    }

    void changed()
    {
        QFETCH(QStringList, steps);
        QFETCH(QStringList, lines);
        QCOMPARE(steps.size(), lines.size());
        StatusLog log;
        QStringList saidLines;
        for (const QString &step : std::as_const(steps))
            saidLines << said(log, QStringLiteral("stage"), step);
        QCOMPARE(saidLines, lines);
    }

    void eachDeviceHasItsOwnHistory()
    {
        StatusLog log;
        QCOMPARE(said(log, "stage", "fault|a"), QStringLiteral("fault: fault: a"));
        QCOMPARE(said(log, "meter", "fault|a"), QStringLiteral("fault: fault: a"));
        QCOMPARE(said(log, "meter", "idle"), QStringLiteral("info: idle again (was fault)"));
        QCOMPARE(said(log, "stage", "fault|a"), QStringLiteral("-"));
    }

    void aFaultAlreadyLoggedIsNotSaidAgain()
    {
        StatusLog log;
        log.faultAlreadyLogged("stage");
        QCOMPARE(said(log, "stage", "fault|unknown key"), QStringLiteral("-"));
        QCOMPARE(said(log, "stage", "idle"), QStringLiteral("info: idle again (was fault)"));
        QCOMPARE(said(log, "stage", "fault|lost"), QStringLiteral("fault: fault: lost"));
    }

    void aForgottenDeviceStartsAfresh()
    {
        StatusLog log;
        QCOMPARE(said(log, "stage", "fault|a"), QStringLiteral("fault: fault: a"));
        log.forget("stage");
        QCOMPARE(said(log, "stage", "idle"), QStringLiteral("-"));
    }

    void motionNotesSayWhereAMoveEnded()
    {
        MotionNotes notes;
        auto at = [](double position, double destination) {
            return QVariantMap{{"position", position}, {"destination", destination}};
        };
        auto step = [&](bool busy, const QVariantMap &values) {
            return notes.changed("stage", busy, values, NumberFormat(3, "mm")).value_or("-");
        };
        QCOMPARE(step(false, at(0, 0)), QStringLiteral("-")); // idle from the start
        QCOMPARE(step(true, at(1, 5)), QStringLiteral("-"));
        QCOMPARE(step(true, at(4, 5)), QStringLiteral("-"));
        QCOMPARE(step(false, at(5, 5)), QStringLiteral("arrived at 5.000 mm"));
        QCOMPARE(step(false, at(5, 5)), QStringLiteral("-")); // said once
        // Stopped: the destination became where it stopped.
        QCOMPARE(step(true, at(6, 20)), QStringLiteral("-"));
        QCOMPARE(step(false, at(7.25, 7.25)),
            QStringLiteral("stopped at 7.250 mm (was going to 20.000 mm)"));
        // Retargeted while moving: arriving at the new destination is arriving.
        QCOMPARE(step(true, at(8, 10)), QStringLiteral("-"));
        QCOMPARE(step(true, at(9, 3)), QStringLiteral("-"));
        QCOMPARE(step(false, at(3, 3)), QStringLiteral("arrived at 3.000 mm"));
        // Homed: `homed` false during the run and true at its end.
        QVariantMap homing = at(2, 3);
        homing.insert("homed", false);
        QCOMPARE(step(true, homing), QStringLiteral("-"));
        QVariantMap homed = at(3, 3);
        homed.insert("homed", true);
        QCOMPARE(step(false, homed), QStringLiteral("homed; at 3.000 mm"));
        // Another move of a homed stage is an arrival.
        homed.insert("destination", 4.0);
        QCOMPARE(step(true, homed), QStringLiteral("-"));
        homed.insert("position", 4.0);
        QCOMPARE(step(false, homed), QStringLiteral("arrived at 4.000 mm"));
        // No position: nothing to say.
        QCOMPARE(notes.changed("meter", true, {{"value", 1}}, NumberFormat(3, "V")), std::nullopt);
        QCOMPARE(notes.changed("meter", false, {{"value", 1}}, NumberFormat(3, "V")), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestStatusLog)
#include "tst_statuslog.moc"
