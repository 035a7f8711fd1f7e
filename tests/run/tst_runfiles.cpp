// SPDX-License-Identifier: MIT
// Run files: the RAII layer over HDF5's C API, the NeXus writer's layout checked from Python
// with h5py and with h5dump, the CSV and journal writers, the writer thread, a concurrent SWMR
// reader, kill -9 of a writing process, a full disk, refused data folders, continuing a run.
#include "runsamples.h"

#include <async/tsan_p.h>
#include <run/csvwriter.h>
#include <run/documentjson.h>
#include <run/foldercheck.h>
#include <run/hdf5/h5dataset.h>
#include <run/hdf5/h5error.h>
#include <run/hdf5/h5file.h>
#include <run/journalwriter.h>
#include <run/nexuswriter.h>
#include <run/runcontinuation.h>
#include <run/runwriter.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace Benchtop;
using namespace Benchtop::Run;

namespace {

struct ProcessResult {
    int exitCode = -1;
    QByteArray output;
};

// ThreadSanitizer (clang 14) stops at the clone() with which QProcess starts a process from a
// threaded program ("CHECK failed: tsan_rtl.cpp:234"). Under it the checks made by other
// processes (h5py, hdf5-tools, a child writer) are skipped; the writer's threads are what the
// TSan run is for, and they still run.
constexpr bool kProcesses = !BENCHTOP_TSAN;
#define SKIP_WITHOUT_PROCESSES()                                                                   \
    do {                                                                                           \
        if (!kProcesses)                                                                           \
            QSKIP("starts processes, which ThreadSanitizer cannot follow");                        \
    } while (false)

/// Runs a program to its end; under TSan, does not and reports success with no output.
ProcessResult runProcess(
    const QString &program, const QStringList &arguments, int timeoutMs = 60000)
{
    if (!kProcesses)
        return {0, {}};
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {-1, process.readAll() + "\n(timed out)"};
    }
    return {
        process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAll()};
}

