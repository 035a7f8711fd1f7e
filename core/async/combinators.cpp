// SPDX-License-Identifier: MIT
#include "combinators.h"

#include "logging_p.h"

namespace Benchtop::Async::detail {

Children::Children(Until until)
    : m_until(until)
    , group(QStringLiteral("combinator"))
{
    group.setFinishedObserver([this](TaskFrameBase &child) { childFinished(child); });
    // The deciding child's exception reaches the caller; any other failure (a sibling failing
    // while it is cancelled) would otherwise be lost, so it is logged.
    group.setErrorHandler([this](const std::exception_ptr &error, const char *name) {
        const bool decisive = error == m_firstError || (m_first && error == m_first->error());
        if (!decisive)
            reportUnhandled(error, name, QStringLiteral("a combinator"));
    });
}

void Children::childFinished(TaskFrameBase &child)
{
    if (!m_first)
        m_first = &child;
    if (m_until == Until::AllDone && child.error() && !m_firstError)
        m_firstError = child.error();
    if (conditionMet()) {
        // Cancel the rest now, not when the caller next runs: a sibling whose wait ended in
        // this same pass must not go on to complete after the outcome was decided.
        cancelRemaining();
        m_wake.set();
    }
}

void Children::cancelRemaining()
{
    if (m_cancelRequested)
        return;
    m_cancelRequested = true;
    group.cancel();
}

bool Children::conditionMet() const
{
    if (m_until == Until::FirstDone)
        return m_first != nullptr;
    return m_firstError || group.isEmpty();
}

QCoro::Task<> Children::wait()
{
    std::exception_ptr interrupted;
    if (!conditionMet()) {
        try {
            co_await m_wake.wait();
        } catch (...) {
            interrupted = std::current_exception(); // the caller was cancelled
        }
    }
    cancelRemaining();
    co_await group.join();
    if (interrupted)
        std::rethrow_exception(interrupted);
    if (m_firstError)
        std::rethrow_exception(m_firstError);
}

} // namespace Benchtop::Async::detail
