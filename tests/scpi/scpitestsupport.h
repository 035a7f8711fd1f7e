// SPDX-License-Identifier: MIT
#pragma once

// Helpers for the SCPI driver's tests: configs from scpi.json's defaults, devices made by the
// plugin's factory (as the host makes them), and the message of the error a call throws.

#include "driverconfig.h"
#include "testsupport.h"

#include <device/deviceerror.h>
#include <scpifactory.h>
#include <scpiinstrument.h>

#include <functional>

namespace Benchtop::ScpiTest {

inline const QJsonObject &metadata()
{
    static const QJsonObject object = Test::pluginMetadata(QStringLiteral(BENCHTOP_SCPI_METADATA_JSON));
    return object;
}

inline QVariantMap config(const QVariantMap &overrides)
{
    return Test::driverConfig(metadata(), QStringLiteral("scpi-instrument"), overrides);
}

/// A started scpi-instrument named `name`, made by the factory from the defaults and `overrides`.
inline Test::DevicePtr<Scpi::ScpiInstrument> startInstrument(
    const QVariantMap &overrides, const QString &name = QStringLiteral("dmm"))
{
    Scpi::ScpiFactory factory;
    auto *device = static_cast<Scpi::ScpiInstrument *>(
        factory.create({name, QStringLiteral("scpi-instrument"), config(overrides)}));
    device->start();
    return Test::DevicePtr<Scpi::ScpiInstrument>(device);
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

} // namespace Benchtop::ScpiTest
