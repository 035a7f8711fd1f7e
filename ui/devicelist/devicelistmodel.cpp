// SPDX-License-Identifier: MIT
#include "devicelistmodel.h"

#include <device/traits.h>
#include <widgets/tint.h>

#include <QDateTime>
#include <QGuiApplication>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

namespace Benchtop::Ui {

namespace {

using Clock = std::chrono::steady_clock;

QColor baseColour()
{
    return QGuiApplication::palette().color(QPalette::Base);
}

/// When a steady-clock instant was, on the wall clock (the operator's reference).
QDateTime wallTimeOf(Clock::time_point instant, Clock::time_point now)
{
    const auto ago = std::chrono::duration_cast<std::chrono::milliseconds>(now - instant);
    return QDateTime::currentDateTime().addMSecs(-ago.count());
}

} // namespace

DeviceListModel::DeviceListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_staleCheck.setInterval(kStaleCheckInterval);
    connect(&m_staleCheck, &QTimer::timeout, this, &DeviceListModel::refreshAll);
    m_staleCheck.start();
}

DeviceListModel::~DeviceListModel() = default;

bool DeviceListModel::addHandle(DeviceHandle *handle)
{
    const QString name = handle->name();
    if (m_rowOfName.contains(name))
        return false;
    const int row = int(m_rows.size());
    const Clock::time_point now = Clock::now();
    const Counts before = counts();
    beginInsertRows({}, row, row);
    m_rows.push_back({handle, name, now, {}});
    m_rows.back().shown = shownFor(m_rows.back(), now);
    countsFrom(m_rows.back().shown, +1);
    m_rowOfName.insert(name, row);
    m_rowOfHandle.insert(handle, row);
    endInsertRows();

    // The row is looked up on every delivery because removing another row moves it.
    const auto refreshThis = [this, handle] {
        if (auto it = m_rowOfHandle.constFind(handle); it != m_rowOfHandle.cend())
            refresh(*it, Clock::now());
    };
    connect(handle, &DeviceHandle::snapshotChanged, this, refreshThis);
    connect(handle, &DeviceHandle::descriptionChanged, this, refreshThis);
    connect(handle, &QObject::destroyed, this, [this, handle] {
        if (auto it = m_rowOfHandle.constFind(handle); it != m_rowOfHandle.cend())
            remove(*it);
    });
    if (before != counts())
        Q_EMIT countsChanged();
    return true;
}

bool DeviceListModel::removeHandle(const QString &name)
{
    const int row = rowOf(name);
    if (row < 0)
        return false;
    remove(row);
    return true;
}

DeviceHandle *DeviceListModel::handle(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[row].handle : nullptr;
}

int DeviceListModel::rowOf(const QString &name) const
{
    return m_rowOfName.value(name, -1);
}

ShownStatus DeviceListModel::status(int row) const
{
    return m_rows.at(row).shown.status;
}

QString DeviceListModel::reason(int row) const
{
    return m_rows.at(row).shown.reason;
}

void DeviceListModel::setStaleAfter(std::chrono::milliseconds limit)
{
    m_staleAfter = limit;
    refreshAll();
}

int DeviceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeviceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeviceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    const Shown &shown = row.shown;
    const QString shownWord = displayName(shown.status);
    const QString statusText = shown.reason.isEmpty()
        ? shownWord
        : QStringLiteral("%1: %2").arg(shownWord, shown.reason);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return row.name;
        case KindColumn:
            return shown.kind;
        case StatusColumn:
            return shownWord;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == StatusColumn)
            return dot(shown.status);
        break;
    case Qt::ToolTipRole:
        if (index.column() == KindColumn)
            return shown.kind; // elided when the dock is narrow
        if (!shown.reason.isEmpty())
            return statusText;
        break;
    case Qt::BackgroundRole:
        if (isAlarming(shown.status))
            return tinted(baseColour(), dotColour(shown.status));
        break;
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn)
            return readableOn(baseColour(), dotColour(shown.status));
        break;
    case StatusRole:
        return toString(shown.status);
    case StatusTextRole:
        return statusText;
    case ReasonRole:
        return shown.reason;
    }
    return {};
}

QVariant DeviceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Device");
    case KindColumn:
        return tr("Kind");
    case StatusColumn:
        return tr("Status");
    }
    return {};
}

