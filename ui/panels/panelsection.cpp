// SPDX-License-Identifier: MIT
#include "panelsection.h"

namespace Benchtop::Ui {

PanelSection::PanelSection(const QString &title, DeviceActions *actions, QWidget *parent)
    : QGroupBox(title, parent)
    , m_actions(actions)
{
}

} // namespace Benchtop::Ui
