// SPDX-License-Identifier: MIT
#include "reconnector.h"

#include "ioerror.h"

#include <async/sleep.h>

#include <QLoggingCategory>

namespace Benchtop::Io {

Q_DECLARE_LOGGING_CATEGORY(lcIo)

Reconnector::Reconnector(QString label, Backoff::Settings backoff, Steps steps, std::uint64_t seed)
    : m_label(std::move(label))
    , m_backoff(backoff, seed)
    , m_steps(std::move(steps))
{
}

QCoro::Task<> Reconnector::run()
{
    for (;;) {
        m_nextAttempt.reset();
        show(LinkState::Connecting, m_reason);
        bool up = false;
        try {
            co_await attempt();
            up = true;
        } catch (const std::exception &e) {
            m_reason = QString::fromStdString(e.what());
            if (m_reason.isEmpty())
                m_reason = QStringLiteral("connection failed");
        }
        if (up) {
            m_backoff.reset();
            m_down.clear();
            show(LinkState::Connected, {});
            m_up.set();
            co_await m_down.wait();
            m_up.clear();
            qCWarning(lcIo).noquote() << m_label << "lost its link:" << m_reason;
        }
        m_steps.disconnect(m_reason);
        const auto wait = m_backoff.next();
        m_nextAttempt = Async::now() + wait;
        show(LinkState::Disconnected, m_reason);
        co_await Async::sleep(wait);
    }
}

QCoro::Task<> Reconnector::attempt()
{
    m_reason.clear();
    co_await m_steps.connect();
    if (m_steps.prepare)
        co_await m_steps.prepare();
}

void Reconnector::lost(const QString &reason)
{
    if (m_state != LinkState::Connected)
        return;
    m_reason = reason.isEmpty() ? QStringLiteral("link lost") : reason;
    m_state = LinkState::Disconnected; // calls fail from now on, before run() wakes
    m_down.set();
}

void Reconnector::ensureConnected() const
{
    if (m_state == LinkState::Connected)
        return;
    QString text = m_state == LinkState::Connecting
        ? QStringLiteral("%1 is connecting").arg(m_label)
        : QStringLiteral("%1 is disconnected").arg(m_label);
    if (!m_reason.isEmpty())
        text += QStringLiteral(" (%1)").arg(m_reason);
    if (m_nextAttempt) {
        const double seconds
            = std::max(0.0, std::chrono::duration<double>(*m_nextAttempt - Async::now()).count());
        text += QStringLiteral("; next attempt in %1 s").arg(seconds, 0, 'f', 1);
    }
    throw LinkDown(text);
}

void Reconnector::show(LinkState state, const QString &reason)
{
    m_state = state;
    if (m_steps.show)
        m_steps.show(state, reason);
}

} // namespace Benchtop::Io
