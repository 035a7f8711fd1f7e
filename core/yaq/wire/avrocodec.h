// SPDX-License-Identifier: MIT
#pragma once

#include "avroschema.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QVariant>

#include <optional>

namespace Benchtop::Yaq {

/// Bounds on what a decoder accepts from the peer, so that a few bytes can never make it
/// allocate or loop much. Lengths are also bounded by the bytes actually received: nothing is
/// allocated for an announced size before those bytes are there.
struct CodecLimits {
    /// The longest string, bytes value, and the largest block byte size.
    qsizetype maxLength = 16 * 1024 * 1024;
    /// The most items of one array or map. Items of one byte or more are also bounded by the
    /// bytes left; this bounds items that take none (array<null>).
    qsizetype maxItems = 1 << 20;
    /// Zero-byte items (nulls, empty records) in one decoded value, all arrays together.
    qsizetype maxEmptyItems = 1 << 16;
    /// Nesting of arrays, maps, unions and records.
    int maxDepth = 64;
};

/// Reads Avro's primitive encodings from a byte buffer it does not own. Running out of bytes
/// is not an error here: decode() reports it as "need more", distinct from malformed input.
class ByteReader {
public:
    ByteReader(const char *data, qsizetype size)
        : m_data(data)
        , m_end(data + size)
        , m_begin(data)
    {
    }
    explicit ByteReader(QByteArrayView bytes)
        : ByteReader(bytes.data(), bytes.size())
    {
    }
    qsizetype remaining() const { return m_end - m_data; }
    qsizetype position() const { return m_data - m_begin; }
    const char *current() const { return m_data; }
    void skip(qsizetype n) { m_data += n; }

private:
    const char *m_data;
    const char *m_end;
    const char *m_begin;
};

/// Appends the Avro binary encoding of `value` by `schema` to `out` (see the mapping in
/// docs: null ↔ invalid QVariant, int/long ↔ qint64, float/double ↔ double, string ↔
/// QString, bytes/fixed ↔ QByteArray, array ↔ QVariantList, map/record ↔ QVariantMap, enum ↔
/// QString). A union takes the first branch of the value's exact type, else the first it fits.
/// Throws ProtocolError naming the schema and field when the value does not fit; `out` may
/// then hold part of the value (callers build a whole message and discard it on error).
void encode(
    QByteArray &out, const Schema &schema, const QVariant &value, const CodecLimits &limits = {});

/// Decodes one value of `schema` at the reader's position. Returns the value and advances past
/// it, or returns nothing and leaves the position unchanged when the bytes end before the
/// value does (need more). Throws ProtocolError naming the schema, the path inside the value
/// and what was wrong when the bytes cannot be a value of `schema` or break `limits`.
std::optional<QVariant> decode(
    ByteReader &reader, const Schema &schema, const CodecLimits &limits = {});

/// Avro's zig-zag varint, for hand-written hot paths (message frames).
void appendLong(QByteArray &out, qint64 value);
/// A string as Avro encodes it: its UTF-8 length as a varint, then the bytes.
void appendString(QByteArray &out, QStringView text);

/// True if `bytes` is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool isValidUtf8(const char *bytes, qsizetype size);

} // namespace Benchtop::Yaq
