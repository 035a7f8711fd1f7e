// SPDX-License-Identifier: MIT
#include "run/runcontinuation.h"

#include "run/documentjson.h"
#include "run/hdf5/h5dataset.h"
#include "run/hdf5/h5error.h"
#include "run/hdf5/h5file.h"

#include <QFile>
#include <QHash>
#include <QSaveFile>

#include <algorithm>
#include <limits>

namespace Benchtop::Run {

namespace {

QString stemOf(const QString &path)
{
    return path.endsWith(QLatin1String(".h5")) ? path.chopped(3) : path;
}

/// The rows of a stream a reader may trust: those whose seq_num is 1, 2, 3, ... A row's
/// seq_num is written after its values; a write that failed half-way leaves the fill value 0.
qint64 committedRows(const H5::Node &group)
{
    const std::vector<qint64> seq = group.openDataset(QStringLiteral("seq_num")).readInt64();
    qint64 n = 0;
    while (n < qint64(seq.size()) && seq[size_t(n)] == n + 1)
        ++n;
    for (const QString &name : group.childNames()) {
        if (group.isDataset(name))
            n = std::min(n, group.openDataset(name).rows());
    }
    return n;
}

/// The journal's lines, each whole (ending in a newline) and parsed; a torn or unreadable line
/// ends it.
struct JournalLine {
    QByteArray bytes;
    Document document;
};

std::vector<JournalLine> readJournal(const QString &path)
{
    std::vector<JournalLine> lines;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        if (!line.endsWith('\n'))
            break;
        std::optional<Document> document = documentFromJsonLine(line);
        if (!document)
            break;
        lines.push_back({line, std::move(*document)});
    }
    return lines;
}

} // namespace

std::optional<ContinuePoint> RunContinuation::read(const QString &h5Path, QString *error)
{
    ContinuePoint progress;
    progress.stem = stemOf(h5Path);
    const QString path = progress.stem + QStringLiteral(".h5");
    try {
        const H5::File file = H5::File::openForReading(path, H5::File::Swmr::Read);
        const H5::Node entry = file.openGroup(QStringLiteral("entry"));
        progress.uid = QString::fromUtf8(
            entry.openDataset(QStringLiteral("entry_identifier")).readStringBytes());
        progress.planText = entry.openGroup(QStringLiteral("plan"))
                                .openDataset(QStringLiteral("data"))
                                .readStringBytes();
        progress.exitStatus
            = QString::fromUtf8(entry.openDataset(QStringLiteral("exit_status")).readStringBytes());
        if (entry.has(QStringLiteral("data")))
            progress.committed = committedRows(entry.openGroup(QStringLiteral("data")));
    } catch (const H5::Error &e) {
        if (error)
            *error = e.message();
        return std::nullopt;
    }
    for (JournalLine &line : readJournal(progress.stem + QStringLiteral(".jsonl"))) {
        if (auto *start = std::get_if<RunStart>(&line.document))
            progress.start = *start;
        else if (auto *descriptor = std::get_if<Descriptor>(&line.document))
            progress.descriptors.append(*descriptor);
    }
    return progress;
}

