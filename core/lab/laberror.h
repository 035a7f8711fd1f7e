// SPDX-License-Identifier: MIT
#pragma once

#include <device/diagnostics.h>

#include <QString>

namespace Benchtop {

/// One problem found in a lab file, located like a compiler's diagnostic and tied to the device
/// and key it is about, so that the window, the Add device form and the loader need not read it
/// back out of the text. Most are errors; a driver's own check may also give warnings.
struct LabError {
    enum class Severity {
        Error, ///< the lab is not valid: `--check` fails, the device concerned is put in fault
        Warning, ///< worth saying, but the device runs and `--check` exits 0
    };

    QString file; ///< the path as the user gave it
    int line = 0; ///< 1-based; 0 when the problem has no place in the file (it cannot be read)
    int column = 0; ///< 1-based; 0 when unknown
    /// One line saying what is wrong, without the file, the position or the device: `key
    /// "speed" must be a number, not a string`.
    QString message;
    /// The device (a table of the lab) it is about; empty when it is about the file as a whole:
    /// a syntax error, a value outside any table, a table whose name cannot name a device, the
    /// lab's own `[benchtop]` settings.
    QString device;
    /// The key of that device's table it is about: a setting of its driver (`limits`, also for a
    /// problem with `limits[1]`), `driver` or `port`; empty when it is about the table as a whole.
    QString key;
    Severity severity = Severity::Error;

    bool isError() const { return severity == Severity::Error; }

    /// `FILE:LINE:COLUMN: [warning: ][device "x": ]message` (`FILE: ...` when the line is not
    /// known); one line.
    QString toString() const
    {
        QString text = file;
        if (line > 0) {
            text += QLatin1Char(':') + QString::number(line);
            if (column > 0)
                text += QLatin1Char(':') + QString::number(column);
        }
        text += QLatin1String(": ");
        if (!isError())
            text += QLatin1String("warning: ");
        if (!device.isEmpty())
            text += QLatin1String("device ") + quoted(device) + QLatin1String(": ");
        return text + message;
    }

    bool operator==(const LabError &) const = default;
};

} // namespace Benchtop
