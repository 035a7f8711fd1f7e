// SPDX-License-Identifier: MIT
// The event log's model: entries in order, bounded with the oldest going first, their columns,
// tints and text.
#include "testsupport.h"

#include <log/eventlog.h>

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Benchtop;
using Benchtop::Ui::EventLog;
using Category = EventLog::Category;

class TestEventLog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void showsEntriesInColumns()
    {
        EventLog log;
        QAbstractItemModelTester tester(&log);
        const QDateTime before = QDateTime::currentDateTime();
        log.add(Category::Fault, "stage", "update_state failed: connection lost");
        log.add(Category::Action, {}, "opened lab demo.toml");
        QCOMPARE(log.rowCount(), 2);
        QCOMPARE(log.columnCount(), 4);

        QVERIFY(log.entry(0).time >= before);
        QVERIFY(log.entry(0).time <= QDateTime::currentDateTime());
        const QString time = log.index(0, EventLog::TimeColumn).data().toString();
        QVERIFY2(QRegularExpression("^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d$").match(time).hasMatch(),
            qPrintable(time));
        QCOMPARE(time, log.entry(0).time.toString("hh:mm:ss.zzz"));
        QCOMPARE(log.index(0, EventLog::CategoryColumn).data(), QStringLiteral("fault"));
        QCOMPARE(log.index(0, EventLog::DeviceColumn).data(), QStringLiteral("stage"));
        QCOMPARE(log.index(0, EventLog::MessageColumn).data(),
            QStringLiteral("update_state failed: connection lost"));
        QCOMPARE(log.index(1, EventLog::CategoryColumn).data(), QStringLiteral("action"));
        QCOMPARE(
            log.index(1, EventLog::MessageColumn).data(EventLog::CategoryRole).value<Category>(),
            Category::Action);
        QCOMPARE(
            log.headerData(EventLog::MessageColumn, Qt::Horizontal), QStringLiteral("Message"));

        QCOMPARE(log.toText(0), time + " fault stage: update_state failed: connection lost");
        QVERIFY(log.toText(1).endsWith(" action opened lab demo.toml"));
    }

    void tintsFaults()
    {
        EventLog log;
        log.add(Category::Fault, "stage", "connection lost");
        log.add(Category::Info, "stage", "restarted");
        for (int column = 0; column < EventLog::ColumnCount; ++column) {
            QVERIFY(log.index(0, column).data(Qt::BackgroundRole).value<QColor>().isValid());
            QVERIFY(!log.index(1, column).data(Qt::BackgroundRole).isValid());
        }
    }

    void dropsTheOldestPastCapacity()
    {
        EventLog log;
        QCOMPARE(log.capacity(), EventLog::kDefaultCapacity);
        QAbstractItemModelTester tester(&log);
        log.setCapacity(5);
        QSignalSpy removed(&log, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 8; ++i)
            log.add(Category::Info, {}, QString::number(i));
        QCOMPARE(log.rowCount(), 5);
        QCOMPARE(inserted.count(), 8);
        QCOMPARE(removed.count(), 3);
        for (const QList<QVariant> &arguments : removed) {
            QCOMPARE(arguments.at(1).toInt(), 0); // always the first row
            QCOMPARE(arguments.at(2).toInt(), 0);
        }
        QStringList messages;
        for (int row = 0; row < log.rowCount(); ++row)
            messages << log.entry(row).message;
        QCOMPARE(messages, QStringList({"3", "4", "5", "6", "7"}));

        log.setCapacity(2);
        QCOMPARE(log.rowCount(), 2);
        QCOMPARE(log.entry(0).message, QStringLiteral("6"));
        QCOMPARE(removed.constLast().at(1).toInt(), 0);
        QCOMPARE(removed.constLast().at(2).toInt(), 2);
    }

    void boundedAtTheDefaultCapacity()
    {
        EventLog log;
        for (int i = 0; i < EventLog::kDefaultCapacity + 10; ++i)
            log.add(Category::Info, {}, QString::number(i));
        QCOMPARE(log.rowCount(), EventLog::kDefaultCapacity);
        QCOMPARE(log.entry(0).message, QStringLiteral("10"));
    }

    void clears()
    {
        EventLog log;
        QAbstractItemModelTester tester(&log);
        log.add(Category::Refused, "stage", "set_position: argument position must be double");
        log.clear();
        QCOMPARE(log.rowCount(), 0);
        log.add(Category::Plugin, {}, "libfoo.so: plugin ABI 2, host ABI 3");
        QCOMPARE(log.rowCount(), 1);
    }
};

QTEST_MAIN(TestEventLog)
#include "tst_eventlog.moc"
