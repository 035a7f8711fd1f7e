// SPDX-License-Identifier: MIT
#pragma once

namespace Benchtop::Async {

/// For a Qt callback that wakes tasks — a socket's readyRead that sets the Events its callers
/// wait on: the tasks it wakes run as the outermost scope ends, rather than at the event loop's
/// next turn through a posted event (one more wake-up of the loop per callback, which is most
/// of a network round trip's cost). Put it at the top of such a callback, which Qt calls from
/// its event loop. Inside a task it changes nothing (a task's steps never nest).
/// Thread affinity: the thread whose scheduler it holds.
class CallbackScope {
public:
    CallbackScope() noexcept;
    ~CallbackScope();
    CallbackScope(const CallbackScope &) = delete;
    CallbackScope &operator=(const CallbackScope &) = delete;
};

} // namespace Benchtop::Async
