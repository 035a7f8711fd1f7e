// SPDX-License-Identifier: MIT
#pragma once

#include "panelsection.h"

#include <widgets/numberformat.h>

#include <QList>
#include <QVariant>

#include <chrono>
#include <deque>
#include <utility>

class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace Benchtop {
struct DeviceDescription;
}

namespace Benchtop::Ui {

/// is-sensor, with has-measure-trigger when the device has it: a table of channels (name, value,
/// units; arrays summarised as "[n values] min … max"), the measurement id and the local time
/// it last changed; Measure (one measurement) and a Loop toggle (measure(loop=true) while
/// checked, stop_looping when unchecked). The toggle follows the device: it unchecks itself
/// when the loop ends for another reason (stop, a fault).
///
/// Channels are the properties published under `measured/`. Values are redrawn only when the
/// measurement id changes, so a large spectrum costs nothing between measurements.
///
/// Object names: channelValue:<channel> (live text), measurementIdLabel, lastMeasuredLabel;
/// measureButton, loopButton, loopIntervalSpin (the loop's interval, set when edited) and
/// loopRateLabel (the rate the running loop achieves), loopEndedLabel (why the last loop ended
/// by itself, the device's `loop_ended`: "loop ended: link to dmm lost (…)"; hidden while it
/// has nothing to say) (has-measure-trigger).
class SensorSection : public PanelSection {
    Q_OBJECT
public:
    SensorSection(
        const DeviceDescription &description, DeviceActions *actions, QWidget *parent = nullptr);

    void showSnapshot(const DeviceSnapshot &snapshot) override;

private:
    void measure();
    void setLooping(bool on);
    void loopEnded();
    void setLoopInterval();
    /// The measurements a second over the last few seconds of a running loop.
    void showLoopRate(const QVariant &id);

    struct Channel {
        QString stateKey;
        QLabel *value = nullptr;
        NumberFormat format; ///< its property's, as the plot and Advanced write it
    };
    QList<Channel> m_channels;
    QString m_idKey;
    QLabel *m_idLabel = nullptr;
    QLabel *m_lastMeasuredLabel = nullptr;
    QPushButton *m_measureButton = nullptr;
    QPushButton *m_loopButton = nullptr;
    QDoubleSpinBox *m_intervalSpin = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLabel *m_loopEndedLabel = nullptr;
    QString m_intervalKey;
    QVariant m_lastShownRateId;
    /// (when, measurement id) of the loop's latest measurements, oldest first.
    std::deque<std::pair<std::chrono::steady_clock::time_point, qlonglong>> m_loopIds;

    QVariant m_lastId;
    bool m_seenSnapshot = false;
    /// Starting: measure(loop) sent, not answered yet; the device's busy state before the answer
    /// may predate the loop. Running: answered, so the end of busy is the end of the loop.
    enum class Loop { Off, Starting, Running } m_loop = Loop::Off;
};

} // namespace Benchtop::Ui
