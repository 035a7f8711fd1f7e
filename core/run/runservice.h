// SPDX-License-Identifier: MIT
#pragma once

// The runs of a lab: its queue and the run going (engine and writer), on the device thread.
// The window, benchtopd (its run-queue daemon) and benchtop-run all drive runs through it.

#include <run/documents.h>
#include <run/plan.h>
#include <run/runengine.h>
#include <run/runprogress.h>
#include <run/runqueue.h>

#include <lab/laberror.h>
#include <lab/labfile.h>

#include <async/blocking.h>
#include <async/taskgroup.h>

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Benchtop {
class DeviceHost;
} // namespace Benchtop

namespace Benchtop::Run {

class QueueFile;
class RunWriter;

/// What a client is told about the runs: benchtopd's get_status, the window's progress bar,
/// benchtop-run's progress line.
struct RunStatus {
    /// idle, running, pausing, paused, suspended, stopping, aborting (RunState's words; "idle"
    /// between runs)
    QString state = QStringLiteral("idle");
    QString uid; ///< the run going, or the last one
    qint64 point = 0;
    qint64 points = -1; ///< -1: not known in advance
    QString file; ///< the run's HDF5 file
    double rate = 0; ///< points per second, recently
    double secondsLeft = -1; ///< -1: not known
    QString message; ///< why it is suspended, or the last problem; empty otherwise
    int waiting = 0; ///< plans waiting in the queue
};

/// A plan checked against the lab: what `benchtop-run --check` prints and what a run starts from.
struct CheckedPlan {
    Plan plan;
    ExpandedPlan expanded;
    QList<LabError> errors; ///< empty when the plan can run
    bool ok() const { return errors.isEmpty(); }
};

/// Runs the plans of one lab, one at a time, from its queue.
///
/// A plan is checked (parsed, checked against the lab's devices as they are, expanded) when it
/// is queued and again when it starts: a plan that cannot run is refused before anything moves.
/// A run gets its files from the data folder (reserveRunFiles: the scan_id counter, the file
/// template, never an existing file), a RunWriter writing them on its own thread, and a
/// RunEngine on this thread whose documents go straight to the writer. When it ends, the queue
/// item records how, and the next waiting plan starts unless a stop marker comes first.
///
/// The queue is kept in a QueueFile when Options::stateDirectory is set (the window,
/// benchtopd), locked by this process; benchtop-run runs its one plan without one.
///
/// Thread affinity: the device thread (the host's). Other threads call it with
/// QMetaObject::invokeMethod or LabSession's onHost; its signals cross threads queued.
class RunService : public QObject {
    Q_OBJECT

public:
    struct Options {
        /// Where the queue file is kept (StateStore::defaultDirectory() in the applications);
        /// empty: the queue lives in memory only.
        QString stateDirectory;
        /// The data folder to use instead of the lab's (benchtop-run --out); empty: the lab's
        /// `data_dir`, $BENCHTOP_DATA_DIR, or the documents folder.
        QString dataFolder;
        /// A plan queued while nothing runs starts at once.
        bool startAutomatically = true;
        RunEngine::Options engine;
    };

    /// `host` and `lab` (path, text, settings) must stay as long as the service.
    RunService(DeviceHost &host, Lab lab, Options options, QObject *parent = nullptr);
    ~RunService() override;

    /// Restores the queue from its file and takes its lock. Returns a message for the log when
    /// something was wrong (a corrupt file set aside, the lock held by another process — its
    /// runs then cannot start here; the message names the holder); empty otherwise. Blocking
    /// (reads a small file): call it once, at start.
    QString openQueue();
    /// Whether this process may run the queue (openQueue() got the lock, or there is no file).
    bool ownsQueue() const { return m_ownsQueue; }

    /// Parses and checks a plan against the lab's devices as they are now, and expands it.
    CheckedPlan check(const QByteArray &planText, const QString &planPath,
        const QStringList &overrides = {}) const;

    /// Checks a plan and queues it at `position` among the waiting items (-1: last). Returns
    /// its uid, or the plan's errors (nothing queued).
    struct Queued {
        QString uid;
        QList<LabError> errors;
    };
    Queued queuePlan(const QByteArray &planText, const QString &planPath,
        const QStringList &overrides = {}, int position = -1);
    RunQueue &queue() noexcept { return m_queue; }

    /// Starts the next waiting plan if nothing runs (after a stop marker, or when
    /// startAutomatically is off).
    void startQueue();
    void pause(PauseMode mode = PauseMode::Deferred);
    void resume();
    void stop();
    void abort(const QString &reason = {});

    RunStatus status() const;
    /// The run going, or nullptr.
    RunEngine *engine() const { return m_engine; }

Q_SIGNALS:
    void statusChanged(const Benchtop::Run::RunStatus &status);
    /// A run started and writes `h5Path` (with its .csv and .jsonl beside it).
    void runStarted(const QString &uid, const QString &h5Path);
    /// A queued plan could not start (it no longer passes the check, its files cannot be
    /// made): nothing moved and no file was left. The item is done with exit_status "fail".
    void runRefused(const QString &uid, const QString &reason);
    /// A run ended and its files are closed.
    void runFinished(const Benchtop::Run::RunStop &stop, const QString &h5Path);
    /// A plan that could not start, a file that could not be written, a queue that could not
    /// be saved: one sentence for the log.
    void problem(const QString &message);

private:
    QCoro::Task<> runQueue();
    QCoro::Task<std::optional<RunStop>> runItem(QueueItem item);
    void refuseItem(const QString &uid, const QString &reason);
    void saveQueueSoon();
    QCoro::Task<> saveQueue();
    void publishStatus();

    DeviceHost &m_host;
    Lab m_lab;
    Options m_options;
    RunQueue m_queue;
    std::unique_ptr<QueueFile> m_queueFile;
    bool m_ownsQueue = true;
    bool m_queueRunning = false;
    bool m_saveScheduled = false;
    QPointer<RunEngine> m_engine;
    std::unique_ptr<RunWriter> m_writer;
    std::optional<RunProgress> m_progress;
    RunStatus m_status;
    Async::SerialExecutor m_queueIo{QStringLiteral("run queue file")};
    Async::TaskGroup m_tasks{QStringLiteral("runs")}; // last: destroyed first
};

} // namespace Benchtop::Run
