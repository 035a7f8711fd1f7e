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

namespace {
const QString kPosition = QStringLiteral("position");
const QString kDestination = QStringLiteral("destination");
const QString kIdentifier = QStringLiteral("position_identifier");

constexpr auto kBusyPoll = 10ms;
constexpr auto kIdlePoll = 100ms;
} // namespace

SimFilterWheel::SimFilterWheel(DeviceSettings settings, QObject *parent)
    : SimDevice(std::move(settings), parent)
{
    const SimConfig &c = simConfig();
    m_slots = c.names(QStringLiteral("slots")); // checked by checkSimConfig
    m_secondsPerSlot = c.positive(QStringLiteral("seconds_per_slot"));
    m_moveStart = Async::now();
    publish(0, false);
    setValue(kDestination, 0.0);
    setPersistentKeys({kPosition});
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
    return values().value(kIdentifier).toString();
}

double SimFilterWheel::position() const
{
    return values().value(kPosition).toDouble();
}

double SimFilterWheel::destination() const
{
    return values().value(kDestination).toDouble();
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
    setValue(kPosition, position);
    const double slot = std::round(position);
    const bool atSlot = !moving && position == slot && slot >= 0 && slot < double(m_slots.size());
    setValue(kIdentifier, atSlot ? m_slots[static_cast<int>(slot)] : QString());
}

// ---- is-discrete -----------------------------------------------------------------------------

double SimFilterWheel::setIdentifier(const QString &identifier)
{
    ensureReady();
    const qsizetype index = m_slots.indexOf(identifier);
    if (index < 0) {
        throw DeviceError(QStringLiteral("%1 has no slot \"%2\" (slots: %3)")
                              .arg(name(), identifier, m_slots.join(QStringLiteral(", "))));
    }
    const double target = static_cast<double>(index);
    setValue(kDestination, target);
    setBusy(true);
    setValue(kIdentifier, QString()); // leaving its slot
    const quint64 command = ++m_command;
    m_commandTask.cancel();
    m_commandTask = spawn("move", [this, command, target]() -> QCoro::Task<> {
        co_await hardwareCall("move command");
        ensureCurrent(command);
        hwMoveTo(target);
        m_applied = command;
        m_wake.set();
    });
    m_wake.set();
    return target;
}

void SimFilterWheel::ensureCurrent(quint64 command) const
{
    if (command != m_command)
        throw Async::Cancelled{};
}

QCoro::Task<> SimFilterWheel::updateState()
{
    for (;;) {
        if (co_await pollHardware("position query")) {
            const Async::TimePoint now = Async::now();
            const bool ended = m_applied == m_command && !hwMoving(now);
            publish(hwPosition(now), busy() && !(ended && !stuckBusy()));
            if (busy() && ended && !stuckBusy())
                setBusy(false);
        }
        if (busy()) {
            co_await Async::sleep(kBusyPoll);
        } else {
            m_wake.clear();
            co_await Async::whenAny(
                [] { return Async::sleep(kIdlePoll); }, [this] { return m_wake.wait(); });
        }
    }
}

// ---- is-stoppable ----------------------------------------------------------------------------

void SimFilterWheel::stop()
{
    m_applied = ++m_command;
    m_commandTask.cancel();
    hwHalt();
    const double here = hwPosition(Async::now());
    publish(here, false);
    setValue(kDestination, here);
    setBusy(false);
    m_wake.set();
}

// ---- state -----------------------------------------------------------------------------------

void SimFilterWheel::restoreState(const QVariantMap &saved)
{
    SimDevice::restoreState(saved);
    const double here = std::clamp(position(), 0.0, double(m_slots.size() - 1));
    m_from = m_to = here;
    m_moveStart = Async::now();
    publish(here, false);
    setValue(kDestination, here);
}

} // namespace Benchtop::Sim
