// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;

namespace Benchtop::Ui {

class EventLog;
class LogFilterModel;

/// The log pane: the EventLog in a table, newest at the bottom, with a text filter (device or
/// message; objectName "logFilter"), a category choice ("logCategory": All, Faults, Refused,
/// Plugins, Actions) and a Clear button ("logClear"). It follows new entries unless the
/// operator has scrolled up to read older ones. Ctrl+C copies the selected entries as text.
/// Does not own the log, which must outlive it.
class LogPane : public QWidget {
    Q_OBJECT
public:
    explicit LogPane(EventLog *log, QWidget *parent = nullptr);
    ~LogPane() override;

    EventLog *log() const { return m_log; }
    QTableView *view() const { return m_view; }

private:
    void sizeColumns();
    void copySelection() const;

    EventLog *m_log;
    LogFilterModel *m_filter;
    QLineEdit *m_text;
    QComboBox *m_category;
    QPushButton *m_clear;
    QTableView *m_view;
    bool m_following = true;
};

} // namespace Benchtop::Ui
