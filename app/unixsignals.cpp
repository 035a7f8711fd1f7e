// SPDX-License-Identifier: MIT
#include "unixsignals.h"

#include <QSocketNotifier>

#include <atomic>
#include <csignal>

#include <sys/socket.h>
#include <unistd.h>

namespace Benchtop {

namespace {

int g_fds[2] = {-1, -1}; ///< [0] written by the handler, [1] read on the loop
/// Set by the first signal. Lock-free, so safe in a handler; atomic, because two signals may be
/// handled at once on two threads (a process-directed signal goes to any thread).
std::atomic_flag g_received = ATOMIC_FLAG_INIT;

extern "C" void onSignal(int signal)
{
    if (g_received.test_and_set()) // the second one: no more waiting
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
    : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_fds) != 0)
        return; // no handlers: the signals keep their default action
    g_received.clear();
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
    if (::read(g_fds[1], &byte, 1) == 1)
        Q_EMIT shutdownRequested(static_cast<unsigned char>(byte));
}

} // namespace Benchtop
