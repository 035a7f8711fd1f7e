// SPDX-License-Identifier: MIT
#pragma once

#include <QLatin1String>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QVariant>

#include <exception>

namespace Benchtop {

// How Benchtop's messages show what they are about, so that a diagnostic reads the same whichever
// file raised it: the lab checker, the plugin registry, the yaq protocol reader, the drivers.
// Pure functions; any thread.

/// A user's or an instrument's text in a one-line message: double-quoted; `"` and `\` escaped;
/// `\n`, `\r`, `\t` and `\0` as such; any other character that is not printable (a control
/// character, DEL, a line separator, an unassigned code point) as `\xNN` (below U+0100), `\uNNNN`
/// or `\UNNNNNNNN`. Text longer than 60 characters is shown by its first 40 (never half a
/// surrogate pair) and its length: `"xxxx…" (5000000 characters)`; so is text whose escapes
/// would show more than 100 characters, cut where they reach it.
QString quoted(QStringView text);
/// quoted() of Latin-1 text (a key named in the code).
inline QString quoted(QLatin1String text)
{
    return quoted(QString(text));
}

/// Each item quoted, joined by ", ": `"a", "b", "c"`.
QString quotedList(const QStringList &items);

/// A number as a person writes it: whole numbers below 10^15 in full (`100000`, not `1e+05`),
/// others in the shortest form that reads back to the same double (`0.1`, `1e-09`, `inf`, `nan`).
QString formatNumber(double value);

/// A value as the user wrote it, for "must be X, not Y": scalars by value (`true`, `5`, and a
/// float with its point, `5.0`, so that it does not read as the integer 5), the rest by kind
/// (`a string`, `an array`, `a table`, `null`).
QString describeValue(const QVariant &value);

/// Levenshtein distance, ignoring case: how far a misspelling is from a name.
int editDistance(const QString &a, const QString &b);

/// The candidate closest to `word` when it is at most two edits away (and not a wholly different
/// short word: fewer edits than the longer of the two has characters); empty otherwise. Ties go to
/// the earlier candidate. Cheap for a long word (a length difference above two rules a candidate
/// out at once).
QString closestName(const QString &word, const QStringList &candidates);

/// ` (did you mean "x"?)` with closestName's choice, or an empty string when there is none.
QString didYouMean(const QString &word, const QStringList &candidates);

/// What an exception says: a std::exception's what(), or that it is not one.
QString describeException(const std::exception_ptr &error);

} // namespace Benchtop
