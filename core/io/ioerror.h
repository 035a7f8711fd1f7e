// SPDX-License-Identifier: MIT
#pragma once

#include <device/deviceerror.h>

namespace Benchtop::Io {

/// Talking to an instrument failed (rather than the device refusing a request). Drivers catch
/// it in their polling loops to skip a poll instead of falling into fault.
class IoError : public DeviceError {
public:
    using DeviceError::DeviceError;
};

/// The link is down: it could not be opened, it was lost while waiting, or a call came while
/// the device was reconnecting.
class LinkDown : public IoError {
public:
    using IoError::IoError;
};

/// A query got no complete reply within its timeout.
class ReplyTimeout : public IoError {
public:
    using IoError::IoError;
};

/// A reply that cannot be used: longer than the bound, not text, or not what a parser expected.
class BadReply : public IoError {
public:
    using IoError::IoError;
};

} // namespace Benchtop::Io
