// SPDX-License-Identifier: MIT
#pragma once

#include "waiter_p.h"

#include <QObject>

#include <concepts>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>

namespace Benchtop::Async {

namespace detail {

/// The scheduler's QObject on this thread: the context of the toolkit's connections, so
/// that signals emitted from other threads arrive here as queued calls.
QObject *schedulerContext();

template<typename... Args>
struct SignalResult {
    using type = std::tuple<std::decay_t<Args>...>;
};
template<>
struct SignalResult<> {
    using type = void;
};
template<typename A>
struct SignalResult<A> {
    using type = std::decay_t<A>;
};

template<typename Class, typename... Args>
class SignalAwaiter final : public Waiter {
public:
    using Signal = void (Class::*)(Args...);
    using Result = typename SignalResult<Args...>::type;

    SignalAwaiter(const Class *sender, Signal signal)
        : m_sender(sender)
        , m_signal(signal)
    {
    }
    SignalAwaiter(SignalAwaiter &&) noexcept = default; // before suspension only (see Waiter)
    ~SignalAwaiter() override { disconnect(); }

    bool await_ready() { return takeCancellation(); }
    void await_suspend(std::coroutine_handle<> handle)
    {
        suspend(handle);
        // The connections call back through a link that is cut when the wait ends, so a queued
        // emission still in flight can never reach a finished await.
        m_link = std::make_shared<SignalAwaiter *>(this);
        m_fired = QObject::connect(
            m_sender, m_signal, schedulerContext(), [link = m_link](Args... args) {
                if (SignalAwaiter *self = *link)
                    self->fired(std::forward<Args>(args)...);
            });
        m_destroyed
            = QObject::connect(m_sender, &QObject::destroyed, schedulerContext(), [link = m_link] {
                  if (SignalAwaiter *self = *link) {
                      self->disconnect();
                      self->failDestroyed();
                  }
              });
    }
    Result await_resume()
    {
        throwIfInterrupted("the signal's sender");
        if constexpr (!std::is_void_v<Result>)
            return std::move(*m_value);
    }

private:
    template<typename... A>
    void fired(A &&...args)
    {
        if constexpr (sizeof...(Args) > 0)
            m_value.emplace(std::forward<A>(args)...);
        disconnect();
        wake();
    }
    void detach() override { disconnect(); }
    void disconnect()
    {
        if (!m_link)
            return;
        *m_link = nullptr;
        m_link.reset();
        QObject::disconnect(m_fired);
        QObject::disconnect(m_destroyed);
    }

    using Stored = std::conditional_t<std::is_void_v<Result>, bool, Result>;
    const Class *m_sender;
    Signal m_signal;
    std::shared_ptr<SignalAwaiter *> m_link;
    QMetaObject::Connection m_fired;
    QMetaObject::Connection m_destroyed;
    std::optional<Stored> m_value;
};

} // namespace detail

/// Waits for `sender` to emit `signal` and gives its arguments: nothing, the one argument, or
/// a tuple. Connects when the await begins, so an emission before it is not seen. Throws
/// ObjectDestroyed if the sender is destroyed first. A cancellation point.
template<typename Sender, typename Class, typename... Args>
requires std::derived_from<Sender, Class> && std::derived_from<Class, QObject>
[[nodiscard]] detail::SignalAwaiter<Class, Args...> signal(
    const Sender *sender, void (Class::*signal)(Args...))
{
    return detail::SignalAwaiter<Class, Args...>(sender, signal);
}

} // namespace Benchtop::Async
