// SPDX-License-Identifier: MIT
// RunService (core/run/runservice.h) on a lab of sim devices on its device thread: plans run one
// after another from the queue, each into files of its own; a stop marker holds the queue; the
// queue is kept in its file and a new service goes on from it; a second owner is refused; a plan
// the lab cannot run is refused before anything moves.
#include "testsupport.h"

#include <run/queuefile.h>
#include <run/runservice.h>

#include <simlab.h>

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Run;

namespace {

const QByteArray kLab = R"([stage]
driver = "sim-motor"
instant = true

[meter]
driver = "sim-sensor"
integration_ms = 1
)";

QByteArray scan(int points)
{
    return QStringLiteral("kind = \"scan\"\ndetectors = [\"meter\"]\n[[axis]]\ndevice = \"stage\"\n"
                          "start = 0.0\nstop = 1.0\npoints = %1\n")
        .arg(points)
        .toUtf8();
}

/// A RunService made on the lab's device thread, driven from the test's thread.
class Service {
public:
    Service(SimLab &lab, RunService::Options options)
        : m_lab(lab)
    {
        Lab labInfo;
        labInfo.path = lab.path();
        QFile file(lab.path());
        file.open(QIODevice::ReadOnly);
        labInfo.text = file.readAll();
        call([&] { service = new RunService(*lab.host(), labInfo, options); });
    }
    ~Service()
    {
        call([this] { delete service; });
    }
    /// Runs `fn` on the device thread and waits for it.
    template<typename Fn>
    void call(Fn fn)
    {
        QMetaObject::invokeMethod(m_lab.host(), fn, Qt::BlockingQueuedConnection);
    }
    QList<QueueItem> items()
    {
        QList<QueueItem> copy;
        call([&] { copy = service->queue().items(); });
        return copy;
    }
    QueueItem item(const QString &uid)
    {
        for (const QueueItem &item : items()) {
            if (item.uid == uid)
                return item;
        }
        return {};
    }
    bool isDone(const QString &uid) { return item(uid).state == QueueItem::State::Done; }

    RunService *service = nullptr;

private:
    SimLab &m_lab;
};

} // namespace

