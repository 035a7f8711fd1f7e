// SPDX-License-Identifier: MIT
#include "simmotor.h"

#include <async/combinators.h>
#include <async/errors.h>
#include <async/sleep.h>
#include <device/deviceerror.h>

#include <algorithm>

using namespace std::chrono_literals;

namespace Benchtop::Sim {

namespace {
const QString kHomed = QStringLiteral("homed");

constexpr auto kSwitchPoll = 10ms; // how often homing reads the index switch

double seconds(Async::Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}
} // namespace

SimMotor::SimMotor(DeviceSettings settings, QObject *parent)
    : SimDevice(std::move(settings), parent)
    , PositionState(this)
{
    const SimConfig &c = simConfig();
    m_units = c.string(QStringLiteral("units"));
    m_limits = c.limits(QStringLiteral("limits"));
    m_hwLimits = c.limits(QStringLiteral("hw_limits"));
    m_policy = *outOfLimitsFromString(c.choice(QStringLiteral("out_of_limits"),
        {QStringLiteral("closest"), QStringLiteral("ignore"), QStringLiteral("error")}));
    m_speed = c.positive(QStringLiteral("speed"));
    m_acceleration = c.positive(QStringLiteral("acceleration"));
    // That limits overlap hw_limits and home_position is within them, SimDevice has checked
    // (checkSimConfig).
    m_home = c.number(QStringLiteral("home_position"));
    m_instant = c.has(QStringLiteral("instant")) && c.boolean(QStringLiteral("instant"));

    // Powered up at 0, or as close to it as the travel allows, until restoreState() says where.
    const double start = std::clamp(0.0, m_hwLimits.lower, m_hwLimits.upper);
    m_profile = TrapezoidProfile(start);
    m_profileStart = Async::now();
    publishPosition(start);
    publishDestination(start);
    setValue(StateKey::HwLimits, QVariantList{m_hwLimits.lower, m_hwLimits.upper});
    setValue(kHomed, false);
    setPersistentKeys({StateKey::Position, StateKey::Destination});
}

SimMotor::~SimMotor()
{
    stopTasksNow(); // before the members the tasks use go
}

bool SimMotor::isHomed() const
{
    return values().value(kHomed).toBool();
}

// ---- the simulated controller ----------------------------------------------------------------

double SimMotor::hwPosition(Async::TimePoint at) const
{
    return m_profile.position(seconds(at - m_profileStart));
}

double SimMotor::hwVelocity(Async::TimePoint at) const
{
    return m_profile.velocity(seconds(at - m_profileStart));
}

bool SimMotor::hwMoving(Async::TimePoint at) const
{
    return !m_profile.isDone(seconds(at - m_profileStart));
}

void SimMotor::hwMoveTo(double target)
{
    const Async::TimePoint now = Async::now();
    if (m_instant) {
        m_profile = TrapezoidProfile(std::clamp(target, m_hwLimits.lower, m_hwLimits.upper));
        m_profileStart = now;
        return;
    }
    const double here = hwPosition(now);
    // From the current position and velocity: a running move is retargeted smoothly.
    m_profile = TrapezoidProfile(here, std::clamp(target, m_hwLimits.lower, m_hwLimits.upper),
        m_speed, m_acceleration, hwVelocity(now));
    m_profileStart = now;
}

void SimMotor::hwHalt()
{
    const Async::TimePoint now = Async::now();
    m_profile = TrapezoidProfile(hwPosition(now));
    m_profileStart = now;
}

// ---- has-position ----------------------------------------------------------------------------

void SimMotor::move(double target)
{
    if (m_homing)
        throw DeviceError(QStringLiteral("%1 is homing; wait for it or stop it").arg(name()));
    setBusy(true);
    sendCommand("move", [this, target](quint64 command) -> QCoro::Task<> {
        co_await hardwareCall("move command");
        ensureCurrent(command);
        hwMoveTo(target);
        commandTaken(command);
        if (m_instant && !stuckBusy()) {
            // Arrived already: said now rather than at the next poll, 10 ms away.
            publishPosition(hwPosition(Async::now()));
            setBusy(false);
        }
    });
}

QCoro::Task<> SimMotor::updateState()
{
    for (;;) {
        if (co_await pollHardware("position query")) {
            const Async::TimePoint now = Async::now();
            publishPosition(hwPosition(now));
            const bool ended = !m_homing && commandsTaken() && !hwMoving(now);
            if (busy() && ended && !stuckBusy())
                setBusy(false);
        }
        co_await untilNextPoll();
    }
}

// ---- is-homeable -----------------------------------------------------------------------------

void SimMotor::home()
{
    if (m_homing)
        return;
    m_homing = true;
    setValue(kHomed, false); // until the switch is found again
    setBusy(true);
    sendCommand("home", [this](quint64 command) { return runHoming(command); });
}

QCoro::Task<> SimMotor::runHoming(quint64 command)
{
    const double returnTo = destination();
    co_await hardwareCall("home command");
    ensureCurrent(command);

    // The search: towards the switch, as far as the travel goes, until the switch trips.
    const bool upwards = m_home >= hwPosition(Async::now());
    hwMoveTo(upwards ? m_hwLimits.upper : m_hwLimits.lower);
    for (;;) {
        co_await Async::sleep(kSwitchPoll);
        ensureCurrent(command);
        co_await hardwareCall("index switch query");
        ensureCurrent(command);
        const Async::TimePoint now = Async::now();
        const double here = hwPosition(now);
        if (upwards ? here >= m_home : here <= m_home)
            break;
        if (!hwMoving(now)) {
            throw DeviceError(
                QStringLiteral("%1: homing reached the end of travel without finding the index "
                               "switch")
                    .arg(name()));
        }
    }
    // Stopped where the switch tripped (just past it, by up to one poll of travel), which is
    // the zero reference: the switch reads home_position. The simulated counter never drifts,
    // so the reference found agrees with the one it had; a real stage's would be corrected here.
    hwHalt();
    publishPosition(hwPosition(Async::now()));
    setValue(kHomed, true);

    // Back to where it was going before homing.
    hwMoveTo(returnTo);
    while (hwMoving(Async::now()) || stuckBusy()) {
        co_await Async::sleep(kBusyPoll);
        ensureCurrent(command);
    }
    publishPosition(hwPosition(Async::now()));
    m_homing = false;
    commandTaken(command);
    setBusy(false);
}

// ---- is-stoppable ----------------------------------------------------------------------------

void SimMotor::stop()
{
    supersedeCommands(); // a move being sent or a homing run
    m_homing = false;
    hwHalt();
    const double here = hwPosition(Async::now());
    publishPosition(here);
    publishDestination(here);
    setBusy(false);
}

// ---- state -----------------------------------------------------------------------------------

void SimMotor::restoreState(const QVariantMap &saved)
{
    SimDevice::restoreState(saved);
    const double here = std::clamp(position(), m_hwLimits.lower, m_hwLimits.upper);
    m_profile = TrapezoidProfile(here);
    m_profileStart = Async::now();
    publishPosition(here);
    publishDestination(here); // an interrupted move is not resumed
}

} // namespace Benchtop::Sim
