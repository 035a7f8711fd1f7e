// SPDX-License-Identifier: MIT
#include "device.h"

#include "deviceerror.h"
#include "diagnostics.h"
#include "forwarding.h"
#include "traits.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <cmath>
#include <optional>

namespace Benchtop {

Q_LOGGING_CATEGORY(lcDevice, "benchtop.device")
// A call's background work failed: the device is fine, the call was not (its `error`).
Q_LOGGING_CATEGORY(lcCallFailure, "benchtop.device.call")

QString toString(DeviceStatus status)
{
    switch (status) {
    case DeviceStatus::Ready:
        return QStringLiteral("ready");
    case DeviceStatus::Fault:
        return QStringLiteral("fault");
    case DeviceStatus::Stopped:
        return QStringLiteral("stopped");
    }
    return {};
}

QString toString(LinkState link)
{
    switch (link) {
    case LinkState::Connected:
        return QStringLiteral("connected");
    case LinkState::Connecting:
        return QStringLiteral("connecting");
    case LinkState::Disconnected:
        return QStringLiteral("disconnected");
    }
    return {};
}

QString toString(InputEvent event)
{
    switch (event) {
    case InputEvent::Pressed:
        return QStringLiteral("press");
    case InputEvent::Released:
        return QStringLiteral("release");
    case InputEvent::DoubleClick:
        return QStringLiteral("double");
    case InputEvent::LongPress:
        return QStringLiteral("long");
    }
    return {};
}

Device::Device(DeviceSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    setObjectName(m_settings.name);
    m_idle.set();
    makeTaskGroup();
}

Device::~Device() = default;

void Device::makeTaskGroup()
{
    m_tasks = std::make_unique<Async::TaskGroup>(m_settings.name);
    m_tasks->setErrorHandler([this](const std::exception_ptr &error, const char *taskName) {
        fail(QStringLiteral("%1 failed: %2")
                 .arg(QLatin1String(taskName ? taskName : "a task"), describeException(error)));
    });
}

QVariantMap Device::id() const
{
    QVariantMap id{{QStringLiteral("name"), name()}, {QStringLiteral("kind"), kind()}};
    for (const char *key : {"make", "model", "serial"}) {
        const QString k = QLatin1String(key);
        id.insert(k, config().value(k));
    }
    return id;
}

ForwardsMessages *forwardingOf(QObject *device)
{
    return qobject_cast<ForwardsMessages *>(device);
}

const ForwardsMessages *forwardingOf(const QObject *device)
{
    return qobject_cast<ForwardsMessages *>(const_cast<QObject *>(device));
}

QStringList Device::traits() const
{
    if (const ForwardsMessages *remote = forwardingOf(this))
        return remote->forwardedTraits();
    QStringList result{QLatin1String(Trait::IsDaemon)};
    auto *self = const_cast<Device *>(this); // qobject_cast takes a non-const QObject
    const std::pair<const char *, bool> found[] = {
        {Trait::HasPosition, qobject_cast<HasPosition *>(self) != nullptr},
        {Trait::HasLimits, qobject_cast<HasLimits *>(self) != nullptr},
        {Trait::IsHomeable, qobject_cast<IsHomeable *>(self) != nullptr},
        {Trait::HasTurret, qobject_cast<HasTurret *>(self) != nullptr},
        {Trait::IsSensor, qobject_cast<IsSensor *>(self) != nullptr},
        {Trait::HasMeasureTrigger, qobject_cast<HasMeasureTrigger *>(self) != nullptr},
        {Trait::HasMapping, qobject_cast<HasMapping *>(self) != nullptr},
        {Trait::IsDiscrete, qobject_cast<IsDiscrete *>(self) != nullptr},
        {Trait::IsStoppable, qobject_cast<IsStoppable *>(self) != nullptr},
        {Trait::HasDigitalIo, qobject_cast<HasDigitalIo *>(self) != nullptr},
    };
    for (const auto &[trait, present] : found) {
        if (present)
            result.append(QLatin1String(trait));
    }
    return result;
}

bool Device::hasTrait(const char *trait) const
{
    if (const ForwardsMessages *remote = forwardingOf(this))
        return remote->forwardedTraits().contains(QLatin1String(trait));
    auto *self = const_cast<Device *>(this);
    const QLatin1String name(trait);
    if (name == QLatin1String(Trait::IsDaemon))
        return true;
    if (name == QLatin1String(Trait::HasPosition))
        return qobject_cast<HasPosition *>(self);
    if (name == QLatin1String(Trait::HasLimits))
        return qobject_cast<HasLimits *>(self);
    if (name == QLatin1String(Trait::IsHomeable))
        return qobject_cast<IsHomeable *>(self);
    if (name == QLatin1String(Trait::HasTurret))
        return qobject_cast<HasTurret *>(self);
    if (name == QLatin1String(Trait::IsSensor))
        return qobject_cast<IsSensor *>(self);
    if (name == QLatin1String(Trait::HasMeasureTrigger))
        return qobject_cast<HasMeasureTrigger *>(self);
    if (name == QLatin1String(Trait::HasMapping))
        return qobject_cast<HasMapping *>(self);
    if (name == QLatin1String(Trait::IsDiscrete))
        return qobject_cast<IsDiscrete *>(self);
    if (name == QLatin1String(Trait::IsStoppable))
        return qobject_cast<IsStoppable *>(self);
    if (name == QLatin1String(Trait::HasDigitalIo))
        return qobject_cast<HasDigitalIo *>(self);
    return false;
}

QList<PropertyInfo> Device::properties() const
{
    if (const ForwardsMessages *remote = forwardingOf(this))
        return remote->forwardedProperties();
    auto *self = const_cast<Device *>(this);
    QList<PropertyInfo> result;
    auto *limited = qobject_cast<HasLimits *>(self);
    if (auto *positioned = qobject_cast<HasPosition *>(self)) {
        PropertyInfo destination{.name = StateKey::Destination,
            .type = ValueType::Double,
            .getter = QStringLiteral("get_destination"),
            .setter = QStringLiteral("set_position"),
            .stateKey = StateKey::Destination,
            .units = positioned->units(),
            .controlKind = ControlKind::Hinted,
            .dynamic = true};
        if (limited)
            destination.limits = limited->limits();
        PropertyInfo position = destination;
        position.name = StateKey::Position;
        position.getter = QStringLiteral("get_position");
        position.setter.clear();
        position.stateKey = StateKey::Position;
        result << destination << position;
    }
    if (auto *discrete = qobject_cast<IsDiscrete *>(self)) {
        result << PropertyInfo{.name = StateKey::PositionIdentifier,
            .type = ValueType::String,
            .getter = QStringLiteral("get_identifier"),
            .setter = QStringLiteral("set_identifier"),
            .stateKey = StateKey::PositionIdentifier,
            .options = identifiersInPositionOrder(discrete->positionIdentifiers()),
            .controlKind = ControlKind::Hinted};
    }
    if (auto *turret = qobject_cast<HasTurret *>(self)) {
        result << PropertyInfo{.name = StateKey::Turret,
            .type = ValueType::String,
            .getter = QStringLiteral("get_turret"),
            .setter = QStringLiteral("set_turret"),
            .stateKey = StateKey::Turret,
            .options = turret->turretIdentifiers(),
            .controlKind = ControlKind::Hinted};
    }
    if (auto *sensor = qobject_cast<IsSensor *>(self)) {
        const QVariantMap units = sensor->channelUnits();
        const auto shapes = sensor->channelShapes();
        for (const QString &channel : sensor->channelNames()) {
            result << PropertyInfo{.name = channel,
                .type = shapes.value(channel).isEmpty() ? ValueType::Double : ValueType::DoubleList,
                .getter = QStringLiteral("get_measured"),
                .stateKey = StateKey::Measured + QLatin1Char('/') + channel,
                .units = units.value(channel).toString(),
                .controlKind = ControlKind::Hinted};
        }
        result << PropertyInfo{.name = StateKey::MeasurementId,
            .type = ValueType::Int,
            .getter = QStringLiteral("get_measurement_id"),
            .stateKey = StateKey::MeasurementId,
            .controlKind = ControlKind::Normal};
    }
    if (qobject_cast<HasMeasureTrigger *>(self)) {
        result << PropertyInfo{.name = StateKey::LoopInterval,
            .type = ValueType::Double,
            .getter = QStringLiteral("get_loop_interval"),
            .setter = QStringLiteral("set_loop_interval"),
            .stateKey = StateKey::LoopInterval,
            .units = QStringLiteral("s"),
            .controlKind = ControlKind::Hinted,
            .doc = QStringLiteral("The shortest time from one measurement of a loop to the next")};
    }
    if (auto *io = qobject_cast<HasDigitalIo *>(self)) {
        for (const QString &line : io->outputNames()) {
            result << PropertyInfo{.name = line,
                .type = ValueType::Bool,
                .getter = QStringLiteral("get_output"),
                .setter = QStringLiteral("set_output"),
                .argument = line,
                .stateKey = StateKey::Outputs + QLatin1Char('/') + line,
                .controlKind = ControlKind::Hinted};
        }
        for (const QString &line : io->inputNames()) {
            result << PropertyInfo{.name = line,
                .type = ValueType::Bool,
                .getter = QStringLiteral("get_input"),
                .argument = line,
                .stateKey = StateKey::Inputs + QLatin1Char('/') + line,
                .controlKind = ControlKind::Hinted};
        }
    }
    result << m_declared << extraProperties();
    return result;
}

QVariantMap Device::state() const
{
    QVariantMap state;
    for (const QString &key : m_persistentKeys) {
        auto it = m_values.constFind(key);
        if (it != m_values.cend())
            state.insert(key, *it);
    }
    return state;
}

DeviceSnapshot Device::snapshot() const
{
    return {name(), kind(), m_status, m_fault, m_busy, m_link, m_values, m_sequence};
}

namespace {

bool isInteger(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return true;
    default:
        return false;
    }
}

/// `saved` made into the type of `current` (the device's value before restoring), or why not.
/// Stricter than QVariant::convert, which would take `true` or "1.5" for a number: a saved value
/// of another kind than the device's is a file someone edited or another device's, not a
/// position to drive to. An integer is taken for a double; a number that is not finite is not.
std::optional<QVariant> restoredValue(const QVariant &saved, const QVariant &current, QString *why)
{
    if (!current.isValid())
        return saved; // nothing to compare with: the device takes it as it is
    const int type = current.typeId();
    if (type == QMetaType::Double || type == QMetaType::Float) {
        if (saved.typeId() != QMetaType::Double && !isInteger(saved)) {
            *why = QStringLiteral("has the wrong type");
            return std::nullopt;
        }
        const double number = saved.toDouble();
        if (!std::isfinite(number)) {
            *why = QStringLiteral("is not a finite number");
            return std::nullopt;
        }
        return QVariant(number);
    }
    if (isInteger(current) || type == QMetaType::Bool || type == QMetaType::QString) {
        const bool same = isInteger(current) ? isInteger(saved) : saved.typeId() == type;
        QVariant value = saved;
        if (!same || !value.convert(current.metaType())) {
            *why = QStringLiteral("has the wrong type");
            return std::nullopt;
        }
        return value;
    }
    QVariant value = saved;
    if (!value.convert(current.metaType())) {
        *why = QStringLiteral("has the wrong type");
        return std::nullopt;
    }
    return value;
}

} // namespace

