// SPDX-License-Identifier: MIT
#pragma once

#include "backoff.h"

#include <async/clock.h>
#include <async/event.h>
#include <device/devicesnapshot.h>

#include <QCoroTask>
#include <QString>

#include <functional>
#include <optional>

namespace Benchtop::Io {

/// Keeps a device's link to its instrument up, as one of the device's tasks (run()):
/// connects, lets the driver re-read the instrument (identity, position, settings) before the
/// link counts as connected, and when the link goes down shows it, then reconnects with
/// bounded exponential backoff with jitter. Works for any link: a Transport, a Modbus client.
///
/// Thread affinity: the device thread.
class Reconnector {
public:
    struct Steps {
        /// Opens the link; throws (a std::exception) when it cannot.
        std::function<QCoro::Task<>()> connect;
        /// Re-reads the instrument before the link is declared up; throwing drops the link and
        /// counts as a failed attempt. May be empty.
        std::function<QCoro::Task<>()> prepare;
        /// Closes the link (after a loss or a failed attempt), with the reason.
        std::function<void(const QString &reason)> disconnect;
        /// Shows the link state (the driver calls Device::setLinkState). With Disconnected,
        /// nextAttempt() and failedAttempts() already say when the next attempt starts and its
        /// number less one (the driver calls Device::setReconnectWait for the panel).
        std::function<void(LinkState state, const QString &reason)> show;
    };

    Reconnector(QString label, Backoff::Settings backoff, Steps steps, std::uint64_t seed = 0);

    /// Runs until cancelled (the device's shutdown).
    QCoro::Task<> run();

    /// The link went down (the peer closed it, replies stopped): reconnect. Ignored unless the
    /// link is up, so that a failure seen twice is handled once.
    void lost(const QString &reason);

    LinkState state() const noexcept { return m_state; }
    bool isConnected() const noexcept { return m_state == LinkState::Connected; }
    /// Why the link is down ("" while up).
    const QString &reason() const noexcept { return m_reason; }
    /// When the next attempt starts, while waiting for it.
    std::optional<Async::TimePoint> nextAttempt() const noexcept { return m_nextAttempt; }
    /// Attempts that failed since the link was last up.
    int failedAttempts() const noexcept { return m_backoff.attempts(); }

    /// Throws LinkDown at once unless the link is up: "dmm is disconnected (connection
    /// refused); next attempt in 1.5 s". For calls from outside, which must never queue.
    void ensureConnected() const;
    /// Resumes once the link is up (polling loops wait here). A cancellation point.
    [[nodiscard]] auto untilConnected() { return m_up.wait(); }

private:
    QCoro::Task<> attempt();
    void show(LinkState state, const QString &reason);

    QString m_label;
    Backoff m_backoff;
    Steps m_steps;
    LinkState m_state = LinkState::Disconnected;
    QString m_reason;
    std::optional<Async::TimePoint> m_nextAttempt;
    Async::Event m_up;
    Async::Event m_down;
};

} // namespace Benchtop::Io
