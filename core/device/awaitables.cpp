// SPDX-License-Identifier: MIT
#include "awaitables.h"

#include "device.h"
#include "deviceerror.h"
#include "dispatch.h"
#include "forwarding.h"
#include "traits.h"

#include <QPointer>

namespace Benchtop {

QCoro::Task<QVariant> callMessage(Device &device, QString message, QVariantList args)
{
    ForwardsMessages *remote = forwardingOf(&device);
    if (!remote)
        co_return invoke(device, message, args);
    device.ensureReady();
    co_return co_await remote->forward(std::move(message), std::move(args));
}

QCoro::Task<QVariant> callAndWait(
    Device &device, QString message, QVariantList args, MessageCaller call)
{
    // The device may be restarted or removed while the call or the motion is awaited: it is
    // looked at again only if it still exists.
    const QString name = device.name();
    QPointer<Device> alive(&device);
    auto check = [&] {
        if (!alive) {
            throw DeviceError(
                QStringLiteral("%1 was restarted or removed during %2").arg(name, message));
        }
    };
    if (!call) {
        call = [alive](QString m, QVariantList a) -> QCoro::Task<QVariant> {
            if (!alive)
                throw DeviceError(QStringLiteral("the device was restarted or removed"));
            co_return co_await callMessage(*alive, std::move(m), std::move(a));
        };
    }
    const std::optional<MessageDefinition> definition = messageDefinition(device, message);
    const OnceIdle onceIdle = definition ? definition->onceIdle : OnceIdle::Response;
    if (onceIdle == OnceIdle::Measurement)
        args = {false}; // one shot: a loop would never be idle
    const bool reportsFailure = definition && definition->effect == Effect::Acts
        && messageDefinition(device, QStringLiteral("get_error"));

    const QVariant response = co_await call(message, args);
    check();
    co_await alive->untilIdle();
    check();
    if (reportsFailure) {
        const QString error = (co_await call(QStringLiteral("get_error"), {})).toString();
        if (!error.isEmpty())
            throw DeviceError(error);
    }
    switch (onceIdle) {
    case OnceIdle::Response:
        co_return response;
    case OnceIdle::Position:
        check();
        if (!alive->hasTrait(Trait::HasPosition))
            co_return response;
        co_return co_await call(QStringLiteral("get_position"), {});
    case OnceIdle::Identifier:
        co_return co_await call(QStringLiteral("get_identifier"), {});
    case OnceIdle::Measurement: {
        const int id = response.toInt();
        QVariantMap measured = (co_await call(QStringLiteral("get_measured"), {})).toMap();
        if (measured.value(StateKey::MeasurementId).toInt() != id) {
            throw DeviceError(
                QStringLiteral("%1: measurement %2 was stopped before it ended").arg(name).arg(id));
        }
        co_return QVariant(measured);
    }
    }
    co_return response;
}

QCoro::Task<double> moveTo(Device &device, double position)
{
    co_return (co_await callAndWait(device, QStringLiteral("set_position"), {position})).toDouble();
}

QCoro::Task<double> homeAndWait(Device &device)
{
    co_return (co_await callAndWait(device, QStringLiteral("home"))).toDouble();
}

QCoro::Task<QVariantMap> measureOnce(Device &device)
{
    co_return (co_await callAndWait(device, QStringLiteral("measure"))).toMap();
}

QCoro::Task<QString> moveToIdentifier(Device &device, const QString &identifier)
{
    co_return (co_await callAndWait(device, QStringLiteral("set_identifier"), {identifier}))
        .toString();
}

} // namespace Benchtop
