// SPDX-License-Identifier: MIT
#include "scpifactory.h"

#include "scpiconfig.h"
#include "scpisupply.h"

#include <device/deviceerror.h>
#include <io/transport.h>
#include <io/transportconfig.h>

namespace Benchtop::Scpi {

Device *ScpiFactory::create(const DeviceSettings &settings)
{
    if (settings.kind != QLatin1String("scpi-instrument"))
        throw DeviceError(QStringLiteral("scpi: unknown driver kind \"%1\"").arg(settings.kind));
    // Read first so that a wrong table is refused before anything is opened.
    const ScpiConfig config = ScpiConfig::read(settings.name, settings.config);
    std::unique_ptr<Io::Transport> transport = Io::makeTransport(settings.name, settings.config);
    if (config.setpoint)
        return new ScpiSupply(settings, std::move(transport));
    return new ScpiInstrument(settings, std::move(transport));
}

QList<ConfigProblem> ScpiFactory::checkConfig(const DeviceSettings &settings) const
{
    // Both halves of what create() reads: the instrument's table and its link.
    return ScpiConfig::check(settings.config) + Io::checkLinkConfig(settings.config);
}

} // namespace Benchtop::Scpi