ProcessResult check(const QStringList &arguments, int timeoutMs = 60000)
{
    return runProcess(QStringLiteral("/usr/bin/python3"),
        QStringList{QStringLiteral(BENCHTOP_RUN_CHECK_SCRIPT)} + arguments, timeoutMs);
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

double now()
{
    return QDateTime::currentMSecsSinceEpoch() / 1000.0;
}

/// The counter run with a 1024-point spectrum per point (8 kB a point), to fill a disk.
Run::Descriptor spectrumDescriptor()
{
    Run::Descriptor d = Test::counterDescriptor();
    Run::DataKey spectrum;
    spectrum.name = QStringLiteral("spectrum");
    spectrum.dtype = QStringLiteral("array");
    spectrum.shape = {1024};
    spectrum.role = QStringLiteral("detector");
    d.dataKeys.append(spectrum);
    return d;
}

Run::Event spectrumEvent(qint64 seq)
{
    Run::Event e = Test::counterEvent(seq, now());
    e.data.push_back(QVariant::fromValue(QList<double>(1024, double(seq))));
    e.timestamps.push_back(e.time);
    return e;
}

/// Posts counter events from a thread of its own, as the engine does from the device thread:
/// `batch` points, then a pause of `pause`, until stopped.
class Poster {
public:
    Poster(RunWriter &writer, bool spectrum, int batch, std::chrono::microseconds pause)
    {
        writer.post(Test::counterStart(now()));
        writer.post(spectrum ? spectrumDescriptor() : Test::counterDescriptor());
        m_thread = std::thread([this, &writer, spectrum, batch, pause] {
            while (!m_stop.load()) {
                for (int i = 0; i < batch; ++i) {
                    const qint64 seq = ++m_posted;
                    writer.post(spectrum ? spectrumEvent(seq) : Test::counterEvent(seq, now()));
                }
                std::this_thread::sleep_for(pause); // the pace of a device, not a wait
            }
        });
    }
    ~Poster() { stop(); }
    qint64 stop()
    {
        m_stop.store(true);
        if (m_thread.joinable())
            m_thread.join();
        return m_posted.load();
    }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_posted{0};
    std::thread m_thread;
};

/// The child of the crash and full-disk tests: writes a counter run to STEM until killed, or
/// until a file fails (then prints "failed: MESSAGE" and exits 3). Prints "committed" once the
/// first points are in the HDF5 file (SWMR has started). With --fsize, RLIMIT_FSIZE caps the
/// files (a full disk without root).
int childWriter(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    const QString stem = arguments.value(2);
    const int fsize = arguments.indexOf(QStringLiteral("--fsize"));
    if (fsize > 0) {
        std::signal(SIGXFSZ, SIG_IGN); // a write past the limit fails with EFBIG instead
        const rlim_t bytes = arguments.value(fsize + 1).toULongLong();
        const rlimit limit{bytes, bytes};
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    const bool spectrum = arguments.contains(QStringLiteral("--spectrum"));
    RunWriter writer;
    RunWriter::Options options;
    options.reserveBytes = 0;
    const QString refused = writer.start(stem, options);
    if (!refused.isEmpty()) {
        std::printf("refused: %s\n", qPrintable(refused));
        return 2;
    }
    QObject::connect(&writer, &RunWriter::failed, &app, [](const QString &message) {
        std::printf("failed: %s\n", qPrintable(message));
        std::fflush(stdout);
        std::_Exit(3);
    });
    // A spectrum run at 2 MB/s (a full disk is reached over many flushes), else 10,000
    // points/s.
    Poster poster(writer, spectrum, 5,
        spectrum ? std::chrono::microseconds(20000) : std::chrono::microseconds(500));
    QTimer watch;
    QObject::connect(&watch, &QTimer::timeout, &app, [&] {
        if (writer.committed() > 0) {
            std::printf("committed\n");
            std::fflush(stdout);
            watch.stop();
        }
    });
    watch.start(2);
    return app.exec();
}

/// A small tmpfs mounted for a test (needs root); unmounted when destroyed.
class SmallTmpfs {
public:
    SmallTmpfs(const QString &path, const char *options)
        : m_path(path)
    {
        QDir().mkpath(path);
        m_mounted = geteuid() == 0
            && ::mount("tmpfs", QFile::encodeName(path).constData(), "tmpfs", 0, options) == 0;
    }
    ~SmallTmpfs()
    {
        if (m_mounted)
            ::umount2(QFile::encodeName(m_path).constData(), MNT_DETACH);
    }
    bool isMounted() const { return m_mounted; }

private:
    QString m_path;
    bool m_mounted = false;
};

} // namespace

class TestRunFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void h5ErrorsNameFileAndObject();
    void h5AppendsRowsAndReadsThemBack();
    void nexusLayoutReadsBackWithH5py();
    void nexusKeepsKeysNamedAsItsOwnDatasets();
    void csvHasHeaderAndScalarColumns();
    void journalReplaysIntoTheSameFile();
    void journalEventLinesAreTheDocumentsJson();
    void runWriterWritesTheThreeFilesFromAnotherThread();
    void dataFolderUnwritableIsRefused();
    void dataFolderOnANetworkFilesystemIsRefused_data();
    void dataFolderOnANetworkFilesystemIsRefused();
    void fullDiskIsReportedLowBeforeItFails();
    void swmrReaderFollowsAWritingRun();
    void killedWriterLosesAtMostAFlushAndContinues();
    void anEndedRunIsNotContinued();

private:
    QTemporaryDir m_dir;
};

void TestRunFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // What the layout check compares the files' plan and lab with, byte for byte.
    writeFile(m_dir.filePath(QStringLiteral("grid.toml")), Test::kGridPlan);
    writeFile(m_dir.filePath(QStringLiteral("lab.toml")), Test::kGridLab);
    if (!QFile::exists(QStringLiteral("/usr/bin/h5dump")))
        QFAIL("hdf5-tools is missing: scripts/install-deps installs it");
    QCOMPARE(runProcess(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"), QStringLiteral("import h5py")})
                 .exitCode,
        0);
}

