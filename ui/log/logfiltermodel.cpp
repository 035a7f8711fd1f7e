// SPDX-License-Identifier: MIT
#include "logfiltermodel.h"

namespace Benchtop::Ui {

void LogFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

void LogFilterModel::setCategory(std::optional<EventLog::Category> category)
{
    if (category == m_category)
        return;
    m_category = category;
    invalidateRowsFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto *log = qobject_cast<const EventLog *>(sourceModel());
    if (!log)
        return true;
    const EventLog::Entry &entry = log->entry(sourceRow);
    if (m_category && entry.category != *m_category)
        return false;
    return m_text.isEmpty() || entry.device.contains(m_text, Qt::CaseInsensitive)
        || entry.message.contains(m_text, Qt::CaseInsensitive);
}

} // namespace Benchtop::Ui
