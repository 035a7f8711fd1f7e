// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QVariantMap>

namespace Benchtop {

/// What a driver needs to create a device: its name in the lab, its driver kind, and its
/// config — the lab file's table for it, already checked against the kind's schema, with every
/// default filled in (so a driver may read any schema key without checking it is there).
struct DeviceSettings {
    QString name;
    QString kind;
    QVariantMap config;
    /// The lab table's `port`: the TCP port benchtopd serves the device on as a yaq daemon
    /// (yaq's convention: 36000–39999); 0 when it has none. Not part of the driver's config.
    int port = 0;
};

} // namespace Benchtop
