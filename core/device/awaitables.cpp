// SPDX-License-Identifier: MIT
#include "awaitables.h"

#include "device.h"
#include "deviceerror.h"
#include "dispatch.h"
#include "traits.h"

namespace Benchtop {

namespace {
/// A call whose work runs in the background (a setpoint sent to an instrument, a measurement
/// read from it) reports its failure in the value `error`, cleared when such a call starts.
void throwIfTheCallFailed(const Device &device)
{
    const QString error = device.values().value(QStringLiteral("error")).toString();
    if (!error.isEmpty())
        throw DeviceError(error);
}
} // namespace

QCoro::Task<double> moveTo(Device &device, double position)
{
    invoke(device, QStringLiteral("set_position"), {position});
    co_await device.untilIdle();
    throwIfTheCallFailed(device);
    co_return qobject_cast<HasPosition *>(&device)->position();
}

QCoro::Task<double> homeAndWait(Device &device)
{
    invoke(device, QStringLiteral("home"));
    co_await device.untilIdle();
    throwIfTheCallFailed(device);
    auto *positioned = qobject_cast<HasPosition *>(&device);
    co_return positioned ? positioned->position() : 0.0;
}

QCoro::Task<QVariantMap> measureOnce(Device &device)
{
    const int id = invoke(device, QStringLiteral("measure"), {false}).toInt();
    co_await device.untilIdle();
    throwIfTheCallFailed(device);
    QVariantMap measured = qobject_cast<IsSensor *>(&device)->measured();
    if (measured.value(QStringLiteral("measurement_id")).toInt() != id) {
        throw DeviceError(QStringLiteral("%1: measurement %2 was stopped before it ended")
                              .arg(device.name())
                              .arg(id));
    }
    co_return measured;
}

QCoro::Task<QString> moveToIdentifier(Device &device, const QString &identifier)
{
    invoke(device, QStringLiteral("set_identifier"), {identifier});
    co_await device.untilIdle();
    throwIfTheCallFailed(device);
    co_return qobject_cast<IsDiscrete *>(&device)->identifier();
}

} // namespace Benchtop
