// SPDX-License-Identifier: MIT
#include "labsession.h"

#include <async/future.h>
#include <device/deviceerror.h>
#include <device/traits.h>
#include <host/devicethread.h>
#include <host/frameclock.h>
#include <host/labloader.h>
#include <host/localdevicehandle.h>
#include <lab/labedit.h>
#include <lab/labwriter.h>
#include <plugins/pluginregistry.h>

#include <QFileInfo>
#include <QFuture>
#include <QMutex>
#include <QPromise>
#include <QSaveFile>

#include <algorithm>
#include <optional>

namespace Benchtop {

namespace {
const QString kDemoLab = QStringLiteral(":/benchtop/labs/demo.toml");
}

/// What restarts re-read: the lab's file, or its text while it has none. Changed by saveAs()
/// on the session's thread, read by restarts on a blocking-call thread.
struct LabSession::Source {
    LoadedLab load(PluginRegistry &registry) const
    {
        QMutexLocker lock(&mutex);
        const QString file = path;
        const QByteArray kept = text;
        lock.unlock(); // not held while reading: saveAs() on the session's thread takes it
        return kept.isNull() ? loadLab(file, registry) : loadLabText(kept, file, registry);
    }
    QByteArray keptText() const
    {
        QMutexLocker lock(&mutex);
        return text;
    }
    QString displayPath() const
    {
        QMutexLocker lock(&mutex);
        return path;
    }
    void setFile(const QString &newPath)
    {
        QMutexLocker lock(&mutex);
        path = newPath;
        text = QByteArray();
    }
    mutable QMutex mutex;
    QString path;
    QByteArray text; ///< null: read `path`
};

LabSession::LabSession(PluginRegistry &registry, std::shared_ptr<StateStore> store, QObject *parent)
    : LabSession(registry, std::move(store), Options(), parent)
{
}

LabSession::LabSession(
    PluginRegistry &registry, std::shared_ptr<StateStore> store, Options options, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_store(std::move(store))
    , m_options(std::move(options))
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
    return start(loadLab(path, m_registry), path, QByteArray());
}

QList<LabError> LabSession::openText(const QByteArray &text, const QString &displayPath)
{
    close();
    // Never null, even when empty: a null text means "read the file".
    const QByteArray kept = text.isNull() ? QByteArray("") : text;
    return start(loadLabText(kept, displayPath, m_registry), displayPath, kept);
}

QList<LabError> LabSession::reload()
{
    const QString path = m_path;
    const QByteArray text = m_source ? m_source->keptText() : QByteArray();
    if (path.isEmpty())
        return {};
    return text.isNull() ? open(path) : openText(text, path);
}

QList<LabError> LabSession::start(LoadedLab loaded, const QString &path, QByteArray text)
{
    m_path = path;
    m_devices = loaded.devices;
    m_savedText = loaded.lab.text;
    m_savedDevices = loaded.devices;
    m_source = std::make_shared<Source>();
    m_source->path = path;
    m_source->text = std::move(text);
    DeviceHost::SettingsSource reload = m_options.reload;
    if (!reload) {
        reload = [source = m_source, &registry = m_registry](const QString &name) {
            return reloaderFor([&] { return source->load(registry); }, source->displayPath())(name);
        };
    }
    m_thread = std::make_unique<DeviceThread>();
    m_host = m_thread->start([&] {
        auto host = std::make_unique<DeviceHost>(driversFrom(m_registry), m_store, m_options.host);
        host->open(loaded.devices, reload, loaded.deviceErrors);
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
        addHandle(device.name);
    setModified(false);
    Q_EMIT opened();
    return loaded.errors;
}

bool LabSession::close()
{
    if (!m_host)
        return true;
    Q_EMIT aboutToClose();
    (void)m_calls.cancel();
    m_handles.clear(); // before the host they point to
    m_host = nullptr;
    const bool stoppedInTime = m_thread->stop(m_options.stopLimit);
    m_thread.reset();
    m_devices.clear();
    m_savedText.clear();
    m_savedDevices.clear();
    setModified(false);
    return stoppedInTime;
}

void LabSession::setModified(bool modified)
{
    if (modified == m_modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

void LabSession::addHandle(const QString &device)
{
    if (!m_options.handles)
        return;
    m_handles.push_back(std::make_unique<LocalDeviceHandle>(
        m_host, device, m_options.paced ? FrameClock::instance() : nullptr));
}

DeviceHandle *LabSession::handle(const QString &name) const
{
    for (const auto &handle : m_handles) {
        if (handle->name() == name)
            return handle.get();
    }
    return nullptr;
}

QCoro::Task<LabSession::Result> LabSession::onHost(std::function<QCoro::Task<>(DeviceHost *)> work)
{
    if (!m_host)
        co_return Result::failure(tr("no lab is open"));
    auto promise = std::make_shared<QPromise<void>>();
    QFuture<void> future = promise->future();
    promise->start();
    QMetaObject::invokeMethod(
        m_host,
        [host = m_host, promise, work = std::move(work)] {
            host->tasks().spawn("session request", [host, promise, work]() -> QCoro::Task<> {
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
    try {
        co_await Async::wait(std::move(future));
    } catch (const std::exception &e) {
        co_return Result::failure(QString::fromLocal8Bit(e.what()));
    }
    co_return Result{};
}

QCoro::Task<LabSession::Result> LabSession::addDevice(DeviceSettings settings)
{
    const Result done = co_await onHost([settings](DeviceHost *host) -> QCoro::Task<> {
        host->addDevice(settings);
        co_return;
    });
    if (!done)
        co_return done;
    if (!m_host)
        co_return Result::failure(tr("the lab was closed")); // meanwhile
    m_devices << settings;
    addHandle(settings.name);
    setModified(true);
    if (DeviceHandle *added = handle(settings.name))
        Q_EMIT deviceAdded(added);
    co_return done;
}

QCoro::Task<LabSession::Result> LabSession::removeDevice(QString name)
{
    const Result done
        = co_await onHost([name](DeviceHost *host) { return host->removeDevice(name); });
    if (!done)
        co_return done;
    m_devices.removeIf([&](const DeviceSettings &device) { return device.name == name; });
    setModified(true);
    Q_EMIT deviceRemoved(name);
    std::erase_if(m_handles, [&](const auto &handle) { return handle->name() == name; });
    co_return done;
}

QCoro::Task<LabSession::Result> LabSession::restartDevice(QString name)
{
    // The table it restarted with, read on the device thread while the host is there.
    auto table = std::make_shared<std::optional<DeviceSettings>>();
    const Result done = co_await onHost([name, table](DeviceHost *host) -> QCoro::Task<> {
        co_await host->restart(name);
        for (const DeviceSettings &settings : host->settings()) {
            if (settings.name == name)
                *table = settings;
        }
    });
    if (done && *table) {
        for (DeviceSettings &device : m_devices) {
            if (device.name == name)
                device = **table;
        }
    }
    co_return done;
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

QByteArray LabSession::labFileText(const QString &path) const
{
    const DriverLookup driverFor
        = [&registry = m_registry](const QString &kind) { return registry.driver(kind); };
    if (const std::optional<QByteArray> edited
        = editedLabText(m_savedText, m_savedDevices, m_devices, driverFor)) {
        // An edit that would not read back as the lab's tables is not written: the lab is what
        // the file must hold, its comments only what it may keep.
        const QList<DeviceSettings> reread = loadLabText(*edited, path, m_registry).devices;
        if (std::equal(reread.cbegin(), reread.cend(), m_devices.cbegin(), m_devices.cend(),
                [&](const DeviceSettings &a, const DeviceSettings &b) {
                    return sameLabTable(a, b, driverFor);
                }))
            return *edited;
    }
    return labText(m_devices, driverFor);
}

LabSession::Result LabSession::saveAs(const QString &path)
{
    const QByteArray text = labFileText(path);
    QSaveFile file(path);
    // Unbuffered and checked write by write: QSaveFile can commit a short file otherwise
    // (docs/decisions.md, state files).
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered) || file.write(text) != text.size()
        || !file.commit()) {
        return Result::failure(tr("%1: cannot save the lab: %2").arg(path, file.errorString()));
    }
    m_path = path;
    if (m_source)
        m_source->setFile(path);
    m_savedText = text;
    m_savedDevices = m_devices;
    setModified(false);
    return {};
}

} // namespace Benchtop
