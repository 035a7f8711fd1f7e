// SPDX-License-Identifier: MIT
// Nothing saved is lost when the process dies while it saves: a process that saves a
// device's state over and over is killed with SIGKILL at a random moment, 200 times. After every
// kill the state file must parse without a warning and hold either the last state the process
// finished saving or the one it was writing, whole: never a mix, never a truncated file.
#include "testsupport.h"

#include <state/statestore.h>

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <random>

#include <signal.h>
#include <unistd.h>

using namespace Benchtop;

class TestKillDuringSave : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void aKillAtAnyMomentLeavesTheOldOrTheNewState()
    {
        QTemporaryDir dir;
        const StateStore store(dir.path());
        std::mt19937 random(20261203);
        int killedMidWay = 0; // kills after which the file held the state being written
        int killedWhileWriting = 0;
        for (int run = 0; run < 200; ++run) {
            QProcess saver;
            saver.start(QStringLiteral(BENCHTOP_STATESAVER), {dir.path()});
            QVERIFY(saver.waitForStarted(10'000));
            // At least one save done, then a random moment within the next 3 ms (a save of
            // this state takes a fraction of a millisecond, so the kills fall all over it).
            QVERIFY2(saver.waitForReadyRead(10'000), qPrintable(saver.readAllStandardError()));
            ::usleep(useconds_t(std::uniform_int_distribution<int>(0, 3000)(random)));
            ::kill(pid_t(saver.processId()), SIGKILL);
            QVERIFY(saver.waitForFinished(10'000));
            QCOMPARE(saver.exitStatus(), QProcess::CrashExit);

            const QList<QByteArray> printed = saver.readAllStandardOutput().split('\n');
            qlonglong lastDone = 0;
            for (const QByteArray &line : printed) {
                if (!line.isEmpty())
                    lastDone = line.toLongLong();
            }
            QVERIFY(lastDone > 0);
            const StateStore::Loaded loaded
                = store.load(QStringLiteral("sim-motor"), QStringLiteral("stage"));
            QVERIFY2(loaded.warning.isEmpty(), qPrintable(loaded.warning));
            const qlonglong n = loaded.state.value(QStringLiteral("n")).toLongLong();
            QVERIFY2(n == lastDone || n == lastDone + 1,
                qPrintable(QStringLiteral("run %1: the file holds state %2, the saver had "
                                          "finished %3")
                               .arg(run)
                               .arg(n)
                               .arg(lastDone)));
            killedMidWay += n == lastDone + 1 ? 1 : 0;
            // A kill during the write leaves the save's temporary copy beside the file.
            QDir folder(dir.filePath(QStringLiteral("sim-motor")));
            for (const QString &name : folder.entryList(QDir::Files | QDir::Hidden)) {
                if (name != QLatin1String("stage-state.toml")) {
                    ++killedWhileWriting;
                    QVERIFY(folder.remove(name));
                }
            }
            // Whole: every value belongs to state n.
            QCOMPARE(loaded.state.value(QStringLiteral("position")).toDouble(), double(n) / 10.0);
            const QVariantList trace = loaded.state.value(QStringLiteral("trace")).toList();
            QCOMPARE(trace.size(), 400);
            QCOMPARE(trace.last().toDouble(), double(n) + 0.399);
        }
        qInfo("200 kills: %d while the new state was being written, %d after it was in place "
              "but before the saver said so",
            killedWhileWriting, killedMidWay);
    }
};

QTEST_GUILESS_MAIN(TestKillDuringSave)
#include "tst_killduringsave.moc"
