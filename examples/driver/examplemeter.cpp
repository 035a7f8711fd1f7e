// SPDX-License-Identifier: MIT
#include "examplemeter.h"

#include <async/sleep.h>

#include <cmath>

using namespace Benchtop;

namespace ExampleDriver {

ExampleMeter::ExampleMeter(DeviceSettings settings)
    : Device(std::move(settings))
    , SensorState(this)
    , MeasurementRunner(this, this)
    // The registry has checked the config against example.json and filled in its defaults.
    , m_integration(config().value(QStringLiteral("integration_ms")).toLongLong())
{
    setChannels({{QStringLiteral("voltage"), QStringLiteral("V"), {}}});
}

ExampleMeter::~ExampleMeter()
{
    stopTasksNow(); // no task may outlive the members it uses
}

QCoro::Task<QVariantMap> ExampleMeter::acquire()
{
    // A real driver awaits its instrument here (a transport, or Async::runBlocking for a
    // vendor's blocking call); the device's other tasks and calls go on meanwhile.
    co_await Async::sleep(m_integration);
    const double seconds = std::chrono::duration<double>(Async::now().time_since_epoch()).count();
    co_return QVariantMap{{QStringLiteral("voltage"), std::sin(seconds / 10) + m_offset}};
}

QList<MessageDefinition> ExampleMeter::ownMessages() const
{
    // Declared, so that Benchtop checks a call's arguments (and fills in the default) before
    // invokeOwn() and lists the message in the device's yaq protocol document.
    return {{.name = QStringLiteral("set_offset"),
        .trait = kind(),
        .request = {parameter(QStringLiteral("offset"), QStringLiteral("double"), 0.0)},
        .doc = QStringLiteral("Adds `offset` volts to every later reading."),
        .effect = Effect::Acts}};
}

QVariant ExampleMeter::invokeOwn(const QString &message, const QVariantList &args)
{
    if (message == QLatin1String("set_offset"))
        m_offset = args.at(0).toDouble();
    return {};
}

} // namespace ExampleDriver
