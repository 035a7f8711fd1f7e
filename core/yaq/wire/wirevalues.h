// SPDX-License-Identifier: MIT
#pragma once

#include <QVariant>

namespace Benchtop::Yaq {

struct Schema;

/// A device's answer in the shape its yaq response type wants: a list of numbers where the
/// type has yaq's `ndarray` record (a channel's spectrum in get_measured) becomes that record
/// (shape, typestr "<f8", little-endian data, version 1); maps and arrays are walked. Anything
/// else is left as it is, for encode() to check.
QVariant toWire(const QVariant &value, const Schema &schema);

/// The inverse, for what a client decoded: every `ndarray` record (a map with shape, typestr,
/// data) becomes a list of numbers (nested for two dimensions). Throws ProtocolError for an
/// ndarray whose data does not match its shape and typestr, naming them.
QVariant fromWire(const QVariant &value);

} // namespace Benchtop::Yaq