std::optional<ContinuePoint> RunContinuation::prepare(const QString &h5Path, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    std::optional<ContinuePoint> progress = read(h5Path, error);
    if (!progress)
        return std::nullopt;
    const QString h5 = progress->stem + QStringLiteral(".h5");
    if (!progress->exitStatus.isEmpty())
        return fail(QStringLiteral("%1: the run ended (exit_status \"%2\"); there is nothing to "
                                   "continue")
                        .arg(h5, progress->exitStatus));
    const QString journalPath = progress->stem + QStringLiteral(".jsonl");
    if (!QFile::exists(journalPath) || !progress->start)
        return fail(QStringLiteral("%1: no journal with the run's start: the run cannot be "
                                   "continued without it")
                        .arg(journalPath));
    QString primaryUid;
    QHash<QString, QString> streamOf; // descriptor uid -> stream name
    for (const Descriptor &descriptor : progress->descriptors) {
        streamOf.insert(descriptor.uid, descriptor.name);
        if (descriptor.name == QLatin1String("primary"))
            primaryUid = descriptor.uid;
    }

    try {
        // Clearing the status flags needs the file opened for writing; cut as we go.
        H5::File file = H5::File::openForWriting(h5, H5::File::Status::Clear);
        H5::Node entry = file.openGroup(QStringLiteral("entry"));
        QHash<QString, qint64> fileRows; // stream name -> committed rows in the HDF5 file
        for (const Descriptor &descriptor : progress->descriptors) {
            const QString group = descriptor.name == QLatin1String("primary")
                ? QStringLiteral("data")
                : QString(descriptor.name).replace(QLatin1Char('/'), QLatin1Char('_'));
            if (entry.has(group))
                fileRows.insert(descriptor.name, committedRows(entry.openGroup(group)));
        }
        H5::Node suspensions = entry.openGroup(QStringLiteral("suspensions"));
        qint64 suspensionRows = std::numeric_limits<qint64>::max();
        for (const QString &name : suspensions.childNames())
            suspensionRows = std::min(suspensionRows, suspensions.openDataset(name).rows());

        // The journal: its documents up to the last committed primary event; events of other
        // streams and suspensions only as many as the HDF5 file holds.
        const qint64 committed = fileRows.value(QStringLiteral("primary"), 0);
        std::vector<JournalLine> lines = readJournal(journalPath);
        QHash<QString, qint64> kept; // stream name -> events kept
        qint64 keptSuspensions = 0;
        QByteArray journal;
        for (const JournalLine &line : lines) {
            if (const auto *event = std::get_if<Event>(&line.document)) {
                const QString stream = streamOf.value(event->descriptor);
                if (event->descriptor == primaryUid && event->seqNum > committed)
                    break;
                if (kept.value(stream) >= fileRows.value(stream))
                    continue;
                kept[stream] += 1;
            } else if (std::holds_alternative<Suspension>(line.document)) {
                if (keptSuspensions >= suspensionRows)
                    continue;
                ++keptSuspensions;
            } else if (std::holds_alternative<RunStop>(line.document)) {
                break;
            }
            journal.append(line.bytes);
        }
        progress->committed = kept.value(QStringLiteral("primary"), 0);

        for (const Descriptor &descriptor : progress->descriptors) {
            if (!fileRows.contains(descriptor.name))
                continue;
            const QString groupName = descriptor.name == QLatin1String("primary")
                ? QStringLiteral("data")
                : QString(descriptor.name).replace(QLatin1Char('/'), QLatin1Char('_'));
            H5::Node group = entry.openGroup(groupName);
            const qint64 rows = kept.value(descriptor.name, 0);
            for (const QString &name : group.childNames()) {
                if (!group.isDataset(name))
                    continue;
                H5::Dataset dataset = group.openDataset(name);
                if (dataset.rows() != rows)
                    dataset.resize(rows);
            }
        }
        for (const QString &name : suspensions.childNames()) {
            H5::Dataset dataset = suspensions.openDataset(name);
            if (dataset.rows() != keptSuspensions)
                dataset.resize(keptSuspensions);
        }
        file.flush();
        file.close();

        QSaveFile journalFile(journalPath);
        if (!journalFile.open(QIODevice::WriteOnly) || journalFile.write(journal) != journal.size()
            || !journalFile.commit())
            return fail(QStringLiteral("%1: could not cut: %2")
                            .arg(journalPath, journalFile.errorString()));
    } catch (const H5::Error &e) {
        return fail(e.message());
    }

    // The CSV: its header, then the lines of events 1..committed.
    const QString csvPath = progress->stem + QStringLiteral(".csv");
    QFile csv(csvPath);
    if (csv.exists()) {
        if (!csv.open(QIODevice::ReadWrite))
            return fail(QStringLiteral("%1: could not cut: %2").arg(csvPath, csv.errorString()));
        qint64 keep = 0;
        bool columns = false;
        while (!csv.atEnd()) {
            const QByteArray line = csv.readLine();
            if (!line.endsWith('\n'))
                break;
            if (line.startsWith('#') || !columns) {
                columns = columns || !line.startsWith('#');
                keep = csv.pos();
                continue;
            }
            bool ok = false;
            const qint64 seq = line.left(line.indexOf(',')).toLongLong(&ok);
            if (!ok || seq > progress->committed)
                break;
            keep = csv.pos();
        }
        if (!csv.resize(keep))
            return fail(QStringLiteral("%1: could not cut: %2").arg(csvPath, csv.errorString()));
    }
    return progress;
}

} // namespace Benchtop::Run
