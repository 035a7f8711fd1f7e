// SPDX-License-Identifier: MIT
#pragma once

// Keeps a lab's run queue on disk, so that it survives a restart, and makes sure only one
// process runs it.

#include <run/runqueue.h>

#include <QList>
#include <QString>

#include <memory>

class QLockFile;

namespace Benchtop::Run {

/// One queue file per lab, `<state directory>/queues/<lab file name>-<hash>.json`, where the
/// hash is of the lab's absolute path (two labs with the same file name in different folders
/// keep different queues). Beside it, `<file>.lock`: held by the process that runs the queue.
///
/// Blocking: every call reads or writes a small file. Call it where blocking a moment is
/// allowed (at start, from an executor), not from a device's coroutine.
class QueueFile {
public:
    /// The queue file of the lab at `labPath`, under `stateDirectory`
    /// (StateStore::defaultDirectory() in the application).
    QueueFile(const QString &stateDirectory, const QString &labPath);
    ~QueueFile();
    QueueFile(const QueueFile &) = delete;
    QueueFile &operator=(const QueueFile &) = delete;

    QString path() const { return m_path; }

    /// Takes the lock. False when another live process holds it; `holder()` then says which.
    /// A lock left by a process that died is taken over.
    bool lock();
    bool isLocked() const;
    /// "benchtopd (pid 1234 on lab-pc)": who holds the lock, after lock() failed.
    QString holder() const { return m_holder; }

    struct Loaded {
        QList<QueueItem> items; ///< empty when there was no file or it was unusable
        QString warning; ///< one line for the log when the file was unusable; empty otherwise
    };
    /// Reads the queue. No file: empty. A file that is not a queue (bad JSON, wrong fields) is
    /// renamed aside to `<file>.corrupt-<yyyyMMdd-HHmmss>`, never deleted, and the warning says
    /// so. Never throws.
    Loaded load() const;
    /// Writes the queue atomically (write, then rename). Returns an error message, or empty.
    QString save(const QList<QueueItem> &items) const { return saveTo(m_path, items); }
    /// save() to `path`: for a call on another thread that must not outlive this object.
    static QString saveTo(const QString &path, const QList<QueueItem> &items);

    /// The JSON the file holds, and back (nullopt-like: an error message in `error`).
    static QByteArray toJson(const QList<QueueItem> &items);
    static QList<QueueItem> fromJson(const QByteArray &json, QString *error);

private:
    QString m_path;
    QString m_holder;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace Benchtop::Run
