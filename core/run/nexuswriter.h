// SPDX-License-Identifier: MIT
#pragma once

#include "run/documents.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace Benchtop::Run {

/// Writes a run's documents into one HDF5 file in the NeXus layout (docs/data-format.md),
/// readable while written (SWMR). Rows are buffered by add() and written by flush(): one
/// H5Dwrite per dataset per flush, each stream's `seq_num` last (the commit marker a reader
/// trusts), then H5Fflush. The caller (RunWriter's thread) decides how often to flush.
///
/// Every group, dataset and attribute, the end-of-run fields included, is made before SWMR
/// starts, which it does at the first flush that has rows of the "primary" stream: so all
/// Descriptors must come before the first primary Event (a later one is reported by
/// takeProblems() and its events are not written).
///
/// Not thread-safe: one thread makes it, feeds it and destroys it. Every HDF5 failure throws
/// H5::Error naming the file and the object; after one, the writer should be dropped.
class NexusWriter {
public:
    enum class Mode {
        Create, ///< a new file; an existing one is never overwritten
        /// An existing run's file, prepared by RunContinuation::prepare: the RunStart and
        /// Descriptors given again are matched to what the file has, and events are appended.
        Continue,
    };
    NexusWriter(const QString &path, Mode mode = Mode::Create);
    ~NexusWriter();
    NexusWriter(const NexusWriter &) = delete;
    NexusWriter &operator=(const NexusWriter &) = delete;

    QString path() const;
    /// Takes one document. RunStart and Descriptors shape the file at once; Events and
    /// Suspensions are buffered until flush(); RunStop fills the end fields, flushes and closes.
    void add(const Document &document);
    /// Whether add() buffered anything flush() has not written yet.
    bool hasPending() const;
    /// Writes the buffered rows and flushes the file.
    void flush();
    /// Flushes and closes (also done by RunStop). Idempotent.
    void close();
    bool isClosed() const;
    /// Primary events flushed so far (written and flushed, so a reader sees them).
    qint64 committed() const;
    /// Non-fatal problems since the last call (a descriptor that came too late, a value that
    /// did not fit its column), worded for a user.
    QStringList takeProblems();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Benchtop::Run
