// SPDX-License-Identifier: MIT
#pragma once

// Where a run's files go and what they are called (docs/runs.md, "Files"): the data folder, the
// plan's `file_template`, the scan_id counter kept in the data folder, and a stem no existing
// file has.

#include <lab/labfile.h>

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace Benchtop::Run {

/// The template used when a plan gives no `file_template`.
inline constexpr auto kDefaultFileTemplate = "{date}/{scan_id:05d}_{kind}_{sample}";
/// The environment variable that names the data folder when the lab's `[benchtop]` table has no
/// `data_dir`.
inline constexpr auto kDataDirVariable = "BENCHTOP_DATA_DIR";
/// The extensions of one run's files: a stem is taken only when none of these exists.
QStringList runFileExtensions();

/// One piece of a file template: literal text, or a `{name}` / `{name:spec}` placeholder.
struct TemplatePart {
    QString literal; ///< the text, when this is not a placeholder
    QString placeholder; ///< the name, when it is one
    QString spec; ///< what follows ':' (scan_id only: `05d`, `d`, `6d`)
    qsizetype offset = 0; ///< where the part starts in the template (0-based)
};

/// The placeholders every template may use besides the plan's metadata keys: date (yyyy-MM-dd),
/// time (HHmmss), scan_id, kind, sample, uid.
QStringList builtinPlaceholders();

/// Splits a template into its parts. `{{` and `}}` are a literal brace. Returns nullopt and sets
/// `problem` (a message to follow `key "file_template" `, e.g. `has a "{" without its "}"`) and
/// `offset` (where, 0-based) for: an unclosed or stray brace, an empty placeholder, a spec on a
/// placeholder other than scan_id or a spec that is not `[0][width]d`, an absolute path, or a
/// `.` or `..` folder. Whether the names are known is the caller's to check (see
/// builtinPlaceholders()). Pure.
std::optional<QList<TemplatePart>> parseFileTemplate(
    const QString &text, QString *problem, qsizetype *offset = nullptr);

/// What a template's placeholders are replaced with.
struct FileNameValues {
    QDateTime start; ///< the run's start, in local time
    qint64 scanId = 0;
    QString kind;
    QString uid;
    QVariantMap metadata; ///< `sample` and any other key a placeholder may name
};

/// A template expanded into a relative stem (no extension; '/' separates folders): each value
/// made safe for a file name (a character other than a letter, a digit, '-', '_', '.' or '+'
/// becomes '_'; a name of dots only becomes underscores), a missing metadata value empty, and
/// the separators around an empty value tidied (`00042_count_` → `00042_count`). A template that
/// does not parse gives an empty string (planfile checks it first). Pure.
QString expandFileTemplate(const QString &fileTemplate, const FileNameValues &values);

/// Where a lab's runs go, and what chose it.
struct DataFolder {
    enum class Source {
        Lab, ///< `data_dir` in the lab's `[benchtop]` table (relative to the lab file's folder)
        Environment, ///< $BENCHTOP_DATA_DIR
        Documents, ///< a `Benchtop` folder in the user's documents (QStandardPaths)
    };
    QString path; ///< absolute, cleaned
    Source source = Source::Documents;
};

/// The data folder for `lab`: its `data_dir` (a relative one is taken from the lab file's
/// folder), else $BENCHTOP_DATA_DIR when set and not empty, else `Benchtop` in the documents
/// location. Does not create it. Reads the environment; any thread.
DataFolder dataFolder(const Lab &lab);

/// The file in the data folder that holds the last scan_id given, and the lock beside it.
inline constexpr auto kScanIdFile = ".benchtop-scan-id";

/// Takes the next scan_id of the data folder `folder` (creating the folder and the counter as
/// needed): 1 for the first; each call, from any process, gets one no other call got. The
/// counter is read and written under a QLockFile (`.benchtop-scan-id.lock`, waited for up to
/// 10 s; a stale lock of a dead process is taken over) and replaced atomically (QSaveFile).
/// Returns nullopt and sets `error` when the folder or the counter cannot be written, or the
/// lock not taken. Blocking file I/O: call it on a blocking-call thread, not in a coroutine.
std::optional<qint64> takeScanId(const QString &folder, QString *error);

/// The files of one run, reserved.
struct RunFiles {
    qint64 scanId = 0;
    /// Absolute, without extension: `<folder>/2026-12-07/00042_grid_scan_Si`. Its `.h5`, `.csv`
    /// and `.jsonl` did not exist when it was chosen.
    QString stem;
};

/// Takes a scan_id (takeScanId) and expands `fileTemplate` (empty: kDefaultFileTemplate) with it
/// into a stem under `folder`, creating its folders. When a file of that stem exists already
/// (a template without {scan_id}, or a counter file that was deleted), `-2`, `-3`, ... is
/// appended until none does: existing files are never reused. The writers should still open
/// each file with QIODevice::NewOnly. `values.scanId` is ignored. Blocking file I/O, as
/// takeScanId. Returns nullopt and sets `error` when the folders cannot be made or no id taken.
std::optional<RunFiles> reserveRunFiles(const QString &folder, const QString &fileTemplate,
    const FileNameValues &values, QString *error);

} // namespace Benchtop::Run
