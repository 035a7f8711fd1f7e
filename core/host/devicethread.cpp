// SPDX-License-Identifier: MIT
#include "devicethread.h"

#include "devicehost.h"

#include <async/taskgroup.h>
#include <async/tsan_p.h>

#include <QLoggingCategory>

namespace Benchtop {

Q_DECLARE_LOGGING_CATEGORY(lcHost)

DeviceThread::DeviceThread()
    : m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(QStringLiteral("devices"));
    m_context = std::make_unique<QObject>();
    m_context->moveToThread(m_thread.get());
    m_thread->start();
}

DeviceThread::~DeviceThread()
{
    if (m_thread)
        stop();
}

DeviceHost *DeviceThread::start(const std::function<std::unique_ptr<DeviceHost>()> &make)
{
    // The blocking call's completion is a QSemaphore inside QtCore: for TSan, what the device
    // thread did (m_host, reading `make` on this thread's stack) happens before we go on.
    QMetaObject::invokeMethod(m_context.get(), Async::detail::handOff([this, &make] {
        m_host = make().release();
        Async::detail::tsanRelease(&m_host);
    }),
        Qt::BlockingQueuedConnection);
    Async::detail::tsanAcquire(&m_host);
    return m_host;
}

bool DeviceThread::stop(std::chrono::milliseconds limit)
{
    if (!m_thread)
        return true;
    QThread *thread = m_thread.get();
    if (m_host) {
        QMetaObject::invokeMethod(m_host, Async::detail::handOff([host = m_host, thread] {
            Async::backgroundTasks().spawn("shutdown", [host, thread]() -> QCoro::Task<> {
                co_await host->shutdown();
                delete host;
                thread->quit();
            });
        }),
            Qt::QueuedConnection);
    } else {
        thread->quit();
    }
    m_host = nullptr;
    if (!thread->wait(QDeadlineTimer(limit))) {
        qCCritical(lcHost) << "the device thread did not end in" << limit.count()
                           << "ms (a driver is blocking it); leaving it running";
        (void)m_thread.release(); // destroying a running QThread aborts the process
        (void)m_context.release();
        return false;
    }
    m_context.reset(); // its thread has ended: safe to delete from here
    m_thread.reset();
    return true;
}

} // namespace Benchtop