void TestRunFiles::h5ErrorsNameFileAndObject()
{
    const QString path = m_dir.filePath(QStringLiteral("errors.h5"));
    H5::File file = H5::File::create(path);
    H5::Node entry = file.createGroup(QStringLiteral("entry"), QStringLiteral("NXentry"));
    // Never overwritten: a second create of the same path fails, naming it.
    try {
        H5::File::create(path);
        QFAIL("an existing file was overwritten");
    } catch (const H5::Error &error) {
        QVERIFY2(error.message().startsWith(path + QStringLiteral(": could not create the file")),
            qPrintable(error.message()));
    }
    try {
        file.createGroup(QStringLiteral("entry"));
        QFAIL("a group was made twice");
    } catch (const H5::Error &error) {
        // The file, the object, what failed, and HDF5's reason without its stack dump.
        QVERIFY2(error.message().startsWith(
                     path + QStringLiteral(": /entry: could not create the group: ")),
            qPrintable(error.message()));
        QVERIFY2(error.message().contains(QStringLiteral("already exists")),
            qPrintable(error.message()));
    }
    try {
        entry.openDataset(QStringLiteral("missing"));
        QFAIL("a missing dataset opened");
    } catch (const H5::Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("/entry/missing")),
            qPrintable(error.message()));
    }
    try {
        H5::File::openForReading(m_dir.filePath(QStringLiteral("absent.h5")));
        QFAIL("an absent file opened");
    } catch (const H5::Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("absent.h5: could not open the file")),
            qPrintable(error.message()));
    }
}

