// SPDX-License-Identifier: MIT
#include "filenaming.h"

#include <device/diagnostics.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>
#include <utility>

namespace Benchtop::Run {

namespace {

const QString kScanId = QStringLiteral("scan_id");
/// Long enough for another process to read and write a small file, short enough to fail a run's
/// start visibly rather than hang it.
constexpr int kLockWaitMs = 10'000;

/// A value made safe for one component of a file name.
QString safeName(const QString &text)
{
    QString safe;
    safe.reserve(text.size());
    for (const QChar c : text) {
        const bool keep = c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_')
            || c == QLatin1Char('.') || c == QLatin1Char('+');
        safe += keep ? c : QLatin1Char('_');
    }
    // "." and ".." would name a folder rather than a file.
    if (!safe.isEmpty() && safe.count(QLatin1Char('.')) == safe.size())
        safe.fill(QLatin1Char('_'));
    return safe;
}

/// Separators left around an empty value: `00042_count_` → `00042_count`, `a__b` → `a_b`.
QString tidy(QString component)
{
    static const QRegularExpression repeated(QStringLiteral("([_-])[_-]+"));
    component.replace(repeated, QStringLiteral("\\1"));
    while (component.size() > 1
        && (component.endsWith(QLatin1Char('_')) || component.endsWith(QLatin1Char('-'))))
        component.chop(1);
    while (component.size() > 1
        && (component.startsWith(QLatin1Char('_')) || component.startsWith(QLatin1Char('-'))))
        component.remove(0, 1);
    return component;
}

QString formatScanId(qint64 id, const QString &spec)
{
    // parseFileTemplate has checked the form: [0][width]d.
    const bool zeros = spec.startsWith(QLatin1Char('0'));
    const int width = spec.isEmpty() ? 0 : spec.chopped(1).toInt();
    return QStringLiteral("%1").arg(id, width, 10, zeros ? QLatin1Char('0') : QLatin1Char(' '));
}

bool existsAny(const QString &stem)
{
    const QStringList extensions = runFileExtensions();
    return std::any_of(extensions.cbegin(), extensions.cend(),
        [&](const QString &extension) { return QFileInfo::exists(stem + extension); });
}

} // namespace

QStringList runFileExtensions()
{
    return {QStringLiteral(".h5"), QStringLiteral(".csv"), QStringLiteral(".jsonl")};
}

QStringList builtinPlaceholders()
{
    return {QStringLiteral("date"), QStringLiteral("time"), kScanId, QStringLiteral("kind"),
        QStringLiteral("sample"), QStringLiteral("uid")};
}

std::optional<QList<TemplatePart>> parseFileTemplate(
    const QString &text, QString *problem, qsizetype *offset)
{
    auto fail = [&](qsizetype at, const QString &what) -> std::optional<QList<TemplatePart>> {
        *problem = what;
        if (offset)
            *offset = at;
        return std::nullopt;
    };
    if (text.trimmed().isEmpty())
        return fail(0, QStringLiteral("is empty"));
    if (text.startsWith(QLatin1Char('/')))
        return fail(
            0, QStringLiteral("must be a path inside the data folder, not an absolute one"));

    QList<TemplatePart> parts;
    TemplatePart literal;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('}')) {
            if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('}')) {
                literal.literal += c;
                ++i;
                continue;
            }
            return fail(
                i, QStringLiteral("has a \"}\" without its \"{\" (write \"}}\" for a brace)"));
        }
        if (c != QLatin1Char('{')) {
            if (literal.literal.isEmpty())
                literal.offset = i;
            literal.literal += c;
            continue;
        }
        if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('{')) {
            literal.literal += c;
            ++i;
            continue;
        }
        const qsizetype close = text.indexOf(QLatin1Char('}'), i + 1);
        if (close < 0)
            return fail(i, QStringLiteral("has a \"{\" without its \"}\""));
        const QString inside = text.mid(i + 1, close - i - 1);
        const qsizetype colon = inside.indexOf(QLatin1Char(':'));
        TemplatePart part;
        part.placeholder = (colon < 0 ? inside : inside.left(colon)).trimmed();
        part.spec = colon < 0 ? QString() : inside.mid(colon + 1);
        part.offset = i;
        if (part.placeholder.isEmpty())
            return fail(i, QStringLiteral("has an empty placeholder \"{%1}\"").arg(inside));
        if (part.placeholder.contains(QLatin1Char('{')))
            return fail(i, QStringLiteral("has a \"{\" without its \"}\""));
        if (colon >= 0) {
            static const QRegularExpression format(QStringLiteral("^0?[0-9]{0,2}d$"));
            if (part.placeholder != kScanId)
                return fail(i,
                    QStringLiteral("gives placeholder %1 a format; only scan_id takes one "
                                   "({scan_id:05d})")
                        .arg(quoted(part.placeholder)));
            if (!format.match(part.spec).hasMatch())
                return fail(i,
                    QStringLiteral("gives scan_id the format %1; it takes an integer format such "
                                   "as \"05d\" or \"d\"")
                        .arg(quoted(part.spec)));
        }
        if (!literal.literal.isEmpty())
            parts.append(std::exchange(literal, TemplatePart()));
        parts.append(part);
        i = close;
    }
    if (!literal.literal.isEmpty())
        parts.append(literal);

    // The literal text's folders: "." and ".." would leave the data folder or name nothing.
    qsizetype at = 0;
    for (const QString &component : text.split(QLatin1Char('/'))) {
        if (component == QLatin1String(".") || component == QLatin1String(".."))
            return fail(at, QStringLiteral("may not name the folder %1").arg(quoted(component)));
        if (component.isEmpty() && at + component.size() < text.size())
            return fail(at, QStringLiteral("has an empty folder name (\"//\")"));
        at += component.size() + 1;
    }
    if (text.endsWith(QLatin1Char('/')))
        return fail(text.size() - 1, QStringLiteral("ends with \"/\": it must name a file"));
    return parts;
}

