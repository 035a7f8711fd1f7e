// SPDX-License-Identifier: MIT
#pragma once

// The device the yaq benchmarks serve: the tests' TestStage (tests/support/testdevices.h, whose
// get_position reads a stored value), alone on a DeviceHost.

#include "testdevices.h"

#include <host/devicehost.h>

#include <memory>

namespace Benchtop::Bench {

/// A host, open, with one TestStage called `name` (kind "bench-stage"). Call it on the thread
/// the host is to live on (DeviceThread::start takes it as its factory).
inline std::unique_ptr<DeviceHost> makeStageHost(const QString &name)
{
    DeviceHost::Drivers drivers;
    drivers.create = [](const DeviceSettings &s) -> std::unique_ptr<Device> {
        return std::make_unique<Test::TestStage>(s);
    };
    auto host = std::make_unique<DeviceHost>(drivers, nullptr);
    host->open({{name, QStringLiteral("bench-stage"), {}}});
    return host;
}

} // namespace Benchtop::Bench
