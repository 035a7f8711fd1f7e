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
};

} // namespace Benchtop
