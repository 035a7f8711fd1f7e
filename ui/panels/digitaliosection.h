// SPDX-License-Identifier: MIT
#pragma once

#include "panelsection.h"

#include <QHash>
#include <QList>
#include <QSet>

class QLabel;
class QPushButton;

namespace Benchtop {
struct DeviceDescription;
}

namespace Benchtop::Ui {

class LedIndicator;

/// has-digital-io: a toggle per output line, calling its setter (set_output(line, on)) and
/// otherwise following the device (a flashing pattern shows); a lamp per input line with its
/// last push-button event (the snapshot's `last_events`: line → press | release | double |
/// long).
///
/// Lines are the Bool properties published under `outputs/` and `inputs/`.
/// Object names: output:<line> (checkable button), input:<line> (LedIndicator),
/// inputEvent:<line> (label).
class DigitalIoSection : public PanelSection {
    Q_OBJECT
public:
    DigitalIoSection(
        const DeviceDescription &description, DeviceActions *actions, QWidget *parent = nullptr);

    void showSnapshot(const DeviceSnapshot &snapshot) override;

    /// How an input event of `last_events` is shown ("press" → "pressed").
    static QString describeEvent(const QString &event);

private:
    struct Output {
        QString line;
        QString stateKey;
        QString setter;
        QVariant argument;
        QPushButton *button = nullptr;
    };
    struct Input {
        QString line;
        QString stateKey;
        LedIndicator *lamp = nullptr;
        QLabel *event = nullptr;
    };
    void setOutput(const Output &output, bool on);
    void followDevice(const Output &output, const DeviceSnapshot &snapshot);

    QList<Output> m_outputs;
    QList<Input> m_inputs;
    QSet<QString> m_pending; ///< outputs whose set_output has not been answered yet
};

} // namespace Benchtop::Ui
