// SPDX-License-Identifier: MIT
#include "simfilterwheel.h"

#include <async/combinators.h>
#include <async/errors.h>
#include <async/sleep.h>
#include <device/deviceerror.h>

#include <algorithm>
#include <cmath>

using namespace std::chrono_literals;

namespace Benchtop::Sim {

SimFilterWheel::SimFilterWheel(DeviceSettings settings, QObject *parent)
    : SimDevice(std::move(settings), parent)
{
    const SimConfig &c = simConfig();
    m_slots = c.names(QStringLiteral("slots")); // checked by checkSimConfig
    m_secondsPerSlot = c.positive(QStringLiteral("seconds_per_slot"));
    m_moveStart = Async::now();
    publish(0, false);
    setValue(StateKey::Destination, 0.0);
    setPersistentKeys({StateKey::Position});
}

SimFilterWheel::~SimFilterWheel()
{
    stopTasksNow();
}

QMap<QString, double> SimFilterWheel::positionIdentifiers() const
{
    QMap<QString, double> identifiers;
    for (int i = 0; i < m_slots.size(); ++i)
        identifiers.insert(m_slots[i], i);
    return identifiers;
}

QString SimFilterWheel::identifier() const
{
    return values().value(StateKey::PositionIdentifier).toString();
}

double SimFilterWheel::position() const
{
    return values().value(StateKey::Position).toDouble();
}

double SimFilterWheel::destination() const
{
    return values().value(StateKey::Destination).toDouble();
}

// ---- the simulated wheel ---------------------------------------------------------------------

double SimFilterWheel::hwPosition(Async::TimePoint at) const
{
    const double turned
        = std::chrono::duration<double>(at - m_moveStart).count() / m_secondsPerSlot;
    const double distance = std::abs(m_to - m_from);
    if (turned >= distance)
        return m_to;
    return m_from + (m_to > m_from ? turned : -turned);
}

bool SimFilterWheel::hwMoving(Async::TimePoint at) const
{
    return hwPosition(at) != m_to;
}

void SimFilterWheel::hwMoveTo(double target)
{
    const Async::TimePoint now = Async::now();
    m_from = hwPosition(now);
    m_to = target;
    m_moveStart = now;
}

void SimFilterWheel::hwHalt()
{
    const Async::TimePoint now = Async::now();
    m_from = m_to = hwPosition(now);
    m_moveStart = now;
}

void SimFilterWheel::publish(double position, bool moving)
{
    setValue(StateKey::Position, position);
    const double slot = std::round(position);
    const bool atSlot = !moving && position == slot && slot >= 0 && slot < double(m_slots.size());
    setValue(StateKey::PositionIdentifier, atSlot ? m_slots[static_cast<int>(slot)] : QString());
}

// ---- is-discrete -----------------------------------------------------------------------------

double SimFilterWheel::setIdentifier(const QString &identifier)
{
    const qsizetype index = m_slots.indexOf(identifier);
    if (index < 0) {
        throw DeviceError(QStringLiteral("%1 has no slot \"%2\" (slots: %3)")
                              .arg(name(), identifier, m_slots.join(QStringLiteral(", "))));
    }
    const double target = static_cast<double>(index);
    setValue(StateKey::Destination, target);
    setBusy(true);
    setValue(StateKey::PositionIdentifier, QString()); // leaving its slot
    sendCommand("move", [this, target](quint64 command) -> QCoro::Task<> {
        co_await hardwareCall("move command");
        ensureCurrent(command);
        hwMoveTo(target);
        commandTaken(command);
    });
    return target;
}

QCoro::Task<> SimFilterWheel::updateState()
{
    for (;;) {
        if (co_await pollHardware("position query")) {
            const Async::TimePoint now = Async::now();
            const bool ended = commandsTaken() && !hwMoving(now);
            publish(hwPosition(now), busy() && !(ended && !stuckBusy()));
            if (busy() && ended && !stuckBusy())
                setBusy(false);
        }
        co_await untilNextPoll();
    }
}

// ---- is-stoppable ----------------------------------------------------------------------------

void SimFilterWheel::stop()
{
    supersedeCommands();
    hwHalt();
    const double here = hwPosition(Async::now());
    publish(here, false);
    setValue(StateKey::Destination, here);
    setBusy(false);
}

// ---- state -----------------------------------------------------------------------------------

void SimFilterWheel::restoreState(const QVariantMap &saved)
{
    SimDevice::restoreState(saved);
    const double here = std::clamp(position(), 0.0, double(m_slots.size() - 1));
    m_from = m_to = here;
    m_moveStart = Async::now();
    publish(here, false);
    setValue(StateKey::Destination, here);
}

} // namespace Benchtop::Sim
