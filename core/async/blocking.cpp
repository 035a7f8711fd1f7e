// SPDX-License-Identifier: MIT
#include "blocking.h"

#include "logging_p.h"

#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <thread>

namespace Benchtop::Async {

namespace {
constexpr int kIdleThreadExpiryMs = 10'000;
}

SerialExecutor::SerialExecutor(QString name)
    : m_pool(new QThreadPool)
    , m_name(std::move(name))
{
    m_pool->setMaxThreadCount(1);
    m_pool->setExpiryTimeout(kIdleThreadExpiryMs);
    if (!m_name.isEmpty())
        m_pool->setObjectName(m_name);
}

SerialExecutor::~SerialExecutor()
{
    m_open->store(false); // calls not started yet now end at once with Cancelled
    if (m_pool->activeThreadCount() == 0) {
        delete m_pool;
        return;
    }
    // A vendor call may block for a long time, or forever: don't wait for it here. A reaper
    // thread deletes the pool once the call has returned.
    qCInfo(lcAsync).noquote() << "executor" << m_name
                              << "destroyed while a blocking call runs; it will finish on its own";
    QThreadPool *pool = m_pool;
    pool->moveToThread(nullptr); // so that the reaper may delete it
    std::thread([pool] {
        pool->waitForDone();
        delete pool;
    }).detach();
}

QThreadPool *blockingPool()
{
    // Never deleted: at exit a blocking call may still be running, and waiting for it there
    // would hang the exit. The pointer keeps it reachable (no leak report).
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(std::min(32, QThread::idealThreadCount() + 4));
        p->setObjectName(QStringLiteral("benchtop-blocking"));
        return p;
    }();
    return pool;
}

} // namespace Benchtop::Async
