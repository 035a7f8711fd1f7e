// SPDX-License-Identifier: MIT
#include "run/runwriter.h"

#include "async/tsan_p.h"
#include "run/csvwriter.h"
#include "run/foldercheck.h"
#include "run/hdf5/h5error.h"
#include "run/journalwriter.h"
#include "run/nexuswriter.h"
#include "run/writeerror.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <mutex>
#include <vector>

namespace Benchtop::Run {

using Async::detail::handOff;

struct RunWriter::Shared {
    std::mutex mutex;
    std::vector<Document> queue; ///< under mutex
    bool accepting = true; ///< under mutex
    /// The worker, for post() to wake it: under mutex, cleared by finish() before the worker
    /// goes, so that an engine posting while the writer finishes never touches a deleted one.
    QObject *worker = nullptr;
    std::atomic<qint64> committed{0};
    std::atomic<qint64> backlog{0}; ///< queue.size(), readable without the lock
};

/// Lives on the writer thread: owns the writers, so every HDF5 call is made there.
class RunWriter::Worker : public QObject {
    Q_OBJECT

public:
    Worker(RunWriter *owner, std::shared_ptr<Shared> shared, QString stem, Options options)
        : m_owner(owner)
        , m_shared(std::move(shared))
        , m_stem(std::move(stem))
        , m_options(options)
        , m_folder(QFileInfo(m_stem).absolutePath())
    {
    }

    void begin()
    {
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        connect(m_timer, &QTimer::timeout, this, &Worker::tick);
        m_timer->start(m_options.flushInterval);
    }

    /// Takes the queue, writes it, flushes every file.
    void tick()
    {
        std::vector<Document> documents;
        {
            std::lock_guard lock(m_shared->mutex);
            documents.swap(m_shared->queue);
            m_shared->backlog.store(0, std::memory_order_relaxed);
        }
        bool stopped = false;
        for (Document &document : documents) {
            if (std::holds_alternative<RunStart>(document) && !m_opened)
                open();
            if (std::holds_alternative<RunStop>(document))
                stopped = true;
            guard(m_journal, [&] { m_journal->add(document); });
            guard(m_csv, [&] { m_csv->add(document); });
            guard(m_nexus, [&] { m_nexus->add(document); });
        }
        guard(m_journal, [&] { m_journal->flush(); });
        guard(m_csv, [&] { m_csv->flush(); });
        guard(m_nexus, [&] {
            if (m_nexus->hasPending())
                m_nexus->flush();
            m_shared->committed.store(m_nexus->committed(), std::memory_order_relaxed);
            for (const QString &problem : m_nexus->takeProblems())
                emitInOwner([owner = m_owner, problem] { Q_EMIT owner->problem(problem); });
        });
        checkSpace();
        if (stopped)
            close();
    }

    /// Writes what is left and closes the files (on the writer thread, before it stops).
    void close()
    {
        if (m_closed)
            return;
        tickOnce();
        m_closed = true;
        m_timer->stop();
        guard(m_journal, [&] { m_journal->close(); });
        guard(m_csv, [&] { m_csv->close(); });
        guard(m_nexus, [&] { m_nexus->close(); });
        m_journal.reset();
        m_csv.reset();
        m_nexus.reset();
        emitInOwner([owner = m_owner] { Q_EMIT owner->finished(); });
    }

private:
    /// Signals are emitted in the RunWriter's thread, not this one: receivers (and
    /// QSignalSpy, which connects directly) see them there. Dropped when the RunWriter is gone.
    template<typename F>
    void emitInOwner(F emit)
    {
        QMetaObject::invokeMethod(m_owner, handOff(std::move(emit)), Qt::QueuedConnection);
    }

    void tickOnce()
    {
        bool more = false;
        {
            std::lock_guard lock(m_shared->mutex);
            more = !m_shared->queue.empty();
        }
        if (more)
            tick();
    }

    void open()
    {
        m_opened = true;
        const bool create = m_options.mode == Mode::Create;
        try {
            m_nexus = std::make_unique<NexusWriter>(m_stem + QStringLiteral(".h5"),
                create ? NexusWriter::Mode::Create : NexusWriter::Mode::Continue);
        } catch (const H5::Error &error) {
            emitInOwner(
                [owner = m_owner, message = error.message()] { Q_EMIT owner->failed(message); });
        }
        try {
            if (m_options.csv)
                m_csv = std::make_unique<CsvWriter>(m_stem + QStringLiteral(".csv"),
                    create ? CsvWriter::Mode::Create : CsvWriter::Mode::Continue);
        } catch (const WriteError &error) {
            emitInOwner(
                [owner = m_owner, message = error.message()] { Q_EMIT owner->failed(message); });
        }
        try {
            if (m_options.journal)
                m_journal = std::make_unique<JournalWriter>(m_stem + QStringLiteral(".jsonl"),
                    create ? JournalWriter::Mode::Create : JournalWriter::Mode::Continue);
        } catch (const WriteError &error) {
            emitInOwner(
                [owner = m_owner, message = error.message()] { Q_EMIT owner->failed(message); });
        }
    }

