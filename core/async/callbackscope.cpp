// SPDX-License-Identifier: MIT
#include "callbackscope.h"

#include "scheduler_p.h"

namespace Benchtop::Async {

CallbackScope::CallbackScope() noexcept
{
    detail::Scheduler::current().enterCallback();
}

CallbackScope::~CallbackScope()
{
    detail::Scheduler::current().leaveCallback();
}

} // namespace Benchtop::Async
