// SPDX-License-Identifier: MIT
#pragma once

#include <device/messagedefinition.h>

#include <QList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QCheckBox;
class QPushButton;

namespace Benchtop::Ui {

class DeviceActions;

/// A driver's own messages (a simulator's `press` and `click`, an instrument's `query`), each a
/// row: a call button, one field per declared parameter (a check box for a boolean, a line edit
/// for the rest, holding the default when there is one) and the last answer. A typed argument
/// is converted by the parameter's Avro type; one that does not convert is refused before
/// anything is sent. Shown in the panel's Advanced section.
///
/// Object names: call:<message> (button), arg:<message>:<parameter> (field),
/// answer:<message> (label).
class OwnMessagesForm : public QWidget {
    Q_OBJECT
public:
    OwnMessagesForm(const QList<MessageDefinition> &messages, DeviceActions *actions,
        QWidget *parent = nullptr);

    /// The call buttons and fields, for the panel to switch with the device's readiness.
    QList<QWidget *> controls() const { return m_controls; }

private:
    struct Row {
        MessageDefinition message;
        QList<QWidget *> fields; ///< one per parameter: QLineEdit or QCheckBox
        QLabel *answer = nullptr;
    };
    void call(const Row &row);

    DeviceActions *m_actions;
    QList<Row> m_rows;
    QList<QWidget *> m_controls;
};

} // namespace Benchtop::Ui
