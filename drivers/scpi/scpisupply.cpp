// SPDX-License-Identifier: MIT
#include "scpisupply.h"

#include "scpireply.h"

#include <device/deviceerror.h>

namespace Benchtop::Scpi {

ScpiSupply::ScpiSupply(
    DeviceSettings settings, std::unique_ptr<Io::Transport> transport, QObject *parent)
    : ScpiInstrument(std::move(settings), std::move(transport), parent)
    , PositionState(this)
    , m_setpoint(*scpiConfig().setpoint)
{
}

ScpiSupply::~ScpiSupply()
{
    stopTasksNow();
}

void ScpiSupply::move(double target)
{
    clearError();
    setBusy(true);
    const quint64 run = ++m_run;
    m_setting.cancel(); // a setpoint still being sent is superseded
    m_setting = spawn("set setpoint", [this, run, target] { return applySetpoint(run, target); });
}

void ScpiSupply::stop()
{
    ++m_run;
    m_setting.cancel();
    ScpiInstrument::stop();
}

QCoro::Task<> ScpiSupply::applySetpoint(quint64 run, double target)
{
    try {
        auto session = co_await line().begin();
        co_await command(session, formatCommand(m_setpoint.command, target));
        co_await readBack(session);
    } catch (const DeviceError &e) {
        if (run == m_run)
            reportError(e.message());
    }
    if (run == m_run)
        setBusy(false);
}

QCoro::Task<> ScpiSupply::readBack(Io::LineChannel::Session &session)
{
    const QString reply = co_await session.query(m_setpoint.query);
    publishPosition(number(m_setpoint.query, reply));
}

QCoro::Task<> ScpiSupply::prepare(Io::LineChannel::Session &session)
{
    co_await ScpiInstrument::prepare(session);
    co_await readBack(session);
    if (!busy()) // what the instrument holds is where it is headed
        publishDestination(position());
}

QCoro::Task<> ScpiSupply::poll()
{
    auto session = co_await line().begin();
    co_await readBack(session);
}

} // namespace Benchtop::Scpi
