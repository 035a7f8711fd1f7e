// SPDX-License-Identifier: MIT
#pragma once

#include "panelsection.h"

class QComboBox;
class QLabel;

namespace Benchtop {
struct PropertyInfo;
}

namespace Benchtop::Ui {

/// is-discrete or has-turret: the current named position (empty while between positions) and a
/// selector of the property's options that calls its setter (set_identifier, set_turret). The
/// selector follows the device whenever it arrives at a named position.
///
/// Object names, by kind: identifierCombo, identifierLabel (is-discrete); turretCombo,
/// turretLabel (has-turret); discreteStopButton when it has a Stop button.
class DiscreteSection : public PanelSection {
    Q_OBJECT
public:
    enum class Kind { Identifier, Turret };
    enum class StopButton { No, Yes };

    DiscreteSection(Kind kind, const PropertyInfo &property, StopButton stop,
        DeviceActions *actions, QWidget *parent = nullptr);

    void showSnapshot(const DeviceSnapshot &snapshot) override;

private:
    void select(int index);

    Kind m_kind;
    QString m_setter;
    QVariant m_argument;
    QString m_stateKey;
    QComboBox *m_combo = nullptr;
    QLabel *m_current = nullptr;
};

} // namespace Benchtop::Ui