    template<typename Writer, typename Call>
    void guard(std::unique_ptr<Writer> &writer, Call call)
    {
        if (!writer)
            return;
        try {
            call();
        } catch (const H5::Error &error) {
            emitInOwner(
                [owner = m_owner, message = error.message()] { Q_EMIT owner->failed(message); });
            dropAfterFailure(writer);
        } catch (const WriteError &error) {
            emitInOwner(
                [owner = m_owner, message = error.message()] { Q_EMIT owner->failed(message); });
            dropAfterFailure(writer);
        } catch (const std::exception &error) {
            emitInOwner([owner = m_owner, message = QString::fromUtf8(error.what())] {
                Q_EMIT owner->failed(message);
            });
            dropAfterFailure(writer);
        }
    }

    template<typename Writer>
    void dropAfterFailure(std::unique_ptr<Writer> &writer)
    {
        // Destroying a failed HDF5 writer closes its identifiers, which may fail again (a
        // full disk); those errors have nowhere to go and are not thrown by destructors.
        writer.reset();
    }

    void checkSpace()
    {
        const qint64 free = FolderCheck::freeBytes(m_folder);
        if (free < 0)
            return;
        if (!m_low && free < m_options.reserveBytes) {
            m_low = true;
            emitInOwner([owner = m_owner, free, reserve = m_options.reserveBytes] {
                Q_EMIT owner->spaceLow(free, reserve);
            });
        } else if (m_low && free >= m_options.reserveBytes) {
            m_low = false;
        }
    }

    RunWriter *m_owner;
    std::shared_ptr<Shared> m_shared;
    QString m_stem;
    Options m_options;
    QString m_folder;
    QTimer *m_timer = nullptr;
    bool m_opened = false;
    bool m_closed = false;
    bool m_low = false;
    std::unique_ptr<NexusWriter> m_nexus;
    std::unique_ptr<CsvWriter> m_csv;
    std::unique_ptr<JournalWriter> m_journal;
};

RunWriter::RunWriter(QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
{
}

RunWriter::~RunWriter()
{
    finish();
}

QString RunWriter::start(const QString &stem, const Options &options)
{
    if (m_thread)
        return QStringLiteral("the run's files are already being written");
    const QString folder = QFileInfo(stem).absolutePath();
    if (const QString problem = FolderCheck::check(folder); !problem.isEmpty())
        return problem;
    const qint64 free = FolderCheck::freeBytes(folder);
    if (free >= 0 && free < options.reserveBytes)
        return QStringLiteral("the data folder %1 has %2 MB free, under the %3 MB kept in reserve")
            .arg(folder)
            .arg(free / (1024 * 1024))
            .arg(options.reserveBytes / (1024 * 1024));
    if (options.mode == Mode::Create) {
        for (const char *suffix : {".h5", ".csv", ".jsonl"}) {
            if (QFileInfo::exists(stem + QLatin1String(suffix)))
                return QStringLiteral("%1%2 exists; a run's files are never overwritten")
                    .arg(stem, QLatin1String(suffix));
        }
    }
    m_stem = stem;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("run writer"));
    m_worker = new Worker(this, m_shared, stem, options);
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    // handOff: TSan does not see Qt's posted-event queue (async/tsan_p.h).
    QMetaObject::invokeMethod(
        m_worker, handOff([worker = m_worker] { worker->begin(); }), Qt::QueuedConnection);
    std::lock_guard lock(m_shared->mutex);
    m_shared->worker = m_worker;
    return {};
}

void RunWriter::post(Document document)
{
    const bool stop = std::holds_alternative<RunStop>(document);
    std::lock_guard lock(m_shared->mutex);
    if (!m_shared->accepting)
        return;
    m_shared->queue.push_back(std::move(document));
    m_shared->backlog.store(qint64(m_shared->queue.size()), std::memory_order_relaxed);
    // The end of a run is written at once rather than at the next tick (posting an event is
    // quick: no I/O under the lock).
    if (stop && m_shared->worker)
        QMetaObject::invokeMethod(m_shared->worker,
            handOff([worker = static_cast<Worker *>(m_shared->worker)] { worker->tick(); }),
            Qt::QueuedConnection);
}

void RunWriter::finish()
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->accepting = false;
        m_shared->worker = nullptr;
    }
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(m_worker, handOff([worker = m_worker, this] {
        worker->close();
        Async::detail::tsanRelease(this); // what the worker wrote, for this thread after
    }),
        Qt::BlockingQueuedConnection);
    Async::detail::tsanAcquire(this);
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_worker = nullptr;
}

QString RunWriter::h5Path() const
{
    return m_stem + QStringLiteral(".h5");
}

QString RunWriter::csvPath() const
{
    return m_stem + QStringLiteral(".csv");
}

QString RunWriter::journalPath() const
{
    return m_stem + QStringLiteral(".jsonl");
}

qint64 RunWriter::committed() const
{
    return m_shared->committed.load(std::memory_order_relaxed);
}

qint64 RunWriter::backlog() const
{
    return m_shared->backlog.load(std::memory_order_relaxed);
}

} // namespace Benchtop::Run

#include "runwriter.moc"
