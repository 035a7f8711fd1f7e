// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <stdexcept>

namespace Benchtop::Run {

/// A run file (CSV, journal) could not be made or written; the message names the file and says
/// why ("/data/0042_scan.csv: could not write: No space left on device").
class WriteError : public std::runtime_error {
public:
    explicit WriteError(const QString &message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {
    }
    QString message() const { return m_message; }

private:
    QString m_message;
};

} // namespace Benchtop::Run
