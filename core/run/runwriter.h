// SPDX-License-Identifier: MIT
#pragma once

#include "run/documents.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace Benchtop::Run {

/// Writes a run's documents to its files on a thread of its own: STEM.h5 (NeXus, SWMR),
/// STEM.csv (scalar columns) and STEM.jsonl (every document: the crash journal). Every HDF5
/// call is made on that thread.
///
/// The engine (on the device thread) calls post() for each document; post() only appends to a
/// queue under a mutex and never waits for I/O. The writer thread takes the queue every
/// `flushInterval` (20 ms; at once for a RunStop), writes it and flushes each file, so a process
/// killed at any moment loses at most the points posted in the last interval. Each flush
/// writes the journal, then the CSV, then the HDF5 file, so the HDF5 file never has a point the
/// other two lack.
///
/// Failures never throw or crash: a file that cannot be written is reported once by failed()
/// and dropped (the others go on). Free space in the folder is checked at each flush; falling
/// under the reserve is reported by spaceLow() before HDF5 runs out, so that the engine can
/// pause the run.
///
/// Lives in the thread that made it: its signals are emitted there, from that thread's event
/// loop (so they need one running). Destroying it finishes as finish() does, without
/// finished() (signals not yet delivered are dropped with the object).
class RunWriter : public QObject {
    Q_OBJECT

public:
    enum class Mode {
        Create, ///< new files; existing ones are never overwritten
        /// The files of a run cut by RunContinuation::prepare: the engine posts the RunStart
        /// and Descriptors of the journal again, then the events after the committed one.
        Continue,
    };
    struct Options {
        Mode mode = Mode::Create;
        std::chrono::milliseconds flushInterval{20};
        /// Bytes that must stay free in the folder; under them, spaceLow(). A run of a few
        /// hours at 100,000 points/s of 10 values writes about 30 GB: the reserve is time to
        /// pause, not room for the rest of the run.
        qint64 reserveBytes = 256LL * 1024 * 1024;
        bool csv = true;
        bool journal = true;
    };

    explicit RunWriter(QObject *parent = nullptr);
    ~RunWriter() override;

    /// Checks STEM's folder (FolderCheck::check, then the reserve) and starts the writer thread;
    /// the files are made when the RunStart arrives. Returns an empty string when started, else
    /// why not (nothing is made then). Call once.
    QString start(const QString &stem, const Options &options);
    QString start(const QString &stem) { return start(stem, Options{}); }

    /// Queues a document. Thread-safe; never blocks on I/O. Documents after finish() are
    /// dropped.
    void post(Document document);
    /// Writes what is queued, closes every file and stops the thread; blocks until then.
    /// Idempotent. After a RunStop the files close by themselves (finished() is emitted).
    void finish();

    QString h5Path() const;
    QString csvPath() const;
    QString journalPath() const;
    /// Primary events written and flushed to the HDF5 file so far. Thread-safe.
    qint64 committed() const;
    /// Documents posted and not yet taken by the writer thread. Thread-safe.
    qint64 backlog() const;

Q_SIGNALS:
    /// A file could not be made or written; `message` names it and says why. Emitted once per
    /// file; that file is no longer written.
    void failed(const QString &message);
    /// Free space in the data folder fell under the reserve (emitted again only after it has
    /// risen above it).
    void spaceLow(qint64 freeBytes, qint64 reserveBytes);
    /// Something was written other than as asked, not fatal (a descriptor after the first
    /// point, a repeated seq_num).
    void problem(const QString &message);
    /// The RunStop was written and every file closed.
    void finished();

private:
    class Worker;
    struct Shared;
    std::shared_ptr<Shared> m_shared;
    std::unique_ptr<class QThread> m_thread;
    Worker *m_worker = nullptr;
    QString m_stem;
};

} // namespace Benchtop::Run
