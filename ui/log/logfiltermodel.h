// SPDX-License-Identifier: MIT
#pragma once

#include "eventlog.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace Benchtop::Ui {

/// The EventLog rows an operator asked for: of one category (or all), and whose device or
/// message contains a text, ignoring case. Keeps the log's order.
class LogFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    /// Empty: any text.
    void setText(const QString &text);
    /// nullopt: every category.
    void setCategory(std::optional<EventLog::Category> category);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    std::optional<EventLog::Category> m_category;
};

} // namespace Benchtop::Ui
