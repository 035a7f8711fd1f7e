// SPDX-License-Identifier: MIT
#pragma once

#include <QThread>

#include <chrono>
#include <functional>
#include <memory>

namespace Benchtop {

class DeviceHost;

/// The device thread (DESIGN.md, Threads): one QThread whose event loop runs every device, so
/// that a slow driver never freezes the window. Owns the DeviceHost living there.
class DeviceThread {
public:
    DeviceThread();
    /// Stops (see stop()) if that was not done.
    ~DeviceThread();
    DeviceThread(const DeviceThread &) = delete;
    DeviceThread &operator=(const DeviceThread &) = delete;

    /// Runs `make` on the device thread and waits for it (it should only create the host and
    /// open the lab, which is quick); returns the host, which lives on the device thread.
    DeviceHost *start(const std::function<std::unique_ptr<DeviceHost>()> &make);
    DeviceHost *host() const noexcept { return m_host; }

    /// Shuts the host down on its thread (bounded by its own limit) and ends the thread,
    /// waiting at most `limit`. Returns false if the thread did not end in time (a driver
    /// blocking the device thread): it is then left running, never terminated, and the
    /// process may exit over it.
    bool stop(std::chrono::milliseconds limit = std::chrono::milliseconds(3000));

private:
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QObject> m_context; // lives on the thread: the target of start()'s call
    DeviceHost *m_host = nullptr;
};

} // namespace Benchtop
