// SPDX-License-Identifier: MIT
#pragma once

#include "run/documents.h"

#include <QList>
#include <QString>

#include <optional>

namespace Benchtop::Run {

/// Where a run's files say it can be continued from (`benchtop-run --continue FILE.h5`).
struct ContinuePoint {
    QString stem; ///< the path without ".h5": STEM.h5, STEM.csv, STEM.jsonl
    /// The last committed seq_num of the primary stream: the events 1..committed are in the
    /// HDF5 file (and in the journal), each with every value.
    qint64 committed = 0;
    QString uid; ///< the RunStart's uid (/entry/entry_identifier)
    QByteArray planText; ///< verbatim (/entry/plan/data)
    QString exitStatus; ///< empty when the run never ended (killed, crashed)
    /// From the journal (STEM.jsonl); empty when there is none. The engine posts them again to
    /// a RunWriter in Continue mode before the events after `committed`.
    std::optional<RunStart> start;
    QList<Descriptor> descriptors;
};

/// Reading and cutting a run's files so that the run can be continued into them. Synchronous
/// file work: call it before the run starts, not from the device thread while a run goes.
class RunContinuation {
public:
    /// Reads STEM.h5 (as an SWMR reader, so a file whose writer was killed opens as it is) and
    /// STEM.jsonl. `h5Path` may be given with or without ".h5". nullopt and `error` set when the
    /// HDF5 file cannot be read or is not a Benchtop run.
    static std::optional<ContinuePoint> read(const QString &h5Path, QString *error = nullptr);

    /// Cuts the run's files to one point, the same in each: the HDF5 file's SWMR status flags
    /// are cleared (as `h5clear -s` does) and its datasets cut to the committed rows; the
    /// journal keeps its documents up to that event (a torn last line dropped) and the CSV its
    /// lines up to it. When the journal has fewer events than the HDF5 file (it never should:
    /// it is flushed first), every file is cut to the journal's. Returns the progress as cut,
    /// with `committed` the last seq_num kept; nullopt and `error` set when a file cannot be
    /// cut, or the run ended (exit_status set: there is nothing to continue).
    static std::optional<ContinuePoint> prepare(const QString &h5Path, QString *error = nullptr);
};

} // namespace Benchtop::Run
