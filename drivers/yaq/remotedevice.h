// SPDX-License-Identifier: MIT
#pragma once

#include <device/device.h>
#include <device/forwarding.h>
#include <io/backoff.h>
#include <yaq/client/client.h>

#include <chrono>

namespace Benchtop::YaqDriver {

/// A device of a yaq daemon elsewhere (driver kind `yaq`, lab key `address`): what it is — its
/// traits, messages, properties and their units, limits and options — comes from the daemon's
/// protocol when it connects, and its calls are forwarded to the daemon (ForwardsMessages), so
/// that the window shows and drives it exactly like a local device, and benchtopd can serve it
/// again (a gateway between networks).
///
/// update_state keeps one connection: it connects (link Connecting), learns the protocol, then
/// reads the daemon's state every poll_busy_ms while busy and poll_idle_ms while idle — busy
/// and every property's getter, sent together (pipelined) so that a poll costs one round trip.
/// A lost or timed-out connection shows the link Disconnected with the reason, calls fail at
/// once meanwhile, and it reconnects with backoff, handshaking again. An error the daemon
/// returns to a poll is published in the value `error`, not a fault: the daemon is the judge.
class RemoteDevice
    : public Device
    , public ForwardsMessages {
    Q_OBJECT
    Q_INTERFACES(Benchtop::ForwardsMessages)
public:
    /// Throws DeviceError for an `address` that is not "host:port".
    explicit RemoteDevice(DeviceSettings settings);
    ~RemoteDevice() override;

    QVariantMap id() const override;

    QStringList forwardedTraits() const override;
    QList<MessageDefinition> forwardedMessages() const override { return m_messages; }
    QList<PropertyInfo> forwardedProperties() const override { return m_properties; }
    QCoro::Task<QVariant> forward(QString message, QVariantList args) override;

    const Yaq::Client &client() const { return m_client; }

protected:
    QCoro::Task<> updateState() override;

private:
    QCoro::Task<> learn();
    QCoro::Task<> poll();
    void setValueAt(const QString &stateKey, const QVariant &value);

    QString m_host;
    quint16 m_port = 0;
    std::chrono::milliseconds m_pollBusy;
    std::chrono::milliseconds m_pollIdle;
    Io::Backoff m_backoff;
    Yaq::Client m_client;
    QStringList m_traits;
    QList<MessageDefinition> m_messages;
    QStringList m_messageNames;
    QList<PropertyInfo> m_properties;
    QVariantMap m_id;
};

} // namespace Benchtop::YaqDriver
