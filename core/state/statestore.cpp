// SPDX-License-Identifier: MIT
#include "statestore.h"

#include <device/diagnostics.h>
#include <lab/tomlsupport_p.h>
#include <lab/tomlwriter.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStringList>

#include <stdexcept>
#include <utility>

namespace Benchtop {

namespace {

[[noreturn]] void fail(const QString &message)
{
    throw std::runtime_error(message.toStdString());
}

bool isSafeName(const QString &name)
{
    return !name.isEmpty() && name != QLatin1String(".") && name != QLatin1String("..")
        && !name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\'))
        && !name.contains(QChar(0));
}

/// `path.<tag>-<timestamp>`, or with "-2", "-3", ... when that is taken.
QString asideName(const QString &path, QLatin1String tag)
{
    const QString base = path + QLatin1Char('.') + tag + QLatin1Char('-')
        + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString candidate = base;
    for (int n = 2; QFileInfo::exists(candidate); ++n)
        candidate = base + QLatin1Char('-') + QString::number(n);
    return candidate;
}

/// Renames a state file aside (tag "corrupt" or "newer"); the end of the warning saying where
/// it went.
QString setAside(const QString &path, QLatin1String tag = QLatin1String("corrupt"))
{
    const QString target = asideName(path, tag);
    QFile file(path);
    if (file.rename(target))
        return QStringLiteral("moved it to %1; using defaults").arg(target);
    return QStringLiteral("could not move it aside (%1), so the next save will replace it; "
                          "using defaults")
        .arg(file.errorString());
}

} // namespace

StateStore::StateStore(QString directory)
    : m_directory(std::move(directory))
{
}

QString StateStore::defaultDirectory()
{
    QString fromEnvironment = qEnvironmentVariable("BENCHTOP_STATE_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
        + QStringLiteral("/state");
}

QString StateStore::pathFor(const QString &kind, const QString &device) const
{
    return m_directory + QLatin1Char('/') + kind + QLatin1Char('/') + device
        + QStringLiteral("-state.toml");
}

StateStore::Loaded StateStore::load(const QString &kind, const QString &device) const
{
    if (!isSafeName(kind) || !isSafeName(device)) {
        return {{},
            QStringLiteral("no saved state for device \"%1\" of kind \"%2\": not usable as a "
                           "file name")
                .arg(device, kind)};
    }
    const QString path = pathFor(kind, device);
    QFile file(path);
    if (!file.exists())
        return {}; // a device's first start
    if (!file.open(QIODevice::ReadOnly)) {
        const QString reason = file.errorString();
        return {{},
            QStringLiteral("%1: cannot read state file (%2); %3")
                .arg(path, reason, setAside(path))};
    }
    const QByteArray text = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        const QString reason = file.errorString();
        file.close();
        return {{},
            QStringLiteral("%1: cannot read state file (%2); %3")
                .arg(path, reason, setAside(path))};
    }
    file.close();

    Parsed parsed = parse(text, path);
    if (parsed.verdict == Parsed::Verdict::Usable)
        return {std::move(parsed.state), std::move(parsed.message)};
    // A newer file is set aside too, not left: the device's first save would replace it.
    const QLatin1String tag(parsed.verdict == Parsed::Verdict::Newer ? "newer" : "corrupt");
    return {{}, parsed.message + QStringLiteral("; ") + setAside(path, tag)};
}

StateStore::Parsed StateStore::parse(const QByteArray &text, const QString &path)
{
    TomlSupport::SyntaxError error;
    const std::optional<toml::table> table = TomlSupport::parse(text, &error);
    if (!table) {
        // One arg() call for all: one at a time, a "%2" in the path would be taken as a place.
        return {Parsed::Verdict::Corrupt, {},
            QStringLiteral("%1:%2:%3: state file is not valid TOML (%4)")
                .arg(path, QString::number(error.line), QString::number(error.column),
                    error.message)};
    }
    const auto at = [&path](const toml::node &node) {
        const auto [line, column] = TomlSupport::positionOf(node);
        return QStringLiteral("%1:%2:%3: ")
            .arg(path, QString::number(line), QString::number(column));
    };

    // The version first: a file of another version may mean anything by its other keys.
    if (const toml::node *version = table->get(kVersionKey)) {
        if (!version->is_integer()) {
            return {Parsed::Verdict::Corrupt, {},
                at(*version)
                    + QStringLiteral("state file version is %1, not an integer")
                          .arg(TomlSupport::describe(*version))};
        }
        const qlonglong number = version->as_integer()->get();
        if (number < 1) {
            return {Parsed::Verdict::Corrupt, {},
                at(*version)
                    + QStringLiteral("state file version %1 is not a version (they start at 1)")
                          .arg(number)};
        }
        if (number > kVersion) {
            return {Parsed::Verdict::Newer, {},
                at(*version)
                    + QStringLiteral("state file version %1 is newer than this Benchtop reads (%2)")
                          .arg(number)
                          .arg(kVersion)};
        }
    }

    Parsed parsed;
    QStringList problems;
    const TomlSupport::NodeVisitor unsupported
        = [&](const QString &keyPath, const toml::node &node) {
              problems << at(node)
                      + QStringLiteral("key %1 is %2, which state files do not hold")
                            .arg(quoted(keyPath), TomlSupport::describe(node));
          };
    for (const auto &[key, node] : *table) {
        const QString name
            = QString::fromUtf8(key.str().data(), static_cast<qsizetype>(key.str().size()));
        if (name == QLatin1String(kVersionKey))
            continue;
        const QVariant value = TomlSupport::toVariant(node, name, {}, unsupported);
        if (value.isValid())
            parsed.state.insert(name, value);
    }
    // A few named, the rest counted: one line in the log, however many a file has.
    constexpr qsizetype kProblemsNamed = 3;
    if (problems.size() > kProblemsNamed) {
        const qsizetype more = problems.size() - kProblemsNamed;
        problems.resize(kProblemsNamed);
        problems << QStringLiteral("and %1 more").arg(more);
    }
    if (!problems.isEmpty())
        parsed.message = problems.join(QLatin1String("; ")) + QStringLiteral("; left those out");
    return parsed;
}

QByteArray StateStore::toToml(const QVariantMap &state)
{
    if (state.contains(QLatin1String(kVersionKey))) {
        fail(QStringLiteral("cannot save state key \"%1\": the name is reserved for the file's "
                            "version")
                 .arg(QLatin1String(kVersionKey)));
    }
    TomlWriteError error;
    const std::optional<QByteArray> text = tomlDocument(state, &error);
    if (!text) {
        // One arg() call: a "%1" in the key is not a place for the reason.
        fail(QStringLiteral("cannot save state key \"%1\": %2").arg(error.path, error.reason));
    }
    return QByteArray(kVersionKey) + " = " + QByteArray::number(kVersion) + '\n' + *text;
}

void StateStore::save(const QString &kind, const QString &device, const QVariantMap &state) const
{
    if (!isSafeName(kind) || !isSafeName(device)) {
        fail(QStringLiteral("cannot save the state of device \"%1\" of kind \"%2\": not usable "
                            "as a file name")
                 .arg(device, kind));
    }
    // Converted before anything is touched, so an unsupported value leaves the old file alone.
    const QByteArray text = toToml(state);
    const QString path = pathFor(kind, device);
    const QString directory = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(directory))
        fail(QStringLiteral("cannot save state to %1: cannot create the directory").arg(path));

    QSaveFile file(path);
    // Unbuffered, and every write checked: with QFileDevice's buffer, Qt 6.4 drops the error of
    // a write the kernel takes only part of (disk full, file size limit), and commit() then
    // renames a truncated file over the good one. Written directly, a short write shows, and
    // the retry gets the real error.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        fail(QStringLiteral("cannot save state to %1: %2").arg(path, file.errorString()));
    for (qint64 done = 0; done < text.size();) {
        const qint64 written = file.write(text.constData() + done, text.size() - done);
        if (written <= 0) {
            const QString reason = file.errorString();
            file.cancelWriting(); // the destructor removes the temporary file
            fail(QStringLiteral("cannot save state to %1: %2").arg(path, reason));
        }
        done += written;
    }
    // On failure commit() removes the temporary file and leaves the old one as it was.
    if (!file.commit())
        fail(QStringLiteral("cannot save state to %1: %2").arg(path, file.errorString()));
}

} // namespace Benchtop
