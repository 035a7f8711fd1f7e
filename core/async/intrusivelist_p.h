// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>

namespace Benchtop::Async::detail {

/// A link that lets an object sit in one IntrusiveList at a time without allocating.
/// Lists are circular with a sentinel, so a node can unlink itself without knowing its list.
struct ListNode {
    ListNode *prev = nullptr;
    ListNode *next = nullptr;

    ListNode() = default;
    /// A moved node starts unlinked (awaiters are moved, if at all, before they suspend).
    ListNode(ListNode &&) noexcept { }
    ListNode(const ListNode &) = delete;
    ListNode &operator=(const ListNode &) = delete;

    bool isLinked() const noexcept { return next != nullptr; }

    void unlink() noexcept
    {
        if (!next)
            return;
        prev->next = next;
        next->prev = prev;
        prev = next = nullptr;
    }
};

/// FIFO list of T, where T derives from ListNode. Does not own its elements.
template<typename T>
class IntrusiveList {
public:
    IntrusiveList() noexcept { m_head.prev = m_head.next = &m_head; }
    IntrusiveList(const IntrusiveList &) = delete;
    IntrusiveList &operator=(const IntrusiveList &) = delete;
    ~IntrusiveList() { clear(); }

    bool isEmpty() const noexcept { return m_head.next == &m_head; }

    std::size_t size() const noexcept
    {
        std::size_t n = 0;
        for (const ListNode *p = m_head.next; p != &m_head; p = p->next)
            ++n;
        return n;
    }

    T *front() const noexcept { return isEmpty() ? nullptr : static_cast<T *>(m_head.next); }

    void pushBack(T *item) noexcept
    {
        ListNode *node = item;
        node->prev = m_head.prev;
        node->next = &m_head;
        m_head.prev->next = node;
        m_head.prev = node;
    }

    T *popFront() noexcept
    {
        if (isEmpty())
            return nullptr;
        ListNode *node = m_head.next;
        node->unlink();
        return static_cast<T *>(node);
    }

    /// Moves every element of `other` to the back of this list, in order.
    void spliceBack(IntrusiveList &other) noexcept
    {
        if (other.isEmpty())
            return;
        ListNode *first = other.m_head.next;
        ListNode *last = other.m_head.prev;
        first->prev = m_head.prev;
        m_head.prev->next = first;
        last->next = &m_head;
        m_head.prev = last;
        other.m_head.prev = other.m_head.next = &other.m_head;
    }

    /// Unlinks every element; the elements themselves are untouched otherwise.
    void clear() noexcept
    {
        while (popFront()) { }
    }

    template<typename Fn>
    void forEach(Fn &&fn) const
    {
        for (ListNode *p = m_head.next; p != &m_head;) {
            ListNode *next = p->next; // fn may unlink p
            fn(static_cast<T *>(p));
            p = next;
        }
    }

private:
    ListNode m_head;
};

} // namespace Benchtop::Async::detail
