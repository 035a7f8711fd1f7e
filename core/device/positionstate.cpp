// SPDX-License-Identifier: MIT
#include "positionstate.h"

#include "device.h"
#include "limits.h"

#include <QtNumeric>

namespace Benchtop {

PositionState::PositionState(Device *self)
    : m_self(*self)
{
    m_self.setValue(StateKey::Position, qQNaN());
    m_self.setValue(StateKey::Destination, qQNaN());
}

double PositionState::position() const
{
    return m_self.values().value(StateKey::Position, qQNaN()).toDouble();
}

double PositionState::destination() const
{
    return m_self.values().value(StateKey::Destination, qQNaN()).toDouble();
}

void PositionState::setPosition(double target)
{
    std::optional<double> to = target;
    // The device object is complete by the time it is called, so the cast sees every trait.
    if (auto *limited = qobject_cast<HasLimits *>(&m_self))
        to = applyLimits(target, limited->limits(), limited->outOfLimits(), m_self.name());
    else if (qIsNaN(target))
        to = applyLimits(target, Limits(), OutOfLimits::Error, m_self.name());
    if (!to)
        return; // out_of_limits = ignore
    const double before = destination();
    publishDestination(*to);
    try {
        move(*to);
    } catch (...) {
        publishDestination(before);
        throw;
    }
}

void PositionState::publishPosition(double position)
{
    m_self.setValue(StateKey::Position, position);
}

void PositionState::publishDestination(double destination)
{
    m_self.setValue(StateKey::Destination, destination);
}

} // namespace Benchtop
