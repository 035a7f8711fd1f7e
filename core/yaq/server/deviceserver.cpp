// SPDX-License-Identifier: MIT
#include "deviceserver.h"

#include "deviceprotocol.h"

#include <yaq/wire/protocoldocument.h>

#include <host/devicehost.h>
#include <plugins/driverinfo.h>

#include <QLoggingCategory>

namespace Benchtop::Yaq {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

DeviceServer::DeviceServer(DeviceHost &host, QString device,
    std::shared_ptr<const DriverInfo> driver, Options options, QObject *parent)
    : Server(std::move(device), options, parent)
    , m_host(&host)
    , m_driver(std::move(driver))
{
    refreshDocument();
    // A restart may change what the device declares (its config, its properties).
    connect(&host, &DeviceHost::deviceStarted, this, [this](const QString &name) {
        if (name == this->name())
            refreshDocument();
    });
}

DeviceServer::~DeviceServer() = default;

void DeviceServer::refreshDocument()
{
    Device *device = m_host ? m_host->device(name()) : nullptr;
    if (!device)
        return;
    // A remote device learns what it is when it reaches its daemon (a gateway): serve that.
    connect(device, &Device::declarationChanged, this, &DeviceServer::refreshDocument,
        Qt::UniqueConnection);
    // Built as JSON, served as its canonical text: never parsed back from that text.
    setDocument(std::make_shared<const ProtocolDocument>(deviceProtocol(*device, m_driver.get())));
}

bool DeviceServer::callNowOrLater(
    const QString &message, QVariantList args, std::function<void(CallOutcome)> done)
{
    if (!m_host) {
        done({{}, std::make_exception_ptr(std::runtime_error("the daemon is shutting down")),
            false});
        return true;
    }
    return m_host->callNowOrLater(name(), message, std::move(args), std::move(done));
}

void DeviceServer::requestShutdown(bool restart)
{
    if (m_shuttingDown || !m_host)
        return;
    DeviceHost *host = m_host;
    QPointer<DeviceServer> self(this);
    const QString device = name();
    if (restart) {
        host->tasks().spawn("yaq restart", [host, device]() -> QCoro::Task<> {
            try {
                co_await host->restart(device);
            } catch (const std::exception &e) {
                qCWarning(lcServer).noquote() << QStringLiteral("%1: restart failed: %2")
                                                     .arg(device, QString::fromUtf8(e.what()));
            }
        });
        return;
    }
    m_shuttingDown = true;
    stopListening();
    qCInfo(lcServer).noquote() << QStringLiteral("%1: shut down by a client").arg(device);
    host->tasks().spawn("yaq shutdown", [host, device, self]() -> QCoro::Task<> {
        try {
            co_await host->removeDevice(device);
        } catch (const std::exception &e) {
            qCWarning(lcServer).noquote()
                << QStringLiteral("%1: shutdown: %2").arg(device, QString::fromUtf8(e.what()));
        }
        if (self)
            Q_EMIT self->shutDown(device);
    });
}

} // namespace Benchtop::Yaq