void TestRunFiles::h5AppendsRowsAndReadsThemBack()
{
    const QString path = m_dir.filePath(QStringLiteral("append.h5"));
    {
        H5::File file = H5::File::create(path);
        file.setAttribute(QStringLiteral("note"), QStringLiteral("héllo"));
        file.setAttribute(
            QStringLiteral("list"), QStringList{QStringLiteral("a"), QStringLiteral("b")});
        file.setAttribute(QStringLiteral("answer"), qint64(42));
        H5::Dataset rows
            = file.createAppendable(QStringLiteral("rows"), H5::ElementType::float64(), {2});
        H5::Dataset status = file.createFixedString(QStringLiteral("status"), 16, QString());
        file.startSwmrWrite();
        const double first[] = {1, 2, 3, 4};
        rows.append(first, 2);
        const double second[] = {5, 6};
        rows.append(second, 1);
        QCOMPARE(rows.rows(), 3);
        QCOMPARE(rows.rowElements(), 2);
        // Longer than its 16 bytes: cut at a character boundary, never inside "é".
        status.writeFixedString(QStringLiteral("ééééééééé"));
        file.flush();
        file.close();
    }
    H5::File file = H5::File::openForReading(path);
    QCOMPARE(file.stringAttribute(QStringLiteral("note")), QStringLiteral("héllo"));
    QCOMPARE(file.openDataset(QStringLiteral("rows")).readDoubles(),
        (std::vector<double>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(QString::fromUtf8(file.openDataset(QStringLiteral("status")).readStringBytes()),
        QStringLiteral("éééééééé"));
}

void TestRunFiles::nexusLayoutReadsBackWithH5py()
{
    const QString path = m_dir.filePath(QStringLiteral("grid.h5"));
    {
        NexusWriter writer(path);
        int n = 0;
        for (const Document &document : Test::gridRun()) {
            writer.add(document);
            if (++n % 3 == 0)
                writer.flush();
        }
        QVERIFY(writer.isClosed());
        QCOMPARE(writer.committed(), 12);
        QCOMPARE(writer.takeProblems(), QStringList());
    }
    const ProcessResult layout = check({QStringLiteral("layout"), path,
        m_dir.filePath(QStringLiteral("grid.toml")), m_dir.filePath(QStringLiteral("lab.toml"))});
    QVERIFY2(layout.exitCode == 0, layout.output.constData());
    const ProcessResult dump
        = runProcess(QStringLiteral("/usr/bin/h5dump"), {QStringLiteral("-H"), path});
    QVERIFY2(dump.exitCode == 0, dump.output.constData());
    if (kProcesses) {
        QVERIFY(dump.output.contains("GROUP \"instrument\""));
        QVERIFY(dump.output.contains("DATASET \"meter.spectrum\""));
    }
}

void TestRunFiles::nexusKeepsKeysNamedAsItsOwnDatasets()
{
    const QString path = m_dir.filePath(QStringLiteral("names.h5"));
    Descriptor descriptor = Test::counterDescriptor();
    descriptor.dataKeys[0].name = QStringLiteral("time");
    descriptor.dataKeys[1].name = QStringLiteral("a/b");
    {
        NexusWriter writer(path);
        writer.add(Test::counterStart(1.8e9));
        writer.add(descriptor);
        writer.add(Test::counterEvent(1, 1.8e9 + 1));
        writer.add(Test::counterStop(1.8e9 + 2, 1));
        QCOMPARE(writer.committed(), 1);
    }
    const H5::File file = H5::File::openForReading(path);
    const H5::Node data = file.openGroup(QStringLiteral("entry")).openGroup(QStringLiteral("data"));
    QCOMPARE(data.childNames(),
        (QStringList{QStringLiteral("a_b"), QStringLiteral("seq_num"), QStringLiteral("time"),
            QStringLiteral("time_value")}));
    QCOMPARE(
        data.openDataset(QStringLiteral("time_value")).readDoubles(), std::vector<double>{0.5});
    QCOMPARE(
        data.openDataset(QStringLiteral("time")).readDoubles(), std::vector<double>{1.8e9 + 1});
    QCOMPARE(data.stringAttribute(QStringLiteral("signal")), QStringLiteral("time_value"));
}

void TestRunFiles::csvHasHeaderAndScalarColumns()
{
    const QString path = m_dir.filePath(QStringLiteral("grid.csv"));
    {
        CsvWriter writer(path);
        int n = 0;
        for (const Document &document : Test::gridRun()) {
            writer.add(document);
            if (++n % 5 == 0)
                writer.flush();
        }
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QByteArray plan;
    QList<QByteArray> rows;
    QByteArray columns;
    for (const QByteArray &line : lines) {
        if (line.startsWith("# plan | "))
            plan += line.mid(9) + '\n';
        else if (line.startsWith('#'))
            continue;
        else if (columns.isEmpty())
            columns = line;
        else if (!line.isEmpty())
            rows.append(line);
    }
    QCOMPARE(plan, Test::kGridPlan);
    QVERIFY(lines.contains("# metadata.sample: Quartz ß"));
    QVERIFY(lines.contains("# units: ,s,mm,mm,V,,,"));
    QCOMPARE(columns,
        QByteArray("seq_num,time,stage-y,stage-x,meter.voltage,meter.count,wheel.slot,meter.ok"));
    QCOMPARE(rows.size(), 12);
    // Point 5: row 1 (snaked), x = 13 - 1 = 12; voltage 12 * 0.5 + 1 = 7; slot 5 % 3 = blue.
    QCOMPARE(rows[5], QByteArray("6,1800000006.000000,1,12,7,25,blue,0"));
}

void TestRunFiles::journalReplaysIntoTheSameFile()
{
    const QString journal = m_dir.filePath(QStringLiteral("replay.jsonl"));
    {
        JournalWriter writer(journal);
        for (const Document &document : Test::gridRun())
            writer.add(document);
    }
    QFile file(journal);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 20); // 19 documents and the empty rest after the last newline
    const QString path = m_dir.filePath(QStringLiteral("replayed.h5"));
    {
        NexusWriter writer(path);
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            QString error;
            const std::optional<Document> document = documentFromJsonLine(line, &error);
            QVERIFY2(document, qPrintable(error));
            writer.add(*document);
        }
        QCOMPARE(writer.committed(), 12);
    }
    const ProcessResult layout = check({QStringLiteral("layout"), path,
        m_dir.filePath(QStringLiteral("grid.toml")), m_dir.filePath(QStringLiteral("lab.toml"))});
    QVERIFY2(layout.exitCode == 0, layout.output.constData());
}

void TestRunFiles::journalEventLinesAreTheDocumentsJson()
{
    Event e = Test::gridEvent(5, 1.8e9 + 0.125);
    e.data.push_back(QStringLiteral("quote \" backslash \\ tab \t newline \n bell \a ß ✓"));
    e.data.push_back(std::numeric_limits<double>::quiet_NaN());
    e.data.push_back(QVariant());
    e.data.push_back(QVariantMap{{QStringLiteral("k"), 1.5}});
    e.data.push_back(qint64(-9007199254740993LL / 1000));
    e.data.push_back(0.1 + 0.2);
    const QByteArray line = documentToJsonLine(e);
    QVERIFY(line.endsWith("}]\n"));
    QCOMPARE(line.count('\n'), 1);
    QJsonParseError error;
    const QJsonDocument parsed = QJsonDocument::fromJson(line, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(parsed.array(), documentToJson(e));
    const std::optional<Document> back = documentFromJsonLine(line);
    QVERIFY(back);
    const Event &event = std::get<Event>(*back);
    QCOMPARE(event.seqNum, 6);
    QCOMPARE(event.time, 1.8e9 + 0.125);
    QCOMPARE(event.data[7].toString(), e.data[7].toString());
    QCOMPARE(event.data[12].toDouble(), 0.1 + 0.2);
    QCOMPARE(event.gridIndex, e.gridIndex);
}

void TestRunFiles::runWriterWritesTheThreeFilesFromAnotherThread()
{
    const QString stem = m_dir.filePath(QStringLiteral("2027-01-15/00042_grid_scan_quartz"));
    RunWriter writer;
    QSignalSpy finished(&writer, &RunWriter::finished);
    QSignalSpy failed(&writer, &RunWriter::failed);
    QSignalSpy problems(&writer, &RunWriter::problem);
    QCOMPARE(writer.start(stem), QString());
    std::thread engine([&writer] {
        for (Document &document : Test::gridRun())
            writer.post(std::move(document));
    });
    engine.join();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(problems.count(), 0);
    QCOMPARE(writer.committed(), 12);
    const ProcessResult layout = check({QStringLiteral("layout"), writer.h5Path(),
        m_dir.filePath(QStringLiteral("grid.toml")), m_dir.filePath(QStringLiteral("lab.toml"))});
    QVERIFY2(layout.exitCode == 0, layout.output.constData());
    QFile csv(writer.csvPath());
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().count(",18000000"), 12);
    QFile journal(writer.journalPath());
    QVERIFY(journal.open(QIODevice::ReadOnly));
    QCOMPARE(journal.readAll().count('\n'), 19);

    // Never overwritten: a second run on the same stem is refused before anything is made.
    RunWriter again;
    QVERIFY2(again.start(stem).contains(QStringLiteral("never overwritten")), "overwrote a run");
}

void TestRunFiles::dataFolderUnwritableIsRefused()
{
    // A folder that cannot be made (a file is in the way).
    writeFile(m_dir.filePath(QStringLiteral("a-file")), "x");
    const QString cannotMake = m_dir.filePath(QStringLiteral("a-file/data"));
    QVERIFY(FolderCheck::check(cannotMake).contains(QStringLiteral("cannot be made")));
    RunWriter writer;
    QVERIFY(writer.start(cannotMake + QStringLiteral("/run"))
                .contains(QStringLiteral("cannot be made")));

    // A folder that exists but takes no file: read-only for a user, a read-only mount for root
    // (whom permission bits do not stop).
    const QString readOnly = m_dir.filePath(QStringLiteral("read-only"));
    SmallTmpfs mount(readOnly, "size=64k");
    if (mount.isMounted()) {
        QVERIFY(::mount("tmpfs", QFile::encodeName(readOnly).constData(), "tmpfs",
                    MS_REMOUNT | MS_RDONLY, "size=64k")
            == 0);
    } else {
        QVERIFY(QFile::setPermissions(readOnly, QFile::ReadOwner | QFile::ExeOwner));
        if (geteuid() == 0)
            QSKIP("root without mount(2): no folder is unwritable to it");
    }
    const QString refusal = writer.start(readOnly + QStringLiteral("/run"));
    QVERIFY2(refusal.contains(QStringLiteral("is not writable")), qPrintable(refusal));
    QVERIFY(!QFile::exists(readOnly + QStringLiteral("/run.h5")));
}

void TestRunFiles::dataFolderOnANetworkFilesystemIsRefused_data()
{
    QTest::addColumn<qulonglong>("type");
    QTest::addColumn<QString>("name");
    QTest::newRow("nfs") << 0x6969ULL << QStringLiteral("NFS");
    QTest::newRow("cifs") << 0xFF534D42ULL << QStringLiteral("CIFS/SMB");
    QTest::newRow("smb2") << 0xFE534D42ULL << QStringLiteral("CIFS/SMB");
    QTest::newRow("fuse") << 0x65735546ULL << QStringLiteral("FUSE (sshfs, rclone, ...)");
    QTest::newRow("ceph") << 0x00C36400ULL << QStringLiteral("Ceph");
    QTest::newRow("ext4") << 0xEF53ULL << QString();
    QTest::newRow("tmpfs") << 0x01021994ULL << QString();
    QTest::newRow("xfs") << 0x58465342ULL << QString();
    QTest::newRow("btrfs") << 0x9123683EULL << QString();
}

void TestRunFiles::dataFolderOnANetworkFilesystemIsRefused()
{
    QFETCH(qulonglong, type);
    QFETCH(QString, name);
    QCOMPARE(FolderCheck::networkFilesystem(type), name);
    const QString refusal = FolderCheck::checkFilesystem(QStringLiteral("/mnt/lab"), type);
    if (name.isEmpty()) {
        QCOMPARE(refusal, QString());
        return;
    }
    QVERIFY2(refusal.contains(QStringLiteral("/mnt/lab is on a network filesystem (") + name),
        qPrintable(refusal));
    QVERIFY2(refusal.contains(QStringLiteral("HDF5's file locking and SWMR")), qPrintable(refusal));
    // The folder of this test is local: accepted.
    QCOMPARE(FolderCheck::check(m_dir.path()), QString());
}

void TestRunFiles::fullDiskIsReportedLowBeforeItFails()
{
    const QString folder = m_dir.filePath(QStringLiteral("small"));
    SmallTmpfs tmpfs(folder, "size=4m");
    if (!tmpfs.isMounted()) {
        // Without root: RLIMIT_FSIZE in a child process makes writes past 1 MB fail (EFBIG) as
        // a full disk does; free space cannot be faked that way, so only the failure is checked.
        qInfo("no tmpfs (not root): a full disk made with RLIMIT_FSIZE in a child process");
        SKIP_WITHOUT_PROCESSES();
        QDir().mkpath(folder);
        const ProcessResult child = runProcess(QCoreApplication::applicationFilePath(),
            {QStringLiteral("--child-writer"), folder + QStringLiteral("/full"),
                QStringLiteral("--spectrum"), QStringLiteral("--fsize"),
                QStringLiteral("1048576")});
        QVERIFY2(child.exitCode == 3, child.output.constData());
        QVERIFY2(child.output.contains("failed: " + QFile::encodeName(folder)),
            child.output.constData());
        const ProcessResult committed
            = check({QStringLiteral("committed"), folder + QStringLiteral("/full.h5")});
        QVERIFY2(committed.exitCode == 0, committed.output.constData());
        return;
    }
    qInfo("a full disk: a 4 MB tmpfs");
    const QString stem = folder + QStringLiteral("/full");
    QStringList order;
    // The receiver of the signals, destroyed before `order`: signals still queued when the
    // test ends are dropped with it rather than delivered into a later test.
    QObject receiver;
    RunWriter writer;
    connect(&writer, &RunWriter::spaceLow, &receiver, [&order](qint64 free, qint64 reserve) {
        QVERIFY(free < reserve);
        order.append(QStringLiteral("low"));
    });
    connect(&writer, &RunWriter::failed, &receiver,
        [&order](const QString &message) { order.append(QStringLiteral("failed: ") + message); });
    RunWriter::Options options;
    options.reserveBytes = 1024 * 1024;
    QCOMPARE(writer.start(stem, options), QString());
    {
        // About 2 MB/s: the reserve is reached several flushes before the disk is full.
        Poster poster(writer, true, 5, std::chrono::milliseconds(20));
        QTRY_VERIFY_WITH_TIMEOUT(order.size() >= 2, 30000);
    }
    writer.finish();
    QCOMPARE(order.first(), QStringLiteral("low"));
    QVERIFY2(order[1].startsWith(QStringLiteral("failed: ") + stem), qPrintable(order[1]));
    QVERIFY2(order[1].contains(QStringLiteral("No space left on device")), qPrintable(order[1]));
    // What was flushed before the disk filled is readable and consistent.
    const ProcessResult committed
        = check({QStringLiteral("committed"), stem + QStringLiteral(".h5")});
    QVERIFY2(committed.exitCode == 0, committed.output.constData());
    qInfo("%s points readable after the disk filled", committed.output.trimmed().constData());
}

void TestRunFiles::swmrReaderFollowsAWritingRun()
{
    SKIP_WITHOUT_PROCESSES();
    const QString stem = m_dir.filePath(QStringLiteral("followed"));
    RunWriter writer;
    QSignalSpy finished(&writer, &RunWriter::finished);
    QCOMPARE(writer.start(stem), QString());
    // The reader starts before the file exists and waits for it to open with swmr=True.
    QProcess reader;
    reader.setProcessChannelMode(QProcess::MergedChannels);
    reader.start(QStringLiteral("/usr/bin/python3"),
        {QStringLiteral(BENCHTOP_RUN_CHECK_SCRIPT), QStringLiteral("swmr-reader"), writer.h5Path(),
            QStringLiteral("60")});
    QVERIFY(reader.waitForStarted());
    qint64 posted = 0;
    {
        // 2,000 points/s, until the reader has seen the file grow for a while: the run goes on
        // as long as the reader needs to start (Python's start is slow on a busy machine).
        Poster poster(writer, false, 2, std::chrono::milliseconds(1));
        QTRY_VERIFY_WITH_TIMEOUT(writer.committed() > 0, 30000);
        QTest::qWait(1500); // the run's length while it is read: the reader polls every 10 ms
        posted = poster.stop();
    }
    writer.post(Test::counterStop(now(), posted));
    QTRY_COMPARE(finished.count(), 1);
    // The reader may have seen the end and exited while the line above ran the event loop:
    // waitForFinished() is false for a process already finished.
    QVERIFY(reader.state() == QProcess::NotRunning || reader.waitForFinished(60000));
    const QByteArray output = reader.readAll();
    QVERIFY2(reader.exitCode() == 0, output.constData());
    qInfo("%s (%lld points posted)", output.trimmed().constData(), posted);
    QCOMPARE(writer.committed(), posted);
}

void TestRunFiles::killedWriterLosesAtMostAFlushAndContinues()
{
    SKIP_WITHOUT_PROCESSES();
    auto *random = QRandomGenerator::global();
    double worstLossMs = 0;
    for (int trial = 0; trial < 20; ++trial) {
        const QString stem = m_dir.filePath(QStringLiteral("killed-%1").arg(trial));
        QProcess child;
        child.start(
            QCoreApplication::applicationFilePath(), {QStringLiteral("--child-writer"), stem});
        QVERIFY(child.waitForStarted());
        // SWMR has started once the child says "committed"; then a random moment.
        QTRY_VERIFY_WITH_TIMEOUT(child.canReadLine() || child.state() != QProcess::Running, 30000);
        QCOMPARE(child.readLine().trimmed(), QByteArray("committed"));
        QTest::qWait(int(random->bounded(10, 400)));
        const double killedAt = now();
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished());

        // It opens as it was left, with swmr=True; every committed row is whole.
        const ProcessResult swmr
            = check({QStringLiteral("committed"), stem + QStringLiteral(".h5")});
        QVERIFY2(swmr.exitCode == 0, swmr.output.constData());
        const QList<QByteArray> fields = swmr.output.trimmed().split(' ');
        const qint64 rows = fields.value(0).toLongLong();
        QVERIFY2(rows > 0, swmr.output.constData());
        // The points lost are those posted after the last flush: at most one flush interval
        // (20 ms), plus what the machine delayed the writer thread's timer by.
        const double lossMs = (killedAt - fields.value(1).toDouble()) * 1000.0;
        worstLossMs = std::max(worstLossMs, lossMs);
        QVERIFY2(lossMs <= 20 + 250,
            qPrintable(QStringLiteral("trial %1 lost %2 ms of points").arg(trial).arg(lossMs)));

        // Half the trials clear the file with h5clear -s and read it plainly; the other half
        // leave the clearing to RunContinuation.
        if (trial % 2 == 0) {
            const ProcessResult clear = runProcess(QStringLiteral("/usr/bin/h5clear"),
                {QStringLiteral("-s"), stem + QStringLiteral(".h5")});
            QVERIFY2(clear.exitCode == 0, clear.output.constData());
            const ProcessResult plain
                = check({QStringLiteral("committed-plain"), stem + QStringLiteral(".h5")});
            QVERIFY2(plain.exitCode == 0, plain.output.constData());
            QCOMPARE(plain.output, swmr.output);
        }

        // Continue: the three files cut to one point, then the rest of the run appended.
        QString error;
        const std::optional<ContinuePoint> progress = RunContinuation::prepare(stem, &error);
        QVERIFY2(progress, qPrintable(error));
        QCOMPARE(progress->committed, rows);
        QCOMPARE(progress->uid, Test::counterStart(0).uid);
        QCOMPARE(progress->planText, Test::counterStart(0).planText);
        QVERIFY(progress->start);
        QCOMPARE(progress->descriptors.size(), 1);
        RunWriter writer;
        QSignalSpy finished(&writer, &RunWriter::finished);
        QSignalSpy failed(&writer, &RunWriter::failed);
        QSignalSpy problems(&writer, &RunWriter::problem);
        RunWriter::Options options;
        options.mode = RunWriter::Mode::Continue;
        QCOMPARE(writer.start(stem, options), QString());
        writer.post(*progress->start);
        writer.post(progress->descriptors.first());
        const qint64 total = rows + 50;
        for (qint64 seq = rows + 1; seq <= total; ++seq)
            writer.post(Test::counterEvent(seq, now()));
        writer.post(Test::counterStop(now(), total));
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(problems.count(), 0);
        QCOMPARE(writer.committed(), total);

        // No seq_num missing or twice, in any of the three files; the HDF5 file closed cleanly.
        const ProcessResult done
            = check({QStringLiteral("committed-plain"), stem + QStringLiteral(".h5")});
        QVERIFY2(done.exitCode == 0, done.output.constData());
        QCOMPARE(done.output.split(' ').value(0).toLongLong(), total);
        QFile csv(stem + QStringLiteral(".csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        qint64 expected = 1;
        for (const QByteArray &line : csv.readAll().split('\n')) {
            if (line.isEmpty() || line.startsWith('#') || line.startsWith("seq_num"))
                continue;
            QCOMPARE(line.left(line.indexOf(',')).toLongLong(), expected);
            ++expected;
        }
        QCOMPARE(expected, total + 1);
        QFile journal(stem + QStringLiteral(".jsonl"));
        QVERIFY(journal.open(QIODevice::ReadOnly));
        expected = 1;
        int starts = 0;
        int stops = 0;
        for (const QByteArray &line : journal.readAll().split('\n')) {
            if (line.isEmpty())
                continue;
            const std::optional<Document> document = documentFromJsonLine(line);
            QVERIFY(document);
            if (const auto *event = std::get_if<Event>(&*document)) {
                QCOMPARE(event->seqNum, expected);
                ++expected;
            }
            starts += std::holds_alternative<RunStart>(*document);
            stops += std::holds_alternative<RunStop>(*document);
        }
        QCOMPARE(expected, total + 1);
        QCOMPARE(starts, 1);
        QCOMPARE(stops, 1);
    }
    qInfo("20 kills: at most %.1f ms of points lost", worstLossMs);
}

void TestRunFiles::anEndedRunIsNotContinued()
{
    QString error;
    const QString path = m_dir.filePath(QStringLiteral("ended.h5"));
    {
        NexusWriter writer(path);
        for (const Document &document : Test::gridRun())
            writer.add(document);
    }
    const std::optional<ContinuePoint> progress = RunContinuation::read(path, &error);
    QVERIFY2(progress, qPrintable(error));
    QCOMPARE(progress->committed, 12);
    QCOMPARE(progress->exitStatus, QStringLiteral("success"));
    QVERIFY(!RunContinuation::prepare(path, &error));
    QVERIFY2(error.contains(QStringLiteral("the run ended")), qPrintable(error));
    QVERIFY(!RunContinuation::read(m_dir.filePath(QStringLiteral("absent.h5")), &error));
    QVERIFY2(
        error.contains(QStringLiteral("absent.h5: could not open the file")), qPrintable(error));
}

int main(int argc, char **argv)
{
    if (argc > 2 && qstrcmp(argv[1], "--child-writer") == 0)
        return childWriter(argc, argv);
    QCoreApplication app(argc, argv);
    TestRunFiles test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_runfiles.moc"
