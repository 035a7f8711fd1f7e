// SPDX-License-Identifier: MIT
// `benchtop-run` as a user runs it from a shell: a plan on a lab of sim devices, its files, its
// exit codes, Ctrl+C once (stop after the point) and twice (abort), and what it refuses.
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Benchtop;
using namespace Benchtop::Test;

namespace {

const QByteArray kLab = R"(
[stage]
driver = "sim-motor"
speed = 1000.0
acceleration = 100000.0
limits = [-10.0, 10.0]

[meter]
driver = "sim-sensor"
channels = ["voltage"]
integration_ms = 1
)";

const QByteArray kScan = R"(
kind = "scan"
detectors = ["meter"]

[[axis]]
device = "stage"
start = 0.0
stop = 4.0
points = 5

[metadata]
sample = "Si-3"
)";

class BenchtopRun {
public:
    explicit BenchtopRun(const QTemporaryDir &dir)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BENCHTOP_STATE_DIR"), dir.filePath(QStringLiteral("state")));
        env.insert(QStringLiteral("BENCHTOP_DATA_DIR"), dir.filePath(QStringLiteral("data")));
        process.setProcessEnvironment(env);
    }
    ~BenchtopRun()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    }
    void start(const QStringList &arguments)
    {
        process.start(QStringLiteral(BENCHTOP_RUN), arguments);
        process.waitForStarted();
    }
    /// Runs to the end; the exit code (-1: did not exit in time, -2: crashed).
    int run(const QStringList &arguments, int limitMs = 60'000)
    {
        start(arguments);
        if (!process.waitForFinished(limitMs))
            return -1;
        out = QString::fromLocal8Bit(process.readAllStandardOutput());
        err += QString::fromLocal8Bit(process.readAllStandardError());
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    }
    bool says(const QString &text, int limitMs = 20'000)
    {
        return QTest::qWaitFor(
            [&] {
                err += QString::fromLocal8Bit(process.readAllStandardError());
                return err.contains(text);
            },
            limitMs);
    }
    int exitCode(int limitMs = 30'000)
    {
        // waitForFinished() is false for a process that already finished while says() ran the
        // event loop.
        if (process.state() != QProcess::NotRunning && !process.waitForFinished(limitMs))
            return -1;
        out = QString::fromLocal8Bit(process.readAllStandardOutput());
        err += QString::fromLocal8Bit(process.readAllStandardError());
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    }

    QProcess process;
    QString out;
    QString err;
};

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

/// Every file under `folder`, relative to it.
QStringList filesUnder(const QString &folder)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(folder).relativeFilePath(it.next());
    files.sort();
    return files;
}

/// The data rows of a run's CSV: its lines that are neither comments nor the header.
QList<QStringList> csvRows(const QString &path, QStringList *header = nullptr)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QStringList> rows;
    bool headerSeen = false;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QStringList cells = QString::fromUtf8(line).split(QLatin1Char(','));
        if (!headerSeen) {
            headerSeen = true;
            if (header)
                *header = cells;
            continue;
        }
        rows << cells;
    }
    return rows;
}

} // namespace

