// SPDX-License-Identifier: MIT
#pragma once

#include <stdexcept>
#include <string>

namespace Benchtop::Async {

/// Thrown at a task's await point when the task is cancelled.
///
/// Deliberately not a std::exception (asyncio made CancelledError a BaseException for the
/// same reason): `catch (const std::exception &)` in driver code must not swallow a
/// cancellation. Catch it only to clean up, then rethrow.
class Cancelled {
public:
    const char *what() const noexcept;
};

/// Thrown by timeout() when the inner work did not finish in time (asyncio's wait_for).
class Timeout : public std::runtime_error {
public:
    explicit Timeout(const std::string &what = "timed out");
    ~Timeout() override;
};

/// Thrown at an await point when the object waited on (an Event, a Queue, a signal's
/// sender, ...) was destroyed while the task was still waiting.
class ObjectDestroyed : public std::runtime_error {
public:
    explicit ObjectDestroyed(const std::string &what);
    ~ObjectDestroyed() override;
};

} // namespace Benchtop::Async
