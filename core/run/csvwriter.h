// SPDX-License-Identifier: MIT
#pragma once

#include "run/documents.h"

#include <QByteArray>
#include <QFile>

#include <optional>

namespace Benchtop::Run {

/// The run's scalar columns as CSV, PyMeasure's way: `#` header lines (the run, its metadata,
/// the plan text line by line, the units), a line of column names (seq_num, time, then every
/// scalar data key of the primary stream in order; arrays are left to the HDF5 file), then one
/// line per point. Numbers are written shortest round-trip; strings quoted as RFC 4180 says;
/// booleans 1/0; a missing value is an empty field.
///
/// Not thread-safe (RunWriter's thread uses it). Failures throw WriteError.
class CsvWriter {
public:
    enum class Mode {
        Create, ///< a new file (an existing one is refused)
        Continue, ///< append to a file cut by RunContinuation::prepare; no header again
    };
    CsvWriter(const QString &path, Mode mode = Mode::Create);

    QString path() const { return m_file.fileName(); }
    void add(const Document &document);
    /// Writes the buffered lines to the file (write(2): a killed process loses nothing after).
    void flush();
    void close();

private:
    void header(const Descriptor &primary);
    QFile m_file;
    Mode m_mode;
    std::optional<RunStart> m_start;
    QString m_primary;
    std::vector<int> m_columns; ///< indices into the primary's data keys
    std::vector<bool> m_strings;
    QByteArray m_buffer;
};

} // namespace Benchtop::Run