void Device::restoreState(const QVariantMap &saved)
{
    for (const QString &key : m_persistentKeys) {
        auto it = saved.constFind(key);
        if (it == saved.cend())
            continue;
        QString why;
        const std::optional<QVariant> value = restoredValue(*it, m_values.value(key), &why);
        if (!value) {
            qCWarning(lcDevice).noquote()
                << QStringLiteral("%1: saved %2 %3; keeping the default").arg(name(), key, why);
            continue;
        }
        setValue(key, *value);
    }
}

void Device::start()
{
    m_status = DeviceStatus::Ready;
    spawn("update_state", [this] { return updateState(); });
    onStarted();
    touch();
}

QCoro::Task<> Device::updateState()
{
    co_return;
}

void Device::fail(const QString &reason)
{
    if (m_status == DeviceStatus::Fault)
        return; // the first reason is the one that matters
    qCWarning(lcDevice).noquote() << QStringLiteral("%1 is in fault: %2").arg(name(), reason);
    m_status = DeviceStatus::Fault;
    m_fault = reason;
    (void)m_tasks->cancel(); // the tasks unwind on the next scheduler pass
    setBusy(false);
    touch();
    Q_EMIT faultRaised(reason);
}

void Device::stopTasksNow()
{
    m_tasks.reset(); // unwinds every task on the spot
    makeTaskGroup();
    m_io.reset();
    if (m_status != DeviceStatus::Fault)
        m_status = DeviceStatus::Stopped;
    m_busy = false;
    m_idle.set();
}

