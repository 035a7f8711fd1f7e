// SPDX-License-Identifier: MIT
#pragma once

#include <QFile>
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

/// Writes all of `data` to `file` and flushes it, or throws WriteError naming the file and the
/// system's reason. A short write (the disk filling up) is retried once for the rest, so that
/// the error is the system's ("No space left on device"), not Qt's "Unknown error".
inline void writeAndFlush(QFile &file, const QByteArray &data)
{
    qint64 written = 0;
    for (int attempt = 0; attempt < 2 && written < data.size(); ++attempt) {
        const qint64 n = file.write(data.constData() + written, data.size() - written);
        if (n < 0)
            break;
        written += n;
    }
    if (written != data.size() || !file.flush())
        throw WriteError(
            QStringLiteral("%1: could not write: %2").arg(file.fileName(), file.errorString()));
}

} // namespace Benchtop::Run
