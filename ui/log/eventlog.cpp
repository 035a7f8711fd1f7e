// SPDX-License-Identifier: MIT
#include "eventlog.h"

#include <widgets/tint.h>

#include <QGuiApplication>
#include <QPalette>

namespace Benchtop::Ui {

namespace {

const QString kTimeFormat = QStringLiteral("hh:mm:ss.zzz");

/// Only the categories that ask for attention have one.
QColor categoryColour(EventLog::Category category)
{
    switch (category) {
    case EventLog::Category::Fault:
        return QColor(0xd7, 0x26, 0x1e); // the device list's fault red
    case EventLog::Category::Loop:
        return QColor(0xc8, 0x7a, 0x10); // the panels' "not responding" orange
    case EventLog::Category::Refused:
        return QColor(0xd9, 0x9a, 0x06); // amber
    case EventLog::Category::Plugin:
    case EventLog::Category::Action:
    case EventLog::Category::Info:
        break;
    }
    return {};
}

} // namespace

EventLog::EventLog(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void EventLog::add(Category category, const QString &device, const QString &message)
{
    // Room first, so that the view never holds more than capacity() rows.
    if (int(m_entries.size()) >= m_capacity)
        dropOldest(int(m_entries.size()) - m_capacity + 1);
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.push_back({QDateTime::currentDateTime(), category, device, message});
    endInsertRows();
}

void EventLog::clear()
{
    if (m_entries.empty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

void EventLog::setCapacity(int capacity)
{
    m_capacity = std::max(capacity, 1);
    if (int(m_entries.size()) > m_capacity)
        dropOldest(int(m_entries.size()) - m_capacity);
}

QString EventLog::toText(int row) const
{
    const Entry &e = entry(row);
    QString text
        = e.time.toString(kTimeFormat) + QLatin1Char(' ') + toString(e.category) + QLatin1Char(' ');
    if (!e.device.isEmpty())
        text += e.device + QLatin1String(": ");
    return text + e.message;
}

QString EventLog::toFileText() const
{
    QString text;
    for (const Entry &e : m_entries) {
        QString message = e.message;
        message.replace(QLatin1Char('\n'), QLatin1Char(' '));
        text += e.time.toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz")) + QLatin1Char('\t')
            + toString(e.category) + QLatin1Char('\t') + e.device + QLatin1Char('\t') + message
            + QLatin1Char('\n');
    }
    return text;
}

QString EventLog::toString(Category category)
{
    switch (category) {
    case Category::Fault:
        return tr("fault");
    case Category::Loop:
        return tr("loop");
    case Category::Refused:
        return tr("refused");
    case Category::Plugin:
        return tr("plugin");
    case Category::Action:
        return tr("action");
    case Category::Info:
        return tr("info");
    }
    return {};
}

int EventLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int EventLog::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLog::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = entry(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return e.time.toString(kTimeFormat);
        case CategoryColumn:
            return toString(e.category);
        case DeviceColumn:
            return e.device;
        case MessageColumn:
            return e.message;
        }
        break;
    case Qt::ToolTipRole:
        // The message column is elided in a narrow pane; the time column hides the date.
        if (index.column() == TimeColumn)
            return e.time.toString(Qt::ISODateWithMs);
        if (index.column() == MessageColumn)
            return e.message;
        break;
    case Qt::BackgroundRole:
        if (const QColor colour = categoryColour(e.category); colour.isValid())
            return tinted(QGuiApplication::palette().color(QPalette::Base), colour);
        break;
    case Qt::ForegroundRole:
        if (const QColor colour = categoryColour(e.category);
            colour.isValid() && index.column() == CategoryColumn)
            return readableOn(QGuiApplication::palette().color(QPalette::Base), colour);
        break;
    case CategoryRole:
        return QVariant::fromValue(e.category);
    }
    return {};
}

QVariant EventLog::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case CategoryColumn:
        return tr("Category");
    case DeviceColumn:
        return tr("Device");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

void EventLog::dropOldest(int count)
{
    beginRemoveRows({}, 0, count - 1);
    m_entries.erase(m_entries.begin(), m_entries.begin() + count);
    endRemoveRows();
}

} // namespace Benchtop::Ui