QString expandFileTemplate(const QString &fileTemplate, const FileNameValues &values)
{
    QString problem;
    const std::optional<QList<TemplatePart>> parts = parseFileTemplate(fileTemplate, &problem);
    if (!parts)
        return {};
    QString stem;
    for (const TemplatePart &part : *parts) {
        if (part.placeholder.isEmpty()) {
            stem += part.literal;
            continue;
        }
        QString value;
        if (part.placeholder == QLatin1String("date"))
            value = values.start.toString(QStringLiteral("yyyy-MM-dd"));
        else if (part.placeholder == QLatin1String("time"))
            value = values.start.toString(QStringLiteral("HHmmss"));
        else if (part.placeholder == kScanId)
            value = formatScanId(values.scanId, part.spec);
        else if (part.placeholder == QLatin1String("kind"))
            value = values.kind;
        else if (part.placeholder == QLatin1String("uid"))
            value = values.uid;
        else
            value = values.metadata.value(part.placeholder).toString();
        stem += safeName(value);
    }
    QStringList components = stem.split(QLatin1Char('/'));
    for (QString &component : components) {
        component = tidy(component);
        if (component.isEmpty() || component.count(QLatin1Char('.')) == component.size())
            component = QStringLiteral("_");
    }
    return components.join(QLatin1Char('/'));
}

DataFolder dataFolder(const Lab &lab)
{
    const QString fromLab = lab.settings.values.value(QStringLiteral("data_dir")).toString();
    if (!fromLab.isEmpty()) {
        // A relative folder belongs to the lab, wherever Benchtop was started from.
        const QDir labFolder = QFileInfo(lab.path).absoluteDir();
        return {QDir::cleanPath(labFolder.absoluteFilePath(QDir::fromNativeSeparators(fromLab))),
            DataFolder::Source::Lab};
    }
    const QString fromEnvironment = qEnvironmentVariable(kDataDirVariable);
    if (!fromEnvironment.isEmpty())
        return {QDir::cleanPath(QDir::current().absoluteFilePath(fromEnvironment)),
            DataFolder::Source::Environment};
    QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (documents.isEmpty())
        documents = QDir::homePath();
    return {
        QDir::cleanPath(documents + QStringLiteral("/Benchtop")), DataFolder::Source::Documents};
}

std::optional<qint64> takeScanId(const QString &folder, QString *error)
{
    if (!QDir().mkpath(folder)) {
        *error = QStringLiteral("cannot create the data folder %1").arg(quoted(folder));
        return std::nullopt;
    }
    const QString counterPath = QDir(folder).filePath(QString::fromLatin1(kScanIdFile));
    QLockFile lock(counterPath + QStringLiteral(".lock"));
    if (!lock.tryLock(kLockWaitMs)) {
        qint64 pid = 0;
        QString host;
        QString application;
        lock.getLockInfo(&pid, &host, &application);
        *error = lock.error() == QLockFile::LockFailedError
            ? QStringLiteral("the scan_id counter of %1 is locked by process %2 on %3")
                  .arg(quoted(folder))
                  .arg(pid)
                  .arg(host)
            : QStringLiteral("cannot lock the scan_id counter of %1 (is the folder writable?)")
                  .arg(quoted(folder));
        return std::nullopt;
    }

    qint64 last = 0;
    QFile counter(counterPath);
    if (counter.exists()) {
        if (!counter.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the scan_id counter %1: %2")
                         .arg(quoted(counterPath), counter.errorString());
            return std::nullopt;
        }
        bool ok = false;
        last = counter.readAll().trimmed().toLongLong(&ok);
        if (!ok || last < 0) {
            *error = QStringLiteral("the scan_id counter %1 does not hold a number; put the last "
                                    "scan_id in it, or delete it to start again from 1")
                         .arg(quoted(counterPath));
            return std::nullopt;
        }
    }
    const qint64 next = last + 1;
    QSaveFile save(counterPath);
    if (!save.open(QIODevice::WriteOnly) || save.write(QByteArray::number(next) + '\n') < 0
        || !save.commit()) {
        *error = QStringLiteral("cannot write the scan_id counter %1: %2")
                     .arg(quoted(counterPath), save.errorString());
        return std::nullopt;
    }
    return next;
}

std::optional<RunFiles> reserveRunFiles(const QString &folder, const QString &fileTemplate,
    const FileNameValues &values, QString *error)
{
    const std::optional<qint64> id = takeScanId(folder, error);
    if (!id)
        return std::nullopt;
    FileNameValues named = values;
    named.scanId = *id;
    const QString relative = expandFileTemplate(
        fileTemplate.isEmpty() ? QString::fromLatin1(kDefaultFileTemplate) : fileTemplate, named);
    if (relative.isEmpty()) {
        *error = QStringLiteral("the file template %1 is not valid").arg(quoted(fileTemplate));
        return std::nullopt;
    }
    const QString base = QDir(folder).filePath(relative);
    if (!QDir().mkpath(QFileInfo(base).absolutePath())) {
        *error = QStringLiteral("cannot create the folder %1")
                     .arg(quoted(QFileInfo(base).absolutePath()));
        return std::nullopt;
    }
    QString stem = base;
    for (int n = 2; existsAny(stem); ++n)
        stem = base + QLatin1Char('-') + QString::number(n);
    return RunFiles{*id, stem};
}

} // namespace Benchtop::Run
