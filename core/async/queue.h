// SPDX-License-Identifier: MIT
#pragma once

#include "waiter_p.h"

#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

namespace Benchtop::Async {

template<typename T>
class Queue;

namespace detail {

template<typename T>
class QueueGetAwaiter final : public Waiter {
public:
    explicit QueueGetAwaiter(Queue<T> *queue) noexcept
        : m_queue(queue)
    {
    }
    bool await_ready();
    void await_suspend(std::coroutine_handle<> handle)
    {
        suspend(handle);
        m_queue->m_getters.pushBack(this);
    }
    T await_resume()
    {
        throwIfInterrupted("Queue");
        return std::move(*m_item);
    }

private:
    friend class Queue<T>;
    void grant(T &&item)
    {
        m_item.emplace(std::move(item));
        wake();
    }
    bool revoke() override;

    Queue<T> *m_queue;
    std::optional<T> m_item;
};

template<typename T>
class QueuePutAwaiter final : public Waiter {
public:
    QueuePutAwaiter(Queue<T> *queue, T &&item)
        : m_queue(queue)
        , m_item(std::move(item))
    {
    }
    bool await_ready();
    void await_suspend(std::coroutine_handle<> handle)
    {
        suspend(handle);
        m_queue->m_putters.pushBack(this);
    }
    void await_resume() const { throwIfInterrupted("Queue"); }

private:
    friend class Queue<T>;
    void grant()
    {
        m_queue->deliver(std::move(m_item));
        wake();
    }
    // The item is in the queue already and may have been taken: the put stands, and the
    // cancellation reaches the task at its next await.
    bool revoke() override { return false; }

    Queue<T> *m_queue;
    T m_item;
};

} // namespace detail

/// asyncio's Queue, bounded or not: put() suspends while the queue is full, get() while it is
/// empty, and both serve their waiters first come, first served. A cancelled get() never
/// takes an item: if one had been handed to it, it goes back to the front of the queue (which
/// may then briefly hold one item more than its capacity). A put() either enqueues its item
/// and returns, or throws Cancelled without enqueueing it. Destroying the queue wakes its
/// waiters with ObjectDestroyed. Thread affinity: the thread whose tasks use it.
template<typename T>
class Queue {
public:
    /// `capacity` 0 means unbounded.
    explicit Queue(std::size_t capacity = 0) noexcept
        : m_capacity(capacity)
    {
    }
    ~Queue()
    {
        while (detail::Waiter *waiter = m_getters.popFront())
            waiter->failDestroyed();
        while (detail::Waiter *waiter = m_putters.popFront())
            waiter->failDestroyed();
    }
    Queue(const Queue &) = delete;
    Queue &operator=(const Queue &) = delete;

    /// Resumes once `item` is in the queue. A cancellation point.
    [[nodiscard]] detail::QueuePutAwaiter<T> put(T item)
    {
        return detail::QueuePutAwaiter<T>(this, std::move(item));
    }
    /// Resumes with the oldest item. A cancellation point.
    [[nodiscard]] detail::QueueGetAwaiter<T> get() noexcept
    {
        return detail::QueueGetAwaiter<T>(this);
    }

    /// Enqueues `item` if there is room and no put() is waiting; otherwise leaves it untouched.
    bool tryPut(T &&item)
    {
        if (!hasRoom() || !m_putters.isEmpty())
            return false;
        deliver(std::move(item));
        return true;
    }
    bool tryPut(const T &item)
    {
        T copy(item);
        return tryPut(std::move(copy));
    }
    std::optional<T> tryGet()
    {
        if (m_items.empty())
            return std::nullopt;
        std::optional<T> item(std::move(m_items.front()));
        m_items.pop_front();
        slotFreed();
        return item;
    }

    std::size_t size() const noexcept { return m_items.size(); }
    std::size_t capacity() const noexcept { return m_capacity; }
    bool isEmpty() const noexcept { return m_items.empty(); }
    bool isFull() const noexcept { return !hasRoom(); }

private:
    friend class detail::QueueGetAwaiter<T>;
    friend class detail::QueuePutAwaiter<T>;
    using Getter = detail::QueueGetAwaiter<T>;
    using Putter = detail::QueuePutAwaiter<T>;

    bool hasRoom() const noexcept { return m_capacity == 0 || m_items.size() < m_capacity; }

    /// An item arrives: straight to the longest-waiting get(), else to the back.
    void deliver(T &&item)
    {
        if (Getter *getter = m_getters.popFront())
            getter->grant(std::move(item));
        else
            m_items.push_back(std::move(item));
    }

    /// An item left: the longest-waiting put() may enqueue.
    void slotFreed()
    {
        if (hasRoom())
            if (Putter *putter = m_putters.popFront())
                putter->grant();
    }

    /// Items are waiting and so are get()s (after a cancelled get gave its item back).
    void serveGetters()
    {
        while (!m_items.empty() && !m_getters.isEmpty()) {
            Getter *getter = m_getters.popFront();
            T item(std::move(m_items.front()));
            m_items.pop_front();
            getter->grant(std::move(item));
            slotFreed();
        }
    }

    std::deque<T> m_items;
    std::size_t m_capacity;
    detail::IntrusiveList<Getter> m_getters;
    detail::IntrusiveList<Putter> m_putters;
};

namespace detail {

template<typename T>
bool QueueGetAwaiter<T>::await_ready()
{
    if (takeCancellation())
        return true;
    if (m_queue->m_items.empty() || !m_queue->m_getters.isEmpty())
        return false;
    m_item.emplace(std::move(m_queue->m_items.front()));
    m_queue->m_items.pop_front();
    m_queue->slotFreed();
    return true;
}

template<typename T>
bool QueueGetAwaiter<T>::revoke()
{
    m_queue->m_items.push_front(std::move(*m_item));
    m_item.reset();
    m_queue->serveGetters();
    return true;
}

template<typename T>
bool QueuePutAwaiter<T>::await_ready()
{
    if (takeCancellation())
        return true;
    if (!m_queue->hasRoom() || !m_queue->m_putters.isEmpty())
        return false;
    m_queue->deliver(std::move(m_item));
    return true;
}

} // namespace detail

} // namespace Benchtop::Async
