// SPDX-License-Identifier: MIT
#include "errors.h"

namespace Benchtop::Async {

const char *Cancelled::what() const noexcept
{
    return "cancelled";
}

Timeout::Timeout(const std::string &what)
    : std::runtime_error(what)
{
}

Timeout::~Timeout() = default;

ObjectDestroyed::ObjectDestroyed(const std::string &what)
    : std::runtime_error(what)
{
}

ObjectDestroyed::~ObjectDestroyed() = default;

} // namespace Benchtop::Async
