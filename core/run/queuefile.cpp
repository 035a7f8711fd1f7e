// SPDX-License-Identifier: MIT
#include "queuefile.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>

namespace Benchtop::Run {

namespace {

constexpr int kFormatVersion = 1;

QString kindName(QueueItem::Kind kind)
{
    return kind == QueueItem::Kind::StopMarker ? QStringLiteral("stop") : QStringLiteral("plan");
}

QString queueFileName(const QString &labPath)
{
    const QFileInfo info(labPath);
    const QString absolute = labPath.startsWith(QLatin1Char(':')) ? labPath
                                                                    : info.absoluteFilePath();
    const QByteArray hash
        = QCryptographicHash::hash(absolute.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
    QString base = info.completeBaseName();
    // A resource path (the demo lab) or an odd name: keep the file name safe.
    for (QChar &c : base) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    }
    if (base.isEmpty())
        base = QStringLiteral("lab");
    return base + QLatin1Char('-') + QString::fromLatin1(hash) + QStringLiteral(".json");
}

} // namespace

QueueFile::QueueFile(const QString &stateDirectory, const QString &labPath)
    : m_path(QDir(stateDirectory).filePath(QStringLiteral("queues/") + queueFileName(labPath)))
{
}

QueueFile::~QueueFile() = default;

bool QueueFile::lock()
{
    if (isLocked())
        return true;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    auto lockFile = std::make_unique<QLockFile>(m_path + QStringLiteral(".lock"));
    if (lockFile->tryLock(0)) {
        m_lock = std::move(lockFile);
        m_holder.clear();
        return true;
    }
    qint64 pid = 0;
    QString host;
    QString app;
    if (lockFile->getLockInfo(&pid, &host, &app)) {
        m_holder = QStringLiteral("%1 (pid %2 on %3)")
                       .arg(app.isEmpty() ? QStringLiteral("a process") : app)
                       .arg(pid)
                       .arg(host);
    } else {
        m_holder = QStringLiteral("another process (%1)").arg(m_path + QStringLiteral(".lock"));
    }
    return false;
}

bool QueueFile::isLocked() const
{
    return m_lock && m_lock->isLocked();
}

QByteArray QueueFile::toJson(const QList<QueueItem> &items)
{
    QJsonArray array;
    for (const QueueItem &item : items) {
        QJsonObject object{
            {QStringLiteral("uid"), item.uid},
            {QStringLiteral("kind"), kindName(item.kind)},
            {QStringLiteral("state"), toString(item.state)},
        };
        if (item.kind == QueueItem::Kind::Plan) {
            object.insert(QStringLiteral("plan_path"), item.planPath);
            object.insert(QStringLiteral("plan"), QString::fromUtf8(item.planText));
            object.insert(QStringLiteral("overrides"), QJsonArray::fromStringList(item.overrides));
        }
        if (!item.exitStatus.isEmpty())
            object.insert(QStringLiteral("exit_status"), item.exitStatus);
        if (!item.reason.isEmpty())
            object.insert(QStringLiteral("reason"), item.reason);
        if (!item.file.isEmpty())
            object.insert(QStringLiteral("file"), item.file);
        array.append(object);
    }
    const QJsonObject root{
        {QStringLiteral("benchtop_queue_version"), kFormatVersion},
        {QStringLiteral("items"), array},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QList<QueueItem> QueueFile::fromJson(const QByteArray &json, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return QList<QueueItem>{};
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not JSON at offset %1: %2")
                        .arg(parseError.offset)
                        .arg(parseError.errorString()));
    const QJsonObject root = document.object();
    const int version = root.value(QStringLiteral("benchtop_queue_version")).toInt(0);
    if (version != kFormatVersion)
        return fail(QStringLiteral("benchtop_queue_version is %1, this Benchtop reads %2")
                        .arg(root.value(QStringLiteral("benchtop_queue_version")).toVariant()
                                 .toString())
                        .arg(kFormatVersion));
    QList<QueueItem> items;
    const QJsonArray array = root.value(QStringLiteral("items")).toArray();
    for (int i = 0; i < array.size(); ++i) {
        const QJsonObject object = array[i].toObject();
        QueueItem item;
        item.uid = object.value(QStringLiteral("uid")).toString();
        const QString kind = object.value(QStringLiteral("kind")).toString();
        const auto state = queueItemStateFromString(object.value(QStringLiteral("state")).toString());
        if (item.uid.isEmpty() || !state
            || (kind != QLatin1String("plan") && kind != QLatin1String("stop")))
            return fail(QStringLiteral("item %1 has no uid, or an unknown kind or state").arg(i + 1));
        item.kind = kind == QLatin1String("stop") ? QueueItem::Kind::StopMarker
                                                  : QueueItem::Kind::Plan;
        item.state = *state;
        item.planPath = object.value(QStringLiteral("plan_path")).toString();
        item.planText = object.value(QStringLiteral("plan")).toString().toUtf8();
        for (const QJsonValue &value : object.value(QStringLiteral("overrides")).toArray())
            item.overrides.append(value.toString());
        item.exitStatus = object.value(QStringLiteral("exit_status")).toString();
        item.reason = object.value(QStringLiteral("reason")).toString();
        item.file = object.value(QStringLiteral("file")).toString();
        items.append(item);
    }
    return items;
}

QueueFile::Loaded QueueFile::load() const
{
    QFile file(m_path);
    if (!file.exists())
        return {};
    QString why;
    QList<QueueItem> items;
    if (!file.open(QIODevice::ReadOnly))
        why = file.errorString();
    else
        items = fromJson(file.readAll(), &why);
    file.close();
    if (why.isEmpty())
        return {items, {}};
    // Set aside, never deleted: the user may want what it held.
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString aside = m_path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFile::exists(aside); ++n)
        aside = m_path + QStringLiteral(".corrupt-") + stamp + QLatin1Char('-') + QString::number(n);
    const bool moved = QFile::rename(m_path, aside);
    return {{},
        QStringLiteral("%1: the run queue could not be read (%2); %3")
            .arg(m_path, why,
                moved ? QStringLiteral("it was moved to %1 and the queue starts empty").arg(aside)
                      : QStringLiteral("it could not be moved aside either; the queue starts "
                                       "empty and the next save replaces it"))};
}

QString QueueFile::saveTo(const QString &path, const QList<QueueItem> &items)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return QStringLiteral("%1: cannot create its folder").arg(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("%1: %2").arg(path, file.errorString());
    file.write(toJson(items));
    if (!file.commit())
        return QStringLiteral("%1: %2").arg(path, file.errorString());
    return {};
}

} // namespace Benchtop::Run