DeviceListModel::Shown DeviceListModel::shownFor(const Row &row, Clock::time_point now) const
{
    const DeviceHandle &handle = *row.handle;
    const Clock::time_point lastHeard = handle.lastHeard();
    const bool neverHeard = lastHeard == Clock::time_point();
    // A handle that never heard from its device is given staleAfter from when it was listed.
    const bool silentTooLong = now - (neverHeard ? row.added : lastHeard) > m_staleAfter;
    const Heard heard
        = silentTooLong ? Heard::TooLongAgo : (neverHeard ? Heard::Never : Heard::Recently);
    const DeviceSnapshot &snapshot = handle.snapshot();

    Shown shown;
    shown.kind = handle.description().kind.isEmpty() ? snapshot.kind : handle.description().kind;
    shown.status = shownStatus(snapshot, heard);
    if (shown.status == ShownStatus::Stale) {
        shown.reason = neverHeard
            ? tr("nothing heard from it yet")
            : tr("nothing heard since %1")
                  .arg(wallTimeOf(lastHeard, now).toString(QStringLiteral("hh:mm:ss")));
    } else if (heard == Heard::Recently && snapshot.status == DeviceStatus::Fault) {
        shown.reason = snapshot.fault;
    } else if (shown.status == ShownStatus::Disconnected) {
        // Drivers with a link say why it is down (the reconnection goes on by itself).
        shown.reason = snapshot.values.value(StateKey::LinkError).toString();
    }
    return shown;
}

void DeviceListModel::refresh(int row, Clock::time_point now)
{
    Row &entry = m_rows[row];
    Shown next = shownFor(entry, now);
    // Staying stale is no news; the moment it began, converted from the steady clock again,
    // could land in the next second and change the reason.
    if (next.status == ShownStatus::Stale && entry.shown.status == ShownStatus::Stale)
        next.reason = entry.shown.reason;
    if (next == entry.shown)
        return;
    const bool statusMoved = next.status != entry.shown.status || next.reason != entry.shown.reason;
    const Counts before = counts();
    countsFrom(entry.shown, -1);
    countsFrom(next, +1);
    entry.shown = std::move(next);
    const QString name = entry.name;
    const QString word = toString(entry.shown.status);
    const QString reason = entry.shown.reason;

    // Receivers may change the model: nothing below touches `entry`.
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (statusMoved)
        Q_EMIT statusChanged(name, word, reason);
    if (before != counts())
        Q_EMIT countsChanged();
}

void DeviceListModel::refreshAll()
{
    const Clock::time_point now = Clock::now();
    for (int row = 0; row < int(m_rows.size()); ++row)
        refresh(row, now);
}

void DeviceListModel::remove(int row)
{
    const Counts before = counts();
    beginRemoveRows({}, row, row);
    disconnect(m_rows[row].handle, nullptr, this, nullptr);
    countsFrom(m_rows[row].shown, -1);
    m_rows.erase(m_rows.begin() + row);
    reindex();
    endRemoveRows();
    if (before != counts())
        Q_EMIT countsChanged();
}

void DeviceListModel::reindex()
{
    m_rowOfName.clear();
    m_rowOfHandle.clear();
    for (int row = 0; row < int(m_rows.size()); ++row) {
        m_rowOfName.insert(m_rows[row].name, row);
        m_rowOfHandle.insert(m_rows[row].handle, row);
    }
}

void DeviceListModel::countsFrom(const Shown &shown, int sign)
{
    switch (shown.status) {
    case ShownStatus::Fault:
        m_faultCount += sign;
        break;
    case ShownStatus::Disconnected:
        m_disconnectedCount += sign;
        break;
    case ShownStatus::Stale:
        m_staleCount += sign;
        break;
    default:
        break;
    }
}

const QIcon &DeviceListModel::dot(ShownStatus status) const
{
    QIcon &icon = m_dots.at(std::size_t(status));
    if (icon.isNull()) {
        // Drawn at twice the size so that it stays round on high-density screens.
        constexpr int kSide = 16;
        constexpr qreal kScale = 2.0;
        QPixmap pixmap(int(kSide * kScale), int(kSide * kScale));
        pixmap.setDevicePixelRatio(kScale);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const QColor colour = dotColour(status);
        painter.setPen(QPen(colour.darker(130), 1.0));
        painter.setBrush(colour);
        painter.drawEllipse(QRectF(3.5, 3.5, 9.0, 9.0));
        painter.end();
        icon = QIcon(pixmap);
    }
    return icon;
}

} // namespace Benchtop::Ui
