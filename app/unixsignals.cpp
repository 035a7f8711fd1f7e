// SPDX-License-Identifier: MIT
#include "unixsignals.h"

#include <QSocketNotifier>

#include <algorithm>
#include <atomic>
#include <csignal>

#include <sys/socket.h>
#include <unistd.h>

namespace Benchtop {

namespace {

int g_fds[2] = {-1, -1}; ///< [0] written by the handler, [1] read on the loop
/// Signals received so far. Lock-free, so safe in a handler; atomic, because two signals may be
/// handled at once on two threads (a process-directed signal goes to any thread).
std::atomic<int> g_received{0};
static_assert(std::atomic<int>::is_always_lock_free);
int g_forwarded = 1; ///< how many are forwarded to the loop; the next one ends the process

extern "C" void onSignal(int signal)
{
    if (g_received.fetch_add(1) >= g_forwarded) // one more: no more waiting
        _exit(128 + signal);
    const char byte = static_cast<char>(signal);
    [[maybe_unused]] const ssize_t written = ::write(g_fds[0], &byte, 1);
}

void install(void (*handler)(int))
{
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

} // namespace

UnixSignals::UnixSignals(QObject *parent)
    : UnixSignals(1, parent)
{
}

UnixSignals::UnixSignals(int forwarded, QObject *parent)
    : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_fds) != 0)
        return; // no handlers: the signals keep their default action
    g_received = 0;
    g_forwarded = std::max(1, forwarded);
    m_notifier = new QSocketNotifier(g_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &UnixSignals::onReadable);
    install(onSignal);
}

UnixSignals::~UnixSignals()
{
    if (!m_notifier)
        return;
    install(SIG_DFL);
    delete m_notifier;
    ::close(g_fds[0]);
    ::close(g_fds[1]);
    g_fds[0] = g_fds[1] = -1;
}

void UnixSignals::onReadable()
{
    char byte = 0;
    if (::read(g_fds[1], &byte, 1) != 1)
        return;
    const int signal = static_cast<unsigned char>(byte);
    ++m_count;
    if (m_count == 1)
        Q_EMIT shutdownRequested(signal);
    Q_EMIT received(signal, m_count);
}

} // namespace Benchtop
