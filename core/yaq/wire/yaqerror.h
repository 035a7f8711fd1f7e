// SPDX-License-Identifier: MIT
#pragma once

#include <io/ioerror.h>

namespace Benchtop::Yaq {

/// Bytes that do not follow the yaq wire protocol: a malformed Avro value, a frame or message
/// over its size bound, a value that does not fit its schema when encoding. The message names
/// the schema (and the field or item) and what was wrong, on one line.
///
/// An IoError, because for a client it means talking to the daemon failed (drivers already
/// catch IoError to skip a poll); a server answers or drops the connection.
class ProtocolError : public Io::IoError {
public:
    using Io::IoError::IoError;
};

/// A schema (or a protocol document) that cannot be parsed. The message names what was wrong
/// and where (the path of the JSON value, e.g. `messages.set_position.request[0].type`).
class SchemaError : public ProtocolError {
public:
    using ProtocolError::ProtocolError;
};

} // namespace Benchtop::Yaq