class TestRunService : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void queuedPlansRunOneAfterAnotherIntoFilesOfTheirOwn()
    {
        SimLab lab(kLab);
        QTemporaryDir data;
        RunService::Options options;
        options.dataFolder = data.path();
        Service runs(lab, options);
        QSignalSpy finished(runs.service, &RunService::runFinished);
        QString first, second;
        runs.call([&] {
            first = runs.service->queuePlan(scan(5), QStringLiteral("a.toml")).uid;
            second = runs.service->queuePlan(scan(7), QStringLiteral("b.toml")).uid;
        });
        QVERIFY(!first.isEmpty() && !second.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(runs.isDone(second), 20'000);
        QTRY_COMPARE(finished.size(), 2);
        const QueueItem a = runs.item(first);
        const QueueItem b = runs.item(second);
        QCOMPARE(a.exitStatus, QStringLiteral("success"));
        QCOMPARE(b.exitStatus, QStringLiteral("success"));
        QVERIFY(a.file != b.file);
        QVERIFY2(a.file.endsWith(QLatin1String("00001_scan.h5")), qPrintable(a.file));
        QVERIFY2(b.file.endsWith(QLatin1String("00002_scan.h5")), qPrintable(b.file));
        QVERIFY(QFile::exists(a.file) && QFile::exists(b.file));
        const RunStop stopA = finished.at(0).at(0).value<RunStop>();
        QCOMPARE(stopA.numEvents, 5);
        QCOMPARE(stopA.runStart, first); // the run's uid is the queue item's
        QCOMPARE(finished.at(1).at(0).value<RunStop>().numEvents, 7);
    }

    void aStopMarkerHoldsTheQueueUntilItIsStartedAgain()
    {
        SimLab lab(kLab);
        QTemporaryDir data;
        RunService::Options options;
        options.dataFolder = data.path();
        options.startAutomatically = false;
        Service runs(lab, options);
        QString first, after;
        runs.call([&] {
            first = runs.service->queuePlan(scan(3), {}).uid;
            runs.service->queue().addStopMarker();
            after = runs.service->queuePlan(scan(3), {}).uid;
        });
        QTest::qWait(100);
        QVERIFY(runs.item(first).state == QueueItem::State::Waiting); // not started by itself
        runs.call([&] { runs.service->startQueue(); });
        QTRY_VERIFY_WITH_TIMEOUT(runs.isDone(first), 20'000);
        QTest::qWait(200);
        QVERIFY(runs.item(after).state == QueueItem::State::Waiting); // held by the marker
        runs.call([&] { runs.service->startQueue(); });
        QTRY_VERIFY_WITH_TIMEOUT(runs.isDone(after), 20'000);
    }

    void theQueueIsKeptAndANewServiceGoesOnFromIt()
    {
        SimLab lab(kLab);
        QTemporaryDir data;
        QTemporaryDir state;
        RunService::Options options;
        options.dataFolder = data.path();
        options.stateDirectory = state.path();
        options.startAutomatically = false;
        QString waiting;
        {
            Service runs(lab, options);
            QString said;
            runs.call([&] {
                said = runs.service->openQueue();
                waiting = runs.service->queuePlan(scan(4), QStringLiteral("kept.toml")).uid;
            });
            QCOMPARE(said, QString());
            // Saved on the service's executor, soon after the change.
            QTRY_VERIFY(QFile::exists(QueueFile(state.path(), lab.path()).path()));
        }
        Service again(lab, options);
        QString said;
        again.call([&] { said = again.service->openQueue(); });
        QCOMPARE(said, QString());
        QCOMPARE(again.item(waiting).planPath, QStringLiteral("kept.toml"));
        QVERIFY(again.item(waiting).state == QueueItem::State::Waiting);
        again.call([&] { again.service->startQueue(); });
        QTRY_VERIFY_WITH_TIMEOUT(again.isDone(waiting), 20'000);
        QCOMPARE(again.item(waiting).exitStatus, QStringLiteral("success"));
    }

    void aQueueHeldByAnotherOwnerIsNotRunHere()
    {
        SimLab lab(kLab);
        QTemporaryDir state;
        QueueFile other(state.path(), lab.path());
        QVERIFY(other.lock()); // as another process would hold it
        RunService::Options options;
        options.stateDirectory = state.path();
        // The lock is per process (QLockFile): taken here by `other`, a second lock() of the
        // same file in this process is refused as another process's would be.
        Service runs(lab, options);
        QString said;
        bool owns = true;
        runs.call([&] {
            said = runs.service->openQueue();
            owns = runs.service->ownsQueue();
        });
        QVERIFY(!owns);
        QVERIFY2(said.contains(QStringLiteral("is held by")), qPrintable(said));
    }

    void aPlanTheLabCannotRunIsRefusedWithItsErrors()
    {
        SimLab lab(kLab);
        QTemporaryDir data;
        RunService::Options options;
        options.dataFolder = data.path();
        Service runs(lab, options);
        RunService::Queued queued;
        runs.call([&] {
            queued = runs.service->queuePlan(
                "kind = \"count\"\ndetectors = [\"stage\"]\npoints = 3\n", QStringLiteral("p.toml"));
        });
        QVERIFY(queued.uid.isEmpty());
        QVERIFY(!queued.errors.isEmpty());
        QVERIFY2(queued.errors.first().toString().startsWith(QStringLiteral("p.toml:2:")),
            qPrintable(queued.errors.first().toString()));
        QVERIFY(runs.items().isEmpty());
        QCOMPARE(QDir(data.path()).entryList(QDir::Files | QDir::NoDotAndDotDot), QStringList());
    }

    void aDataFolderThatCannotBeWrittenRefusesTheRunBeforeAnythingMoves()
    {
        SimLab lab(kLab);
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        RunService::Options options;
        options.dataFolder = blocker.fileName() + QStringLiteral("/data"); // under a file
        Service runs(lab, options);
        QSignalSpy refused(runs.service, &RunService::runRefused);
        QString uid;
        runs.call([&] { uid = runs.service->queuePlan(scan(3), {}).uid; });
        QTRY_COMPARE(refused.size(), 1);
        QCOMPARE(refused.at(0).at(0).toString(), uid);
        QVERIFY2(refused.at(0).at(1).toString().contains(blocker.fileName()),
            qPrintable(refused.at(0).at(1).toString()));
        QTRY_COMPARE(runs.item(uid).exitStatus, QStringLiteral("fail"));
    }
};

QTEST_GUILESS_MAIN(TestRunService)
#include "tst_runservice.moc"
