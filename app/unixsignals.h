// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QSocketNotifier;

namespace Benchtop {

/// SIGINT and SIGTERM as a Qt signal on the thread that created this (the GUI thread), so that
/// Ctrl+C in the terminal or a service manager's stop closes the lab like the window's close
/// button: devices stopped, state saved. The handler only writes a byte to a socket pair (the
/// one thing a signal handler may safely do here); a QSocketNotifier reads it on the loop.
///
/// A second SIGINT or SIGTERM after the first ends the process at once (exit code 128 + the
/// signal), for whoever presses Ctrl+C again because shutting down takes long.
///
/// A command that escalates (benchtop-run: the first Ctrl+C stops after the current point, the
/// second aborts) asks for more signals to be forwarded: the one after them still ends the
/// process at once.
///
/// One at a time: the constructor installs the handlers, the destructor restores the defaults.
class UnixSignals final : public QObject {
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    /// Forwards the first `forwarded` signals (at least 1) through received().
    explicit UnixSignals(int forwarded, QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    /// The first SIGINT or SIGTERM arrived: shut down cleanly.
    void shutdownRequested(int signal);
    /// The `count`th SIGINT or SIGTERM arrived (1, 2, ... up to `forwarded`).
    void received(int signal, int count);

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
    int m_count = 0;
};

} // namespace Benchtop
