// SPDX-License-Identifier: MIT
#pragma once

// Helpers for the sim driver's tests: complete configs built from the schema's defaults in
// sim.json (as the lab layer fills them in), devices that end their tasks before they are
// deleted, and stepping a ManualClock until a device condition holds.

#include "driverconfig.h"
#include "testsupport.h"

#include <async/manualclock.h>
#include <device/device.h>
#include <device/deviceerror.h>
#include <device/devicesettings.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QVariantMap>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace Benchtop::SimTest {

using namespace std::chrono_literals;

/// sim.json, parsed.
inline const QJsonObject &metadata()
{
    static const QJsonObject object = Test::pluginMetadata(QStringLiteral(BENCHTOP_SIM_METADATA_JSON));
    return object;
}

/// The metadata entry of driver kind `kind`.
inline QJsonObject driverEntry(const QString &kind)
{
    return Test::driverEntry(metadata(), kind);
}

/// Every key of `kind`'s schema at its default, then `overrides` (each a key of the schema).
inline QVariantMap config(const QString &kind, const QVariantMap &overrides = {})
{
    return Test::driverConfig(metadata(), kind, overrides);
}

inline DeviceSettings settings(const QString &kind, const QVariantMap &overrides = {},
    const QString &name = QStringLiteral("dut"))
{
    return {name, kind, config(kind, overrides)};
}

using Test::DevicePtr;
using Test::StopAndDelete;

/// Creates a device of class D from `kind`'s defaults and `overrides`, and starts it.
template<typename D>
DevicePtr<D> startDevice(const QString &kind, const QVariantMap &overrides = {},
    const QString &name = QStringLiteral("dut"))
{
    DevicePtr<D> device(new D(settings(kind, overrides, name)));
    device->start();
    return device;
}

/// Advances `clock` in `step`s until `condition()` holds; false if it still does not after
/// `limit` of virtual time.
template<typename Condition>
bool advanceUntil(Async::ManualClock &clock, Condition &&condition, Async::Clock::duration limit,
    Async::Clock::duration step = 1ms)
{
    const Async::TimePoint end = clock.now() + limit;
    while (!condition()) {
        if (clock.now() >= end)
            return false;
        clock.advance(step);
    }
    return true;
}

/// Milliseconds of virtual time from `from` to the clock's now.
inline double elapsedMs(const Async::ManualClock &clock, Async::TimePoint from)
{
    return std::chrono::duration<double, std::milli>(clock.now() - from).count();
}

/// Runs the event loop until `task` has finished, and gives its value or rethrows its exception.
/// (Benchtop::Test::waitFor never returns when the work throws: QCoro 0.8's waitFor loses the
/// exception and never quits its loop.)
template<typename T>
T awaitResult(QCoro::Task<T> task)
{
    std::exception_ptr error;
    std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> result;
    Benchtop::Test::waitFor([&]() -> QCoro::Task<> {
        try {
            if constexpr (std::is_void_v<T>) {
                co_await std::move(task);
                result = true;
            } else {
                result = co_await std::move(task);
            }
        } catch (...) {
            error = std::current_exception();
        }
    }());
    if (error)
        std::rethrow_exception(error);
    if constexpr (!std::is_void_v<T>)
        return std::move(*result);
}

/// The busy edges a QSignalSpy on Device::busyChanged recorded, in order.
inline QList<bool> busyEdges(const QSignalSpy &spy)
{
    QList<bool> edges;
    for (const QList<QVariant> &arguments : spy)
        edges << arguments.at(0).toBool();
    return edges;
}

/// The message of the DeviceError `fn` throws, or "" if it throws none.
inline QString errorOf(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const DeviceError &e) {
        return e.message();
    }
    return {};
}

} // namespace Benchtop::SimTest
