// SPDX-License-Identifier: MIT
#include "yaqfactory.h"

#include "remotedevice.h"
#include "yaqaddress.h"

#include <device/deviceerror.h>

namespace Benchtop::YaqDriver {

Device *YaqFactory::create(const DeviceSettings &settings)
{
    if (settings.kind != QLatin1String("yaq"))
        throw DeviceError(QStringLiteral("yaq: unknown driver kind \"%1\"").arg(settings.kind));
    return new RemoteDevice(settings);
}

QList<ConfigProblem> YaqFactory::checkConfig(const DeviceSettings &settings) const
{
    return checkYaqConfig(settings.config);
}

} // namespace Benchtop::YaqDriver