Async::SerialExecutor &Device::io()
{
    if (!m_io)
        m_io = std::make_unique<Async::SerialExecutor>(name());
    return *m_io;
}

void Device::ensureReady() const
{
    if (m_status == DeviceStatus::Fault)
        throw DeviceError(QStringLiteral("%1 is in fault (%2); restart it").arg(name(), m_fault));
    if (m_status == DeviceStatus::Stopped)
        throw DeviceError(QStringLiteral("%1 is stopped").arg(name()));
    if (m_link != LinkState::Connected) {
        QString text = QStringLiteral("%1 is %2").arg(name(), toString(m_link));
        if (!m_linkReason.isEmpty())
            text += QStringLiteral(" (%1)").arg(m_linkReason);
        throw DeviceError(text);
    }
}

QCoro::Task<> Device::untilIdle()
{
    ensureReady();
    while (m_busy)
        co_await m_idle.wait();
    ensureReady();
}

QVariant Device::invokeOwn(const QString &message, const QVariantList &)
{
    throw UnknownMessage(QStringLiteral("%1 (%2) declares message %3 but does not answer it")
                             .arg(name(), kind(), message));
}

void Device::declareValue(PropertyInfo info)
{
    Q_ASSERT(!info.name.isEmpty());
    if (info.stateKey.isEmpty())
        info.stateKey = info.name;
    if (info.getter.isEmpty())
        info.getter = QStringLiteral("get_") + info.name;
    m_declared << info;
}

