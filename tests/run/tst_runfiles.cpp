// SPDX-License-Identifier: MIT
// Run files: the RAII layer over HDF5's C API, the NeXus writer's layout checked from Python
// with h5py and with h5dump, the CSV and journal writers, the writer thread, a concurrent SWMR
// reader, kill -9 of a writing process, a full disk, refused data folders, continuing a run.
#include "runsamples.h"

#include <run/csvwriter.h>
#include <run/documentjson.h>
#include <run/hdf5/h5dataset.h>
#include <run/hdf5/h5error.h>
#include <run/hdf5/h5file.h>
#include <run/journalwriter.h>
#include <run/nexuswriter.h>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Run;

namespace {

struct ProcessResult {
    int exitCode = -1;
    QByteArray output;
};

ProcessResult runProcess(
    const QString &program, const QStringList &arguments, int timeoutMs = 60000)
{
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

} // namespace

class TestRunFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void h5ErrorsNameFileAndObject();
    void h5AppendsRowsAndReadsThemBack();
    void nexusLayoutReadsBackWithH5py();
    void csvHasHeaderAndScalarColumns();
    void journalReplaysIntoTheSameFile();

private:
    QTemporaryDir m_dir;
};

void TestRunFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
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
    writeFile(m_dir.filePath(QStringLiteral("grid.toml")), Test::kGridPlan);
    writeFile(m_dir.filePath(QStringLiteral("lab.toml")), Test::kGridLab);
    const ProcessResult layout = check({QStringLiteral("layout"), path,
        m_dir.filePath(QStringLiteral("grid.toml")), m_dir.filePath(QStringLiteral("lab.toml"))});
    QVERIFY2(layout.exitCode == 0, layout.output.constData());
    const ProcessResult dump
        = runProcess(QStringLiteral("/usr/bin/h5dump"), {QStringLiteral("-H"), path});
    QVERIFY2(dump.exitCode == 0, dump.output.constData());
    QVERIFY(dump.output.contains("GROUP \"instrument\""));
    QVERIFY(dump.output.contains("DATASET \"meter.spectrum\""));
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

QTEST_GUILESS_MAIN(TestRunFiles)
#include "tst_runfiles.moc"
