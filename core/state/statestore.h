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
    /// The version of the state file format that save() writes and load() reads, written as
    /// the file's first key, `benchtop_state_version`. A file without it is version 1 (files
    /// written before the key existed).
    static constexpr qlonglong kVersion = 1;
    /// The top-level key holding the version: device state cannot use it (save() refuses it).
    static constexpr char kVersionKey[] = "benchtop_state_version";

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
    /// QVariantList, tables as QVariantMap; the version key is not among them. Whether a value
    /// suits the device (its type, its range) is the device's to judge (Device::restoreState).
    /// - No file: empty state, no warning (a device's first start).
    /// - A file that cannot be read, is not valid TOML, or whose version is not a positive
    ///   integer: it is renamed aside, never deleted, to
    ///   `<device>-state.toml.corrupt-<yyyyMMdd-HHmmss>` (with "-2", "-3", ... when that exists),
    ///   and the result is empty state and a warning naming the file, why (with line:column),
    ///   and where it went.
    /// - A file of a version above kVersion (written by a newer Benchtop): renamed aside the same
    ///   way but to `<device>-state.toml.newer-<yyyyMMdd-HHmmss>`, so that the next save does not
    ///   replace it and that version can still have it; empty state and a warning.
    /// - A valid file with dates or times (which save never writes): those keys are left out,
    ///   with a warning naming them; the rest is restored.
    /// When a file cannot be renamed, the warning says so (the next save will replace it).
    /// Never throws on bad input.
    Loaded load(const QString &kind, const QString &device) const;

    /// What load() makes of a state file's text, touching no file. `path` only names the file
    /// in messages. Never throws.
    struct Parsed {
        enum class Verdict {
            Usable, ///< restore `state`; `message` names the keys left out, or is empty
            Corrupt, ///< set the file aside as corrupt; `message` says why
            Newer, ///< written by a newer version: set it aside and keep it; `message` says so
        };
        Verdict verdict = Verdict::Usable;
        QVariantMap state; ///< empty unless Usable
        QString message; ///< empty, or one line starting with `path`
    };
    static Parsed parse(const QByteArray &text, const QString &path);

    /// Writes a device's state atomically: a temporary file in the same directory, flushed,
    /// then renamed over the old one (QSaveFile), so a reader sees the old file or the new one,
    /// never a part; on failure the old file is left as it was and no temporary file remains.
    /// Creates the directories it needs. Values: bool, int, qlonglong, uint, qulonglong (up to
    /// 2^63 - 1), double and float (full precision; NaN and infinities as TOML nan and inf),
    /// QString, QVariantList and QStringList, and QVariantMap / QVariantHash (nested as TOML
    /// tables; a map inside an array as an inline table). Throws std::runtime_error naming the
    /// key (as "a.b[2]") for any other type, for arrays and inline tables nested more than 128
    /// deep (TOML readers limit nesting), and for the version key at the top level, before
    /// anything is written; and naming the file when it cannot be written. The file starts with
    /// `benchtop_state_version = <kVersion>`.
    void save(const QString &kind, const QString &device, const QVariantMap &state) const;

    /// The TOML text save() writes for `state` (throws like save() for unsupported values).
    static QByteArray toToml(const QVariantMap &state);

private:
    QString m_directory;
};

} // namespace Benchtop
