// SPDX-License-Identifier: MIT
// What the log says when a device's shown status changes: troubles with their reason, once until
// they or their reason change; the way back; nothing for ordinary changes; one line for a device
// that keeps trying to reconnect, and one more when it is back.
#include "testsupport.h"

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
};

QTEST_GUILESS_MAIN(TestStatusLog)
#include "tst_statuslog.moc"
