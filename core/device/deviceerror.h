// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <stdexcept>

namespace Benchtop {

/// A device refused or failed a request: a target outside its limits, an unknown identifier,
/// a call to a device in fault, a reply the driver could not understand. The message names
/// the device and what was wrong; it is shown to the user as it is.
class DeviceError : public std::runtime_error {
public:
    explicit DeviceError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
    QString message() const { return QString::fromStdString(what()); }
};

/// A message name that the device's traits do not offer (yaq: an unknown RPC).
class UnknownMessage : public DeviceError {
public:
    using DeviceError::DeviceError;
};

} // namespace Benchtop