void Device::declareErrorValue()
{
    for (const PropertyInfo &value : std::as_const(m_declared)) {
        if (value.stateKey == StateKey::Error)
            return;
    }
    declareValue({.name = StateKey::Error,
        .type = ValueType::String,
        .controlKind = ControlKind::Normal,
        .doc = QStringLiteral("Why the background work of the last call failed; empty after a "
                              "success.")});
    if (!m_values.contains(StateKey::Error))
        setValue(StateKey::Error, QString());
}

void Device::setValue(const QString &key, const QVariant &value)
{
    auto it = m_values.find(key);
    if (it != m_values.end() && *it == value)
        return;
    m_values.insert(key, value);
    touch();
}

void Device::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    if (busy)
        m_idle.clear();
    else
        m_idle.set();
    touch();
    Q_EMIT busyChanged(busy);
}

void Device::reportError(const QString &message)
{
    qCWarning(lcCallFailure).noquote() << message;
    setValue(StateKey::Error, message);
}

void Device::clearError()
{
    setValue(StateKey::Error, QString());
}

void Device::setLinkState(LinkState link)
{
    if (link == m_link)
        return;
    m_link = link;
    touch();
}

void Device::setLinkState(LinkState link, const QString &reason)
{
    m_linkReason = link == LinkState::Connected ? QString() : reason;
    setValue(StateKey::LinkError, m_linkReason);
    if (link != LinkState::Disconnected && m_values.contains(StateKey::ReconnectAttempt))
        setValue(StateKey::ReconnectAttempt, 0); // no attempt waits any more
    setLinkState(link);
}

void Device::setReconnectWait(int attempt, std::chrono::milliseconds wait)
{
    // Wall-clock time, not the steady clock: a snapshot may be read in another process (yaq).
    setValue(StateKey::ReconnectAt, QDateTime::currentMSecsSinceEpoch() + qint64(wait.count()));
    setValue(StateKey::ReconnectWait, double(wait.count()) / 1000.0);
    setValue(StateKey::ReconnectAttempt, attempt);
}

void Device::emitInputEvent(const QString &line, InputEvent event)
{
    QVariantMap last = m_values.value(StateKey::LastEvents).toMap();
    last.insert(line, toString(event));
    setValue(StateKey::LastEvents, last);
    Q_EMIT inputEvent(line, event);
}

void Device::touch()
{
    ++m_sequence;
    Q_EMIT changed();
}

} // namespace Benchtop
