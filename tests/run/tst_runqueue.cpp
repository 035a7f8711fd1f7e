// SPDX-License-Identifier: MIT
// The run queue (core/run/runqueue.h) and its file (core/run/queuefile.h): order, editing while
// a run goes, stop markers, surviving a restart, one process per queue.
#include <run/queuefile.h>
#include <run/runqueue.h>

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Benchtop::Run;

namespace {

QByteArray plan(int points)
{
    return QStringLiteral("kind = \"count\"\ndetectors = [\"dmm\"]\npoints = %1\n")
        .arg(points)
        .toUtf8();
}

QStringList planTexts(const RunQueue &queue)
{
    QStringList texts;
    for (const QueueItem &item : queue.items())
        texts.append(item.kind == QueueItem::Kind::StopMarker ? QStringLiteral("STOP")
                                                              : QString::fromUtf8(item.planText)
                                                                    .section(QLatin1Char('='), -1)
                                                                    .trimmed());
    return texts;
}

} // namespace

class TestRunQueue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void plansRunInOrderAndMayBeInsertedAhead()
    {
        RunQueue queue;
        QSignalSpy changed(&queue, &RunQueue::changed);
        queue.addPlan(plan(1));
        queue.addPlan(plan(2));
        queue.addPlan(plan(3), {}, {}, 0); // to the front
        QCOMPARE(planTexts(queue), (QStringList{"3", "1", "2"}));
        QCOMPARE(changed.size(), 3);
        QCOMPARE(queue.waitingCount(), 3);

        const auto first = queue.startNext();
        QVERIFY(first);
        QCOMPARE(first->planText, plan(3));
        QCOMPARE(toString(first->state), toString(QueueItem::State::Running));
        QVERIFY(!queue.startNext()); // one at a time
        queue.finishRunning(QStringLiteral("success"), QStringLiteral("completed"));
        const QueueItem *done = queue.item(first->uid);
        QVERIFY(done);
        QCOMPARE(toString(done->state), toString(QueueItem::State::Done));
        QCOMPARE(done->exitStatus, QStringLiteral("success"));
        QCOMPARE(queue.startNext()->planText, plan(1));
    }

    void waitingItemsAreEditedMovedAndRemovedWhileOneRuns()
    {
        RunQueue queue;
        const QString a = queue.addPlan(plan(1));
        const QString b = queue.addPlan(plan(2));
        const QString c = queue.addPlan(plan(3));
        QVERIFY(queue.startNext()); // a runs
        QVERIFY(!queue.edit(a, plan(10), {})); // not while it runs
        QVERIFY(!queue.remove(a));
        QVERIFY(!queue.move(a, 1));
        QVERIFY(queue.move(c, 0)); // c before b
        QVERIFY(queue.edit(b, plan(20), {QStringLiteral("metadata.sample=\"x\"")}));
        QCOMPARE(planTexts(queue), (QStringList{"1", "3", "20"}));
        QCOMPARE(queue.item(b)->overrides, QStringList{QStringLiteral("metadata.sample=\"x\"")});
        QVERIFY(queue.remove(c));
        QVERIFY(!queue.remove(c));
        QVERIFY(!queue.remove(QStringLiteral("no-such-uid")));
        queue.finishRunning(QStringLiteral("success"), QStringLiteral("completed"));
        QCOMPARE(queue.startNext()->uid, b);
    }

    void aStopMarkerHaltsTheQueueOnceAndIsConsumed()
    {
        RunQueue queue;
        QSignalSpy stopped(&queue, &RunQueue::queueStopped);
        queue.addPlan(plan(1));
        queue.addStopMarker();
        queue.addPlan(plan(2));
        QVERIFY(queue.startNext());
        queue.finishRunning(QStringLiteral("success"), QStringLiteral("completed"));
        QVERIFY(!queue.startNext()); // the marker
        QCOMPARE(stopped.size(), 1);
        QCOMPARE(planTexts(queue), (QStringList{"1", "2"}));
        QCOMPARE(queue.startNext()->planText, plan(2)); // started again
    }

    void historyIsBounded()
    {
        RunQueue queue;
        for (int i = 0; i < RunQueue::kHistoryLength + 5; ++i) {
            queue.addPlan(plan(i));
            QVERIFY(queue.startNext());
            queue.finishRunning(QStringLiteral("success"), QStringLiteral("completed"));
        }
        QCOMPARE(queue.items().size(), RunQueue::kHistoryLength);
        QCOMPARE(queue.items().first().planText, plan(5)); // the oldest went first
        queue.clearHistory();
        QVERIFY(queue.items().isEmpty());
    }

    void theQueueSurvivesARestartAndARunningItemIsMarkedInterrupted()
    {
        QTemporaryDir state;
        QList<QueueItem> saved;
        {
            RunQueue queue;
            queue.addPlan(plan(1), QStringLiteral("/plans/one.toml"));
            queue.addStopMarker();
            queue.addPlan(plan(2), {}, {QStringLiteral("delay_s=0.5")});
            QVERIFY(queue.startNext());
            queue.setRunningFile(QStringLiteral("/data/00001_count.h5"));
            QueueFile file(state.path(), QStringLiteral("/labs/optics.toml"));
            QCOMPARE(file.save(queue.items()), QString());
            saved = queue.items();
        }
        QueueFile file(state.path(), QStringLiteral("/labs/optics.toml"));
        const QueueFile::Loaded loaded = file.load();
        QCOMPARE(loaded.warning, QString());
        QCOMPARE(loaded.items, saved);
        RunQueue queue;
        queue.restore(loaded.items);
        QCOMPARE(toString(queue.items()[0].state), toString(QueueItem::State::Interrupted));
        QCOMPARE(queue.items()[0].file, QStringLiteral("/data/00001_count.h5"));
        QCOMPARE(queue.items()[0].planPath, QStringLiteral("/plans/one.toml"));
        QVERIFY(!queue.running());
        QVERIFY(!queue.startNext()); // the stop marker comes first
        QCOMPARE(queue.startNext()->overrides, QStringList{QStringLiteral("delay_s=0.5")});
    }

    void labsWithTheSameFileNameKeepDifferentQueues()
    {
        QTemporaryDir state;
        QueueFile one(state.path(), QStringLiteral("/a/lab.toml"));
        QueueFile two(state.path(), QStringLiteral("/b/lab.toml"));
        QVERIFY(one.path() != two.path());
        QVERIFY(one.path().contains(QStringLiteral("/queues/lab-")));
        QCOMPARE(QueueFile(state.path(), QStringLiteral("/a/lab.toml")).path(), one.path());
    }

    void anUnreadableQueueFileIsSetAsideNotLost()
    {
        QTemporaryDir state;
        QueueFile file(state.path(), QStringLiteral("/labs/optics.toml"));
        QCOMPARE(file.save({}), QString());
        {
            QFile f(file.path());
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{ \"benchtop_queue_version\": 1, \"items\": [ {\"uid\": ");
        }
        const QueueFile::Loaded loaded = file.load();
        QVERIFY(loaded.items.isEmpty());
        QVERIFY2(loaded.warning.contains(QStringLiteral("could not be read"))
                && loaded.warning.contains(QStringLiteral(".corrupt-")),
            qPrintable(loaded.warning));
        QVERIFY(!QFile::exists(file.path()));
        const QStringList aside = QDir(QFileInfo(file.path()).absolutePath())
                                      .entryList({QStringLiteral("*.corrupt-*")});
        QCOMPARE(aside.size(), 1);
        // Items whose fields make no sense are refused the same way.
        QString error;
        QVERIFY(QueueFile::fromJson(
            R"({"benchtop_queue_version": 1, "items": [{"uid": "x", "kind": "dance", "state": "waiting"}]})",
            &error)
                    .isEmpty());
        QVERIFY2(error.contains(QStringLiteral("item 1")), qPrintable(error));
        QVERIFY(QueueFile::fromJson(R"({"benchtop_queue_version": 7, "items": []})", &error)
                    .isEmpty());
        QVERIFY2(error.contains(QStringLiteral("7")), qPrintable(error));
    }

    void aSecondProcessIsToldWhoHoldsTheQueue()
    {
        QTemporaryDir state;
        QueueFile mine(state.path(), QStringLiteral("/labs/optics.toml"));
        QVERIFY(mine.lock());
        QVERIFY(mine.isLocked());
        // Another process: this test binary run as a child, asked to take the same lock.
        QProcess other;
        other.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        other.start(QCoreApplication::applicationFilePath(),
            {QStringLiteral("--take-lock"), state.path()});
        QVERIFY(other.waitForFinished(20000));
        const QString said = QString::fromUtf8(other.readAllStandardOutput());
        QCOMPARE(other.exitCode(), 1);
        QVERIFY2(said.contains(QStringLiteral("pid %1").arg(QCoreApplication::applicationPid())),
            qPrintable(said));
    }

    void aLockLeftByADeadProcessIsTakenOver()
    {
        QTemporaryDir state;
        QProcess other;
        other.start(QCoreApplication::applicationFilePath(),
            {QStringLiteral("--take-lock-and-crash"), state.path()});
        QVERIFY(other.waitForFinished(20000));
        QCOMPARE(other.exitStatus(), QProcess::CrashExit);
        QueueFile mine(state.path(), QStringLiteral("/labs/optics.toml"));
        QVERIFY(QFile::exists(mine.path() + QStringLiteral(".lock")));
        QVERIFY2(mine.lock(), qPrintable(mine.holder()));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    // The other process of the lock tests.
    if (args.size() == 3 && args[1].startsWith(QLatin1String("--take-lock"))) {
        QueueFile file(args[2], QStringLiteral("/labs/optics.toml"));
        const bool locked = file.lock();
        if (args[1] == QLatin1String("--take-lock-and-crash") && locked)
            std::abort();
        std::printf("%s\n", qPrintable(locked ? QStringLiteral("locked") : file.holder()));
        return locked ? 0 : 1;
    }
    TestRunQueue test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_runqueue.moc"
