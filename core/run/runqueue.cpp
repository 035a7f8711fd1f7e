// SPDX-License-Identifier: MIT
#include "runqueue.h"

#include <QUuid>

#include <algorithm>

namespace Benchtop::Run {

namespace {

bool isWaiting(const QueueItem &item)
{
    return item.state == QueueItem::State::Waiting;
}

QString newUid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

QString toString(QueueItem::State state)
{
    switch (state) {
    case QueueItem::State::Waiting:
        return QStringLiteral("waiting");
    case QueueItem::State::Running:
        return QStringLiteral("running");
    case QueueItem::State::Done:
        return QStringLiteral("done");
    case QueueItem::State::Interrupted:
        return QStringLiteral("interrupted");
    }
    return {};
}

std::optional<QueueItem::State> queueItemStateFromString(const QString &text)
{
    for (auto state : {QueueItem::State::Waiting, QueueItem::State::Running,
             QueueItem::State::Done, QueueItem::State::Interrupted}) {
        if (toString(state) == text)
            return state;
    }
    return std::nullopt;
}

RunQueue::RunQueue(QObject *parent)
    : QObject(parent)
{
}

int RunQueue::indexOf(const QString &uid) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items[i].uid == uid)
            return i;
    }
    return -1;
}

const QueueItem *RunQueue::item(const QString &uid) const
{
    const int i = indexOf(uid);
    return i < 0 ? nullptr : &m_items[i];
}

const QueueItem *RunQueue::running() const
{
    for (const QueueItem &item : m_items) {
        if (item.state == QueueItem::State::Running)
            return &item;
    }
    return nullptr;
}

int RunQueue::waitingCount() const
{
    return int(std::count_if(m_items.begin(), m_items.end(), [](const QueueItem &item) {
        return isWaiting(item) && item.kind == QueueItem::Kind::Plan;
    }));
}

int RunQueue::firstWaitingIndex() const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (isWaiting(m_items[i]))
            return i;
    }
    return int(m_items.size());
}

int RunQueue::waitingPosition(int position) const
{
    // Waiting items are always the tail of the list, so a position among them is an offset
    // from the first; anything out of range means "last".
    const int first = firstWaitingIndex();
    const int waiting = int(m_items.size()) - first;
    if (position < 0 || position > waiting)
        position = waiting;
    return first + position;
}

QString RunQueue::addPlan(
    QByteArray planText, QString planPath, QStringList overrides, int position)
{
    QueueItem item;
    item.uid = newUid();
    item.planText = std::move(planText);
    item.planPath = std::move(planPath);
    item.overrides = std::move(overrides);
    m_items.insert(waitingPosition(position), item);
    Q_EMIT changed();
    return item.uid;
}

QString RunQueue::addStopMarker(int position)
{
    QueueItem item;
    item.uid = newUid();
    item.kind = QueueItem::Kind::StopMarker;
    m_items.insert(waitingPosition(position), item);
    Q_EMIT changed();
    return item.uid;
}

bool RunQueue::remove(const QString &uid)
{
    const int i = indexOf(uid);
    if (i < 0 || !isWaiting(m_items[i]))
        return false;
    m_items.removeAt(i);
    Q_EMIT changed();
    return true;
}

bool RunQueue::move(const QString &uid, int position)
{
    const int i = indexOf(uid);
    if (i < 0 || !isWaiting(m_items[i]))
        return false;
    const QueueItem item = m_items.takeAt(i);
    m_items.insert(waitingPosition(position), item);
    Q_EMIT changed();
    return true;
}

bool RunQueue::edit(const QString &uid, QByteArray planText, QStringList overrides)
{
    const int i = indexOf(uid);
    if (i < 0 || !isWaiting(m_items[i]) || m_items[i].kind != QueueItem::Kind::Plan)
        return false;
    m_items[i].planText = std::move(planText);
    m_items[i].overrides = std::move(overrides);
    Q_EMIT changed();
    return true;
}

void RunQueue::clearHistory()
{
    const auto removed = m_items.removeIf([](const QueueItem &item) {
        return item.state == QueueItem::State::Done
            || item.state == QueueItem::State::Interrupted;
    });
    if (removed > 0)
        Q_EMIT changed();
}

std::optional<QueueItem> RunQueue::startNext()
{
    if (running())
        return std::nullopt;
    const int first = firstWaitingIndex();
    if (first >= m_items.size())
        return std::nullopt;
    if (m_items[first].kind == QueueItem::Kind::StopMarker) {
        m_items.removeAt(first);
        Q_EMIT changed();
        Q_EMIT queueStopped();
        return std::nullopt;
    }
    m_items[first].state = QueueItem::State::Running;
    Q_EMIT changed();
    return m_items[first];
}

void RunQueue::setRunningFile(const QString &file)
{
    for (QueueItem &item : m_items) {
        if (item.state == QueueItem::State::Running) {
            item.file = file;
            Q_EMIT changed();
            return;
        }
    }
}

void RunQueue::finishRunning(const QString &exitStatus, const QString &reason)
{
    for (QueueItem &item : m_items) {
        if (item.state == QueueItem::State::Running) {
            item.state = QueueItem::State::Done;
            item.exitStatus = exitStatus;
            item.reason = reason;
            trimHistory();
            Q_EMIT changed();
            return;
        }
    }
}

void RunQueue::trimHistory()
{
    int done = 0;
    for (const QueueItem &item : m_items)
        done += !isWaiting(item) && item.state != QueueItem::State::Running;
    while (done > kHistoryLength) {
        // The oldest is the first of the list: history is kept in the order runs ended.
        m_items.removeFirst();
        --done;
    }
}

void RunQueue::restore(QList<QueueItem> items)
{
    // History first, then waiting items, whatever order the file had them in.
    std::stable_partition(items.begin(), items.end(),
        [](const QueueItem &item) { return !isWaiting(item); });
    for (QueueItem &item : items) {
        if (item.state == QueueItem::State::Running)
            item.state = QueueItem::State::Interrupted;
    }
    m_items = std::move(items);
    trimHistory();
    Q_EMIT changed();
}

} // namespace Benchtop::Run
