// SPDX-License-Identifier: MIT
#include "labsession.h"

#include <async/blocking.h>
#include <device/deviceerror.h>
#include <device/traits.h>
#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/labloader.h>
#include <host/localdevicehandle.h>
#include <lab/labwriter.h>
#include <plugins/pluginregistry.h>

#include <QFileInfo>
#include <QFuture>
#include <QMutex>
#include <QPromise>
#include <QSaveFile>

namespace Benchtop::Ui {

namespace {
const QString kDemoLab = QStringLiteral(":/benchtop/labs/demo.toml");
}

/// The lab file restarts re-read: written by saveAs() on this thread, read by restarts on a
/// blocking-call thread.
struct LabSession::PathHolder {
    QString get() const
    {
        QMutexLocker lock(&mutex);
        return path;
    }
    void set(const QString &newPath)
    {
        QMutexLocker lock(&mutex);
        path = newPath;
    }
    mutable QMutex mutex;
    QString path;
};

LabSession::LabSession(PluginRegistry &registry, std::shared_ptr<StateStore> store, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_store(std::move(store))
{
    m_calls.setErrorHandler([this](const std::exception_ptr &error, const char *) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception &e) {
            Q_EMIT callFailed(QString(), QString::fromLocal8Bit(e.what()));
        }
    });
}

LabSession::~LabSession()
{
    close();
}

QString LabSession::title() const
{
    return m_path == kDemoLab ? tr("Demo lab") : QFileInfo(m_path).fileName();
}

QList<LabError> LabSession::open(const QString &path)
{
    close();
    LoadedLab loaded = loadLab(path, m_registry);
    const QList<LabError> errors = loaded.errors;

    m_path = path;
    m_devices = loaded.devices;
    m_reloadPath = std::make_shared<PathHolder>();
    m_reloadPath->set(path);
    DeviceHost::SettingsSource reload
        = [holder = m_reloadPath, &registry = m_registry](
              const QString &name) { return reloaderFor(holder->get(), registry)(name); };
    m_thread = std::make_unique<DeviceThread>();
    m_host = m_thread->start([&] {
        DeviceHost::Options options;
        options.watchdog = m_watchdog;
        auto host = std::make_unique<DeviceHost>(
            driversFrom(m_registry, loaded.deviceErrors), m_store, options);
        host->open(loaded.devices, reload);
        return host;
    });
    // Queued: the host's signals come from the device thread.
    connect(m_host, &DeviceHost::healthChanged, this, &LabSession::healthChanged);
    // Queued from the watchdog's thread: they arrive while the device thread is still held.
    connect(m_host, &DeviceHost::loopStalled, this, &LabSession::loopStalled);
    connect(m_host, &DeviceHost::loopStallEnded, this, &LabSession::loopStallEnded);
    connect(m_host, &DeviceHost::deviceFaulted, this, &LabSession::deviceFaulted);
    connect(m_host, &DeviceHost::bindingFailed, this, &LabSession::bindingFailed);
    for (const DeviceSettings &device : std::as_const(m_devices))
        m_handles.push_back(std::make_unique<LocalDeviceHandle>(m_host, device.name, &m_pacer));
    Q_EMIT opened();
    return errors;
}

void LabSession::close()
{
    if (!m_host)
        return;
    Q_EMIT aboutToClose();
    (void)m_calls.cancel();
    m_handles.clear(); // before the host they point to
    m_host = nullptr;
    m_thread->stop();
    m_thread.reset();
    m_devices.clear();
}

DeviceHandle *LabSession::handle(const QString &name) const
{
    for (const auto &handle : m_handles) {
        if (handle->name() == name)
            return handle.get();
    }
    return nullptr;
}

QCoro::Task<> LabSession::onHost(std::function<QCoro::Task<>(DeviceHost *)> work)
{
    if (!m_host)
        throw DeviceError(tr("no lab is open"));
    auto promise = std::make_shared<QPromise<void>>();
    QFuture<void> future = promise->future();
    promise->start();
    QMetaObject::invokeMethod(
        m_host,
        [host = m_host, promise, work = std::move(work)] {
            host->tasks().spawn("window request", [host, promise, work]() -> QCoro::Task<> {
                try {
                    co_await work(host);
                } catch (const Async::Cancelled &) {
                    promise->setException(std::make_exception_ptr(
                        DeviceError(QStringLiteral("the device host shut down"))));
                    promise->finish();
                    throw;
                } catch (...) {
                    promise->setException(std::current_exception());
                }
                promise->finish();
            });
        },
        Qt::QueuedConnection);
    co_await Async::wait(std::move(future));
}

QCoro::Task<> LabSession::addDevice(DeviceSettings settings)
{
    co_await onHost([settings](DeviceHost *host) -> QCoro::Task<> {
        host->addDevice(settings);
        co_return;
    });
    if (!m_host)
        co_return; // closed meanwhile
    m_devices << settings;
    m_handles.push_back(std::make_unique<LocalDeviceHandle>(m_host, settings.name, &m_pacer));
    Q_EMIT deviceAdded(m_handles.back().get());
}

QCoro::Task<> LabSession::removeDevice(QString name)
{
    co_await onHost([name](DeviceHost *host) { return host->removeDevice(name); });
    m_devices.removeIf([&](const DeviceSettings &device) { return device.name == name; });
    Q_EMIT deviceRemoved(name);
    std::erase_if(m_handles, [&](const auto &handle) { return handle->name() == name; });
}

QCoro::Task<> LabSession::restartDevice(QString name)
{
    co_await onHost([name](DeviceHost *host) { return host->restart(name); });
}

void LabSession::callEach(const QString &trait, const QString &message, QStringList *called)
{
    for (const auto &handle : m_handles) {
        if (!handle->description().traits.contains(trait))
            continue;
        *called << handle->name();
        m_calls.spawn("menu call",
            [this, handle = handle.get(), name = handle->name(), message]() -> QCoro::Task<> {
                try {
                    co_await handle->call(message);
                } catch (const DeviceError &e) {
                    Q_EMIT callFailed(name, QString::fromLocal8Bit(e.what()));
                }
            });
    }
}

QStringList LabSession::stopAll()
{
    QStringList called;
    callEach(QLatin1String(Trait::IsStoppable), QStringLiteral("stop"), &called);
    return called;
}

QStringList LabSession::measureAll()
{
    QStringList called;
    callEach(QLatin1String(Trait::HasMeasureTrigger), QStringLiteral("measure"), &called);
    return called;
}

bool LabSession::saveAs(const QString &path, QString *error)
{
    const QByteArray text = labText(
        m_devices, [&registry = m_registry](const QString &kind) { return registry.driver(kind); });
    QSaveFile file(path);
    // Unbuffered and checked write by write: QSaveFile can commit a short file otherwise
    // (docs/decisions.md, state files).
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered) || file.write(text) != text.size()
        || !file.commit()) {
        *error = tr("%1: cannot save the lab: %2").arg(path, file.errorString());
        return false;
    }
    m_path = path;
    if (m_reloadPath)
        m_reloadPath->set(path);
    return true;
}

} // namespace Benchtop::Ui
