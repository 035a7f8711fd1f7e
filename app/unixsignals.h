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
/// One at a time: the constructor installs the handlers, the destructor restores the defaults.
class UnixSignals final : public QObject {
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    /// The first SIGINT or SIGTERM arrived: shut down cleanly.
    void shutdownRequested(int signal);

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Benchtop
