// SPDX-License-Identifier: MIT
#pragma once

#include "server.h"

#include <QPointer>
#include <QString>

#include <memory>

namespace Benchtop {
class DeviceHost;
struct DriverInfo;
} // namespace Benchtop

namespace Benchtop::Yaq {

/// Serves one device of a DeviceHost as a yaq daemon (Server): the device's protocol document
/// (regenerated when the device is restarted, or when a forwarding device learns what its peer
/// is) and its messages answered through the host (see ServerConnection for what a client can
/// and cannot do to the others and to the devices).
///
/// `shutdown(restart)` as yaq defines it, for one daemon among the host's: restart = true
/// restarts the device (its settings re-read); false removes it from the host, closes this
/// server and emits shutDown (benchtopd exits when its last daemon has).
///
/// Thread affinity: the host's thread (the device thread), where its sockets are served:
/// a call is answered without a thread hop.
class DeviceServer : public Server {
    Q_OBJECT
public:
    /// `driver` (may be null): the device kind's metadata, for the document's doc and config.
    DeviceServer(DeviceHost &host, QString device, std::shared_ptr<const DriverInfo> driver,
        Options options, QObject *parent = nullptr);
    DeviceServer(DeviceHost &host, QString device, std::shared_ptr<const DriverInfo> driver,
        QObject *parent = nullptr)
        : DeviceServer(host, std::move(device), std::move(driver), Options(), parent)
    {
    }
    ~DeviceServer() override;

    const QString &device() const { return name(); }
    /// The host whose device this serves; null once it is gone.
    DeviceHost *host() const { return m_host.data(); }

    bool callNowOrLater(const QString &message, QVariantList args,
        std::function<void(CallOutcome)> done) override;
    void requestShutdown(bool restart) override;

private:
    void refreshDocument();

    QPointer<DeviceHost> m_host;
    std::shared_ptr<const DriverInfo> m_driver;
    bool m_shuttingDown = false;
};

} // namespace Benchtop::Yaq
