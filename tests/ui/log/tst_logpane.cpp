// SPDX-License-Identifier: MIT
// The log pane, driven through its widgets: filtering by text and category, Clear, and
// following new entries unless the operator scrolled up.
#include "testsupport.h"

#include <log/eventlog.h>
#include <log/logpane.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTest>

using namespace Benchtop;
using Benchtop::Ui::EventLog;
using Benchtop::Ui::LogPane;
using Category = EventLog::Category;

namespace {

void fill(EventLog &log)
{
    log.add(Category::Fault, "stage-x", "update_state failed: connection lost");
    log.add(Category::Refused, "stage-y", "set_position: argument position must be double");
    log.add(Category::Plugin, {}, "libbenchtop_old.so: plugin ABI 1, host ABI 2");
    log.add(Category::Action, "spectrometer", "measure");
    log.add(Category::Info, {}, "lab demo.toml opened");
    log.add(Category::Fault, "spectrometer", "update_state failed: Stage wiring");
}

/// The messages the pane's view shows, top to bottom.
QStringList shownMessages(const LogPane &pane)
{
    const QAbstractItemModel *model = pane.view()->model();
    QStringList messages;
    for (int row = 0; row < model->rowCount(); ++row)
        messages << model->index(row, EventLog::MessageColumn).data().toString();
    return messages;
}

} // namespace

class TestLogPane : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void filtersByDeviceOrMessageIgnoringCase()
    {
        EventLog log;
        fill(log);
        LogPane pane(&log);
        QAbstractItemModelTester tester(pane.view()->model());
        auto *filter = pane.findChild<QLineEdit *>("logFilter");
        QVERIFY(filter);
        QCOMPARE(pane.view()->model()->rowCount(), 6);

        QTest::keyClicks(filter, "STAGE");
        // stage-x and stage-y by device, "Stage wiring" by message
        QCOMPARE(shownMessages(pane),
            QStringList({"update_state failed: connection lost",
                "set_position: argument position must be double",
                "update_state failed: Stage wiring"}));
        QTest::keyClicks(filter, "-y");
        QCOMPARE(
            shownMessages(pane), QStringList({"set_position: argument position must be double"}));
        filter->clear();
        QCOMPARE(pane.view()->model()->rowCount(), 6);
    }

    void filtersByCategory()
    {
        EventLog log;
        fill(log);
        log.add(Category::Loop, "hog", "update_state held the device loop for 2.0 s");
        LogPane pane(&log);
        QAbstractItemModelTester tester(pane.view()->model());
        auto *category = pane.findChild<QComboBox *>("logCategory");
        QVERIFY(category);
        QCOMPARE(category->currentText(), QStringLiteral("All"));
        const QStringList choices{"All", "Faults", "Loop holds", "Refused", "Plugins", "Actions"};
        for (int i = 0; i < choices.size(); ++i)
            QCOMPARE(category->itemText(i), choices.at(i));

        category->setCurrentIndex(category->findText("Faults"));
        QCOMPARE(shownMessages(pane),
            QStringList(
                {"update_state failed: connection lost", "update_state failed: Stage wiring"}));
        category->setCurrentIndex(category->findText("Plugins"));
        QCOMPARE(
            shownMessages(pane), QStringList({"libbenchtop_old.so: plugin ABI 1, host ABI 2"}));
        category->setCurrentIndex(category->findText("Loop holds"));
        QCOMPARE(shownMessages(pane), QStringList({"update_state held the device loop for 2.0 s"}));

        // Both filters at once; new entries are filtered too.
        category->setCurrentIndex(category->findText("Faults"));
        QTest::keyClicks(pane.findChild<QLineEdit *>("logFilter"), "spectro");
        QCOMPARE(shownMessages(pane), QStringList({"update_state failed: Stage wiring"}));
        log.add(Category::Action, "spectrometer", "stop");
        log.add(Category::Fault, "spectrometer", "measure failed: timed out");
        QCOMPARE(shownMessages(pane),
            QStringList({"update_state failed: Stage wiring", "measure failed: timed out"}));

        category->setCurrentIndex(category->findText("All"));
        QCOMPARE(pane.view()->model()->rowCount(), 4);
    }

    void clearEmptiesTheLog()
    {
        EventLog log;
        fill(log);
        LogPane pane(&log);
        auto *clear = pane.findChild<QPushButton *>("logClear");
        QVERIFY(clear);
        QTest::mouseClick(clear, Qt::LeftButton);
        QCOMPARE(log.rowCount(), 0);
        QCOMPARE(pane.view()->model()->rowCount(), 0);
    }

    void followsNewEntriesUnlessScrolledUp()
    {
        EventLog log;
        LogPane pane(&log);
        pane.resize(640, 200);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QScrollBar *bar = pane.view()->verticalScrollBar();
        for (int i = 0; i < 100; ++i)
            log.add(Category::Info, {}, QStringLiteral("entry %1").arg(i));
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());

        bar->setValue(0); // the operator reads older entries
        log.add(Category::Info, {}, "one more");
        QCoreApplication::processEvents();
        QCOMPARE(bar->value(), 0);

        bar->setValue(bar->maximum()); // back at the bottom: follows again
        log.add(Category::Info, {}, "and another");
        QCoreApplication::processEvents();
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(pane.view()->visualRect(pane.view()->model()->index(101, 0)).isValid());
    }

    void sizesColumnsForTheirContents()
    {
        EventLog log;
        fill(log);
        LogPane pane(&log);
        pane.resize(720, 220);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        const QAbstractItemView *view = pane.view();
        for (int column : {EventLog::TimeColumn, EventLog::CategoryColumn})
            QVERIFY(pane.view()->columnWidth(column) >= view->sizeHintForColumn(column));
        QCOMPARE(pane.view()->horizontalHeader()->sectionResizeMode(EventLog::MessageColumn),
            QHeaderView::Stretch);
        if (const QByteArray dir = qgetenv("BENCHTOP_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(pane.grab().save(QString::fromLocal8Bit(dir) + "/logpane.png"));
    }
};

QTEST_MAIN(TestLogPane)
#include "tst_logpane.moc"