class TestBenchtopRun : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aScanRunsToTheEndAndSaysWhereItsFilesAre()
    {
        QTemporaryDir dir;
        const QString lab = write(dir, QStringLiteral("lab.toml"), kLab);
        const QString plan = write(dir, QStringLiteral("scan.toml"), kScan);
        const QString out = dir.filePath(QStringLiteral("out"));
        BenchtopRun run(dir);
        QCOMPARE(run.run({QStringLiteral("--lab"), lab, QStringLiteral("--out"), out, plan}), 0);
        const QStringList printed = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(printed.size(), 3);
        QVERIFY2(printed[0].endsWith(QLatin1String(".h5")), qPrintable(run.out));
        QVERIFY(printed[1].endsWith(QLatin1String(".csv")));
        QVERIFY(printed[2].endsWith(QLatin1String(".jsonl")));
        for (const QString &file : printed) {
            QVERIFY2(file.startsWith(out), qPrintable(file));
            QVERIFY(QFile::exists(file));
        }
        // The default name: {date}/{scan_id:05d}_{kind}_{sample}.
        QVERIFY2(printed[0].endsWith(QLatin1String("00001_scan_Si-3.h5")), qPrintable(printed[0]));
        QStringList header;
        const QList<QStringList> rows = csvRows(printed[1], &header);
        QCOMPARE(rows.size(), 5);
        const int stage = int(header.indexOf(QStringLiteral("stage")));
        QVERIFY2(stage >= 0, qPrintable(header.join(QLatin1Char(','))));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(rows[i][stage].toDouble(), double(i));
        QVERIFY2(run.err.contains(QStringLiteral("success (completed), 5 points")), qPrintable(run.err));
    }

    void setOverridesAPlanKeyAndTheNextScanIdIsTaken()
    {
        QTemporaryDir dir;
        const QString lab = write(dir, QStringLiteral("lab.toml"), kLab);
        const QString plan = write(dir, QStringLiteral("scan.toml"), kScan);
        const QString out = dir.filePath(QStringLiteral("out"));
        BenchtopRun first(dir);
        QCOMPARE(first.run({QStringLiteral("--lab"), lab, QStringLiteral("--out"), out, plan}), 0);
        BenchtopRun second(dir);
        QCOMPARE(second.run({QStringLiteral("--lab"), lab, QStringLiteral("--out"), out,
                     QStringLiteral("--set"), QStringLiteral("metadata.sample=\"Ge-1\""), plan}),
            0);
        QVERIFY2(second.out.contains(QStringLiteral("00002_scan_Ge-1.h5")), qPrintable(second.out));
    }

    void aPlanWithErrorsMovesNothingAndLeavesNoFile()
    {
        QTemporaryDir dir;
        const QString lab = write(dir, QStringLiteral("lab.toml"), kLab);
        const QString plan = write(dir, QStringLiteral("bad.toml"),
            QByteArray(kScan).replace("detectors = [\"meter\"]", "detectors = [\"metre\"]"));
        const QString out = dir.filePath(QStringLiteral("out"));
        BenchtopRun run(dir);
        QCOMPARE(run.run({QStringLiteral("--lab"), lab, QStringLiteral("--out"), out, plan}), 1);
        QVERIFY2(run.err.contains(plan + QStringLiteral(":3:")), qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("meter")), qPrintable(run.err)); // did you mean
        QCOMPARE(filesUnder(out), QStringList());
        QCOMPARE(run.out, QString());
    }

    void checkSaysThePointsTheAxisRangeAndTheDuration()
    {
        QTemporaryDir dir;
        const QString lab = write(dir, QStringLiteral("lab.toml"), kLab);
        const QString plan = write(dir, QStringLiteral("scan.toml"), kScan);
        BenchtopRun run(dir);
        QCOMPARE(run.run({QStringLiteral("--lab"), lab, QStringLiteral("--check"), plan}), 0);
        QVERIFY2(run.out.contains(QStringLiteral("points: 5")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("axis stage: 0 to 4")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("estimated duration:")), qPrintable(run.out));
        QCOMPARE(filesUnder(dir.filePath(QStringLiteral("data"))), QStringList());

        // Points not known in advance: the range the plan gives.
        const QString adaptive = write(dir, QStringLiteral("adaptive.toml"),
            "kind = \"adaptive_scan\"\ndetectors = [\"meter\"]\ntarget = \"meter.voltage\"\n"
            "min_step = 0.1\nmax_step = 1.0\ntarget_delta = 0.05\n"
            "[[axis]]\ndevice = \"stage\"\nstart = -2.0\nstop = 3.0\n");
        BenchtopRun check(dir);
        QCOMPARE(check.run({QStringLiteral("--lab"), lab, QStringLiteral("--check"), adaptive}), 0);
        QVERIFY2(check.out.contains(QStringLiteral("points: not known in advance")), qPrintable(check.out));
        QVERIFY2(check.out.contains(QStringLiteral("axis stage: -2 to 3")), qPrintable(check.out + check.err));
    }

    void usageMistakesExitWith2()
    {
        QTemporaryDir dir;
        const QString plan = write(dir, QStringLiteral("scan.toml"), kScan);
        BenchtopRun noLab(dir);
        QCOMPARE(noLab.run({plan}), 2);
        QVERIFY(noLab.err.contains(QStringLiteral("--lab")));
        BenchtopRun badSet(dir);
        QCOMPARE(badSet.run({QStringLiteral("--lab"), plan, QStringLiteral("--set"),
                     QStringLiteral("points"), plan}),
            2);
        QVERIFY(badSet.err.contains(QStringLiteral("KEY=VALUE")));
    }

    void aDataFolderThatCannotBeMadeRefusesTheRun()
    {
        QTemporaryDir dir;
        const QString lab = write(dir, QStringLiteral("lab.toml"), kLab);
        const QString plan = write(dir, QStringLiteral("scan.toml"), kScan);
        // A file where the folder should be: not even root can make a folder in it.
        const QString blocker = write(dir, QStringLiteral("blocker"), "not a folder");
        BenchtopRun run(dir);
        QCOMPARE(run.run({QStringLiteral("--lab"), lab, QStringLiteral("--out"),
                     blocker + QStringLiteral("/data"), plan}),
            1);
        QVERIFY2(run.err.contains(blocker), qPrintable(run.err));
    }

    void ctrlCOnceStopsAfterThePointInFlight()
    {
        QTemporaryDir dir;
        const QString lab = write(dir, QStringLiteral("lab.toml"), kLab);
        const QString plan = write(dir, QStringLiteral("count.toml"),
            "kind = \"count\"\ndetectors = [\"meter\"]\ndelay_s = 0.02\n"); // until stopped
        const QString out = dir.filePath(QStringLiteral("out"));
        BenchtopRun run(dir);
        run.start({QStringLiteral("--lab"), lab, QStringLiteral("--out"), out, plan});
        QVERIFY2(run.says(QStringLiteral("writing ")), qPrintable(run.err));
        QTest::qWait(300); // a few points
        ::kill(pid_t(run.process.processId()), SIGINT);
        QCOMPARE(run.exitCode(), 4);
        QVERIFY2(run.err.contains(QStringLiteral("success (stopped)")), qPrintable(run.err));
        const QStringList printed = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(printed.size(), 3);
        QVERIFY(csvRows(printed[1]).size() >= 1);
    }

    void ctrlCTwiceAborts()
    {
        QTemporaryDir dir;
        // Slow points (3 s each), so the second Ctrl+C comes while the first still waits for
        // the point in flight.
        const QString lab = write(dir, QStringLiteral("lab.toml"),
            QByteArray(kLab).replace("integration_ms = 1", "integration_ms = 3000"));
        const QString plan = write(dir, QStringLiteral("count.toml"),
            "kind = \"count\"\ndetectors = [\"meter\"]\n");
        const QString out = dir.filePath(QStringLiteral("out"));
        BenchtopRun run(dir);
        run.start({QStringLiteral("--lab"), lab, QStringLiteral("--out"), out, plan});
        QVERIFY2(run.says(QStringLiteral("writing ")), qPrintable(run.err));
        ::kill(pid_t(run.process.processId()), SIGINT);
        QVERIFY2(run.says(QStringLiteral("stopping after this point")), qPrintable(run.err));
        ::kill(pid_t(run.process.processId()), SIGINT);
        QCOMPARE(run.exitCode(), 3);
        QVERIFY2(run.err.contains(QStringLiteral("abort")), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestBenchtopRun)
#include "tst_benchtoprun.moc"
