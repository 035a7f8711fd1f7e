// SPDX-License-Identifier: MIT
#pragma once

#include "run/documents.h"

#include <QByteArray>
#include <QFile>

namespace Benchtop::Run {

/// The run's documents as JSON lines (documentToJsonLine), one per document, in the order
/// given: the crash journal, and a run that documentFromJsonLine replays. Lines are buffered
/// and written by flush(); a line is never split across flushes, so a killed process leaves
/// whole lines (and at worst one torn last line, which readers skip).
///
/// Not thread-safe (RunWriter's thread uses it). Failures throw WriteError.
class JournalWriter {
public:
    enum class Mode {
        Create, ///< a new file (an existing one is refused)
        /// Append to a journal cut by RunContinuation::prepare: the RunStart and Descriptors,
        /// given again, are already in it and not written twice.
        Continue,
    };
    JournalWriter(const QString &path, Mode mode = Mode::Create);

    QString path() const { return m_file.fileName(); }
    void add(const Document &document);
    void flush();
    void close();

private:
    QFile m_file;
    Mode m_mode;
    QByteArray m_buffer;
};

} // namespace Benchtop::Run
