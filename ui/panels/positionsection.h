// SPDX-License-Identifier: MIT
#pragma once

#include "panelsection.h"

#include <device/limits.h>
#include <widgets/numberformat.h>

#include <optional>

class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace Benchtop {
struct DeviceDescription;
}

namespace Benchtop::Ui {

/// has-position (with has-limits, is-homeable, is-stoppable when the device has them): the
/// current position and destination, a target to go to, relative steps, Stop and Home.
///
/// Limits are those of the `destination` property; a target outside them is handled on the
/// panel by the device's `out_of_limits` policy (config; "closest" when unset), see
/// checkTarget(). The target box's range is deliberately wider than the limits, so an
/// out-of-limits number can be typed and its refusal explained.
///
/// Enter in the target box is the same as Go.
///
/// Object names: positionLabel, destinationLabel, limitsLabel (live text); targetSpin, goButton;
/// stepSpin, stepDownButton, stepUpButton; stopButton (is-stoppable), homeButton (is-homeable).
class PositionSection : public PanelSection {
    Q_OBJECT
public:
    PositionSection(
        const DeviceDescription &description, DeviceActions *actions, QWidget *parent = nullptr);

    void showSnapshot(const DeviceSnapshot &snapshot) override;

private:
    void go();
    /// Clears the notice about the last target, if one is shown.
    void forgetNotice();
    void step(int direction);
    QString withUnits(double value) const;

    QString m_units;
    QString m_setter; ///< the destination's setter (set_position)
    QString m_positionKey;
    QString m_destinationKey;
    std::optional<Limits> m_limits;
    OutOfLimits m_policy = OutOfLimits::Closest;
    NumberFormat m_format; ///< its position's, as the plot and the log write it
    double m_destination = 0;
    bool m_targetShown = false; ///< the target box has been given the device's destination once
    /// The target a notice (moving to the limit instead) was about: the notice holds until the
    /// destination, having reached it, moves away (another move began).
    std::optional<double> m_noticeTarget;
    bool m_noticeTargetReached = false;

    QLabel *m_positionLabel = nullptr;
    QLabel *m_destinationLabel = nullptr;
    QDoubleSpinBox *m_target = nullptr;
    QDoubleSpinBox *m_step = nullptr;
};

} // namespace Benchtop::Ui
