// SPDX-License-Identifier: MIT
#pragma once

#include <device/messagedefinition.h>
#include <device/propertyinfo.h>

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace Benchtop {

/// What does not change while a device runs: enough for a UI to build the device's panel
/// without knowing its driver. Taken on the device's thread, handed over by value.
struct DeviceDescription {
    QString name;
    QString kind;
    QStringList traits;
    QStringList messages; ///< the yaq messages it answers
    QList<PropertyInfo> properties;
    QVariantMap config;
    /// The driver's own messages (or, forwarded, its peer's): those no trait defines and no
    /// property reads or writes, with their declared parameters, for a UI to call.
    QList<MessageDefinition> ownMessages;
};

} // namespace Benchtop

Q_DECLARE_METATYPE(Benchtop::DeviceDescription)
