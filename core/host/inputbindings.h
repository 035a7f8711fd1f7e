// SPDX-License-Identifier: MIT
#pragma once

#include <device/device.h>
#include <plugins/driverinfo.h>

#include <QString>

#include <functional>
#include <optional>

namespace Benchtop {

/// A lab's input bindings: a device's config keys of type Bindings (`on_press`, `on_release`,
/// `on_double`, `on_long`: input line → "device.message") turned into calls when its inputs
/// fire. The target device may be any of the lab's, local or forwarding; a call that fails is
/// reported, never a fault of either device.
///
/// Thread affinity: the device thread (the host's).
class InputBindings {
public:
    /// How a binding reaches its target: DeviceHost::callNowOrLater.
    using Call = std::function<void(const QString &device, const QString &message,
        std::function<void(std::exception_ptr error)> done)>;
    /// A binding's call failed: "pedal.foot on_press → meter.measure" and the reason.
    using Failed = std::function<void(const QString &binding, const QString &reason)>;
    using DriverFor = std::function<std::optional<DriverInfo>(const QString &kind)>;

    InputBindings(DriverFor driverFor, Call call, Failed failed);

    /// `source` saw `event` on input `line`: calls every message bound to it.
    void onInput(const Device &source, const QString &line, InputEvent event) const;

    /// The input event a binding key reacts to, or nullopt for a key that is not one.
    static std::optional<InputEvent> eventOf(const QString &key);

private:
    DriverFor m_driverFor;
    Call m_call;
    Failed m_failed;
};

} // namespace Benchtop
