// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QVariantMap>

namespace Benchtop {

/// Saves and restores each device's state (what should survive a restart: a motor's position,
/// a wheel's slot, counters) as one TOML file per device, `<directory>/<kind>/<device>-state.toml`,
/// as yaq does.
///
/// Blocking: every call reads or writes a file. Do not call it on an event loop that others
/// share (the GUI thread, the device thread); the device host runs these calls on an executor
/// and awaits them. The store holds no mutable state, so calls from several threads are safe,
/// but two saves of the same device at once race (the last rename wins): keep one device's
/// saves in order, as a per-device serial executor does.
///
/// `kind` and `device` must be usable as file names (the lab file restricts device names to
/// letters, digits, '-' and '_'; kinds come from plugin metadata): a name that is empty, ".",
/// "..", or holds a '/' or '\' is refused.
class StateStore {
public:
    /// Keeps state under `directory` (created on the first save).
    explicit StateStore(QString directory);

    /// $BENCHTOP_STATE_DIR when set and not empty; otherwise
    /// QStandardPaths::AppLocalDataLocation + "/state" (Qt 6.4 has no StateLocation), which
    /// depends on QCoreApplication's organization and application names.
    static QString defaultDirectory();

    QString directory() const { return m_directory; }

    /// `<directory>/<kind>/<device>-state.toml`.
    QString pathFor(const QString &kind, const QString &device) const;

    struct Loaded {
        QVariantMap state; ///< empty when there was nothing (usable) to restore
        QString warning; ///< one line for the log when something was wrong; empty otherwise
    };

    /// Reads a device's saved state. Values come back as TOML has them: integers as qlonglong,
    /// floats as double (nan and inf included), booleans, strings as QString, arrays as
    /// QVariantList, tables as QVariantMap.
    /// - No file: empty state, no warning (a device's first start).
    /// - A file that cannot be read or is not valid TOML: it is renamed aside, never deleted, to
    ///   `<device>-state.toml.corrupt-<yyyyMMdd-HHmmss>` (with "-2", "-3", ... when that exists),
    ///   and the result is empty state and a warning naming the file, why (with line:column),
    ///   and where it went.
    /// - A valid file with dates or times (which save never writes): those keys are left out,
    ///   with a warning naming them; the rest is restored.
    /// Never throws on bad input.
    Loaded load(const QString &kind, const QString &device) const;

    /// Writes a device's state atomically: a temporary file in the same directory, flushed,
    /// then renamed over the old one (QSaveFile), so a reader sees the old file or the new one,
    /// never a part; on failure the old file is left as it was and no temporary file remains.
    /// Creates the directories it needs. Values: bool, int, qlonglong, uint, qulonglong (up to
    /// 2^63 - 1), double and float (full precision; NaN and infinities as TOML nan and inf),
    /// QString, QVariantList and QStringList, and QVariantMap / QVariantHash (nested as TOML
    /// tables). Throws std::runtime_error naming the key (as "a.b[2]") for any other type,
    /// before anything is written, and naming the file when it cannot be written.
    void save(const QString &kind, const QString &device, const QVariantMap &state) const;

    /// The TOML text save() writes for `state` (throws like save() for unsupported values).
    static QByteArray toToml(const QVariantMap &state);

private:
    QString m_directory;
};

} // namespace Benchtop
