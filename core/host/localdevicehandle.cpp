// SPDX-License-Identifier: MIT
#include "localdevicehandle.h"

#include "devicehost.h"
#include "snapshotchannel_p.h"

#include <async/errors.h>
#include <async/future.h>
#include <async/tsan_p.h>
#include <device/deviceerror.h>

#include <QPromise>

namespace Benchtop {

namespace {

using Async::detail::handOff;

/// Finishes a promise of onHost() on the host thread. For TSan: the result or exception stored
/// before this happens before onHost() reads it (QtCore's finish, then the waiter's watcher
/// event, is the real edge); onHost acquires on the same QPromise.
void finish(const std::shared_ptr<QPromise<QVariant>> &promise)
{
    Async::detail::tsanRelease(promise.get());
    promise->finish();
}

void settle(const std::shared_ptr<QPromise<QVariant>> &promise, const QString &device,
    DeviceHost::CallOutcome outcome)
{
    if (!outcome.error) {
        promise->addResult(std::move(outcome.value));
    } else {
        try {
            std::rethrow_exception(outcome.error);
        } catch (const Async::Cancelled &) {
            promise->setException(std::make_exception_ptr(
                DeviceError(QStringLiteral("%1: the device host shut down").arg(device))));
        } catch (...) {
            promise->setException(std::current_exception());
        }
    }
    finish(promise);
}

/// Settles a promise of onHost() with what `work()` resumes with, as a task of the host, so
/// that a host shutting down ends it (the caller then hears so).
void settleLater(DeviceHost *host, const std::shared_ptr<QPromise<QVariant>> &promise,
    const QString &device, std::function<QCoro::Task<QVariant>()> work)
{
    host->tasks().spawn("handle call", [promise, device, work]() -> QCoro::Task<> {
        try {
            promise->addResult(co_await work());
        } catch (const Async::Cancelled &) {
            promise->setException(std::make_exception_ptr(
                DeviceError(QStringLiteral("%1: the device host shut down").arg(device))));
            finish(promise);
            throw;
        } catch (...) {
            promise->setException(std::current_exception());
        }
        finish(promise);
    });
}

} // namespace

LocalDeviceHandle::LocalDeviceHandle(
    DeviceHost *host, QString device, FrameClock *pacing, QObject *parent)
    : DeviceHandle(parent)
    , FrameClock::Client(pacing)
    , m_host(host)
    , m_device(std::move(device))
    , m_paced(pacing != nullptr)
{
    m_channel = std::make_shared<detail::SnapshotChannel>(this, [this] { deliver(); });
    QMetaObject::invokeMethod(host, handOff([host, device = m_device, channel = m_channel] {
        host->subscribe(device, channel);
    }),
        Qt::QueuedConnection);
}

LocalDeviceHandle::~LocalDeviceHandle()
{
    m_channel->close();
    cancelFrame();
    if (m_host)
        QMetaObject::invokeMethod(m_host,
            handOff([host = m_host.data(), device = m_device, channel = m_channel] {
                host->unsubscribe(device, channel);
            }),
            Qt::QueuedConnection);
}

void LocalDeviceHandle::deliver()
{
    if (!m_channel->isPending())
        return; // a prompt delivery already took it
    if (!m_paced || m_channel->isPrompt()) {
        cancelFrame(); // if it was waiting for a frame
        deliverNow();
    } else {
        requestFrame(FrameClock::Lane::Deliveries); // at once if the lane is quiet
    }
}

void LocalDeviceHandle::deliverNow()
{
    Readings readings;
    DeviceDescription description;
    bool descriptionChanged = false;
    bool prompt = false;
    DeviceSnapshot latest = m_channel->take(&readings, &description, &descriptionChanged, &prompt);
    if (descriptionChanged)
        setDescription(std::move(description));
    setSnapshot(
        std::move(latest), std::move(readings), prompt ? Delivery::Prompt : Delivery::Paced);
}

quint64 LocalDeviceHandle::publishedCount() const
{
    return m_channel->published();
}

quint64 LocalDeviceHandle::droppedCount() const
{
    return m_channel->dropped();
}

QCoro::Task<QVariant> LocalDeviceHandle::onHost(HostWork work)
{
    if (!m_host)
        throw DeviceError(QStringLiteral("%1: the device host is gone").arg(m_device));
    auto promise = std::make_shared<QPromise<QVariant>>();
    QFuture<QVariant> future = promise->future();
    promise->start();
    QMetaObject::invokeMethod(m_host,
        handOff([host = m_host.data(), promise, work = std::move(work)] { work(host, promise); }),
        Qt::QueuedConnection);
    // promise (kept by this frame) is where the host thread released before finishing it.
    co_return co_await Async::wait(std::move(future), promise.get());
}

QCoro::Task<QVariant> LocalDeviceHandle::call(QString message, QVariantList args)
{
    return onHost([device = m_device, message, args](DeviceHost *host, const Promise &promise) {
        host->callNowOrLater(device, message, args, [promise, device](DeviceHost::CallOutcome o) {
            settle(promise, device, std::move(o));
        });
    });
}

QCoro::Task<QVariant> LocalDeviceHandle::callAndWait(QString message, QVariantList args)
{
    return onHost([device = m_device, message, args](DeviceHost *host, const Promise &promise) {
        settleLater(host, promise, device,
            [host, device, message, args] { return host->callAndWait(device, message, args); });
    });
}

} // namespace Benchtop
