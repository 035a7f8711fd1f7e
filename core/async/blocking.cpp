// SPDX-License-Identifier: MIT
#include "blocking.h"

#include "logging_p.h"

#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace Benchtop::Async {

namespace {

constexpr int kIdleThreadExpiryMs = 10'000;

/// Deletes the pools of executors destroyed while a call of theirs still ran, once that call
/// has returned: one thread for all of them, however many instruments stopped answering (a
/// thread each would double the threads every stuck call already costs).
class PoolReaper {
public:
    static void adopt(QThreadPool *pool)
    {
        static auto *reaper = new PoolReaper; // never destroyed: its thread may outlive main()
        {
            std::lock_guard lock(reaper->m_mutex);
            reaper->m_pools.push_back(pool);
        }
        reaper->m_added.notify_one();
    }

private:
    PoolReaper()
    {
        std::thread([this] { run(); }).detach();
    }

    [[noreturn]] void run()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_added.wait_for(lock, std::chrono::seconds(1));
            std::erase_if(m_pools, [](QThreadPool *pool) {
                if (!pool->waitForDone(0))
                    return false;
                delete pool;
                return true;
            });
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_added;
    std::vector<QThreadPool *> m_pools;
};

} // namespace

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
    // A vendor call may block for a long time, or forever: don't wait for it here. The reaper
    // deletes the pool once the call has returned.
    qCInfo(lcAsync).noquote() << "executor" << m_name
                              << "destroyed while a blocking call runs; it will finish on its own";
    m_pool->moveToThread(nullptr); // so that the reaper may delete it
    PoolReaper::adopt(m_pool);
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
