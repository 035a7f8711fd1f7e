// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Benchtop {

/// One problem found in a lab file, located like a compiler's diagnostic.
struct LabError {
    QString file; ///< the path as the user gave it
    int line = 0; ///< 1-based; 0 when the problem has no place in the file (it cannot be read)
    int column = 0; ///< 1-based; 0 when unknown
    QString message; ///< says what is wrong, naming the device and key where there is one

    /// `FILE:LINE:COLUMN: message` when the line is known, `FILE: message` otherwise; one line.
    QString toString() const
    {
        QString text = file;
        if (line > 0) {
            text += QLatin1Char(':') + QString::number(line);
            if (column > 0)
                text += QLatin1Char(':') + QString::number(column);
        }
        return text + QLatin1String(": ") + message;
    }

    bool operator==(const LabError &) const = default;
};

} // namespace Benchtop
