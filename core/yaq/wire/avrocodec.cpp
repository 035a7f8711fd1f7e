// SPDX-License-Identifier: MIT
#include "avrocodec.h"

#include "yaqerror.h"

#include <QSequentialIterable>
#include <QStringList>
#include <QtEndian>

#include <cmath>
#include <cstring>
#include <limits>

namespace Benchtop::Yaq {

namespace {

using Type = Schema::Type;

// Thrown inside the decoder when the bytes end before the value; caught by decode(), which
// then reports "need more". Never escapes this file.
struct NeedMore { };

// A malformed value or a value that does not fit: `path` grows from the innermost item
// outwards as the exception unwinds (".shape[2]"), so the happy path pays nothing for it.
struct Failure {
    QString reason;
    QString path;
};

[[noreturn]] void failure(const QString &reason)
{
    throw Failure{reason, {}};
}

// Text from the peer (a map key, a symbol) quoted in a message: short, and on one line.
QString printable(const QString &text)
{
    QString result;
    for (const QChar c : text.left(40)) {
        if (c == QLatin1Char('\n'))
            result += QLatin1String("\\n");
        else if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f)
            || c.category() == QChar::Separator_Line || c.category() == QChar::Separator_Paragraph)
            result += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            result += c;
    }
    return text.size() > 40 ? result + QStringLiteral("...") : result;
}

QString variantTypeName(const QVariant &value)
{
    return value.isValid() ? QString::fromLatin1(value.typeName()) : QStringLiteral("null");
}

ProtocolError toError(const char *verb, const Schema &schema, const Failure &f)
{
    const QString at = f.path.isEmpty() ? QString() : QStringLiteral(", at ") + f.path;
    return ProtocolError(QStringLiteral("yaq: %1 %2%3: %4")
                             .arg(QLatin1String(verb), schema.describe(), at, f.reason));
}

// ---- decoding ---------------------------------------------------------------------------

class Decoder {
public:
    Decoder(ByteReader &reader, const CodecLimits &limits)
        : m_reader(reader)
        , m_limits(limits)
        , m_emptyBudget(limits.maxEmptyItems)
    {
    }

    QVariant value(const Schema &schema, int depth)
    {
        switch (schema.type) {
        case Type::Null:
            return QVariant();
        case Type::Boolean: {
            const quint8 b = byte();
            if (b > 1)
                failure(QStringLiteral("a boolean must be 00 or 01, not %1")
                            .arg(b, 2, 16, QLatin1Char('0')));
            return QVariant(b == 1);
        }
        case Type::Int: {
            const qint64 v = readLong();
            if (v < std::numeric_limits<qint32>::min() || v > std::numeric_limits<qint32>::max())
                failure(QStringLiteral("%1 is out of range of an int").arg(v));
            return QVariant(v);
        }
        case Type::Long:
            return QVariant(readLong());
        case Type::Float: {
            const quint32 bits = qFromLittleEndian<quint32>(take(4));
            float f;
            std::memcpy(&f, &bits, sizeof f);
            return QVariant(double(f));
        }
        case Type::Double: {
            const quint64 bits = qFromLittleEndian<quint64>(take(8));
            double d;
            std::memcpy(&d, &bits, sizeof d);
            return QVariant(d);
        }
        case Type::String: {
            const qsizetype n = readLength("string");
            const char *bytes = take(n);
            if (!isValidUtf8(bytes, n))
                failure(QStringLiteral("the string is not valid UTF-8"));
            return QVariant(QString::fromUtf8(bytes, n));
        }
        case Type::Bytes: {
            const qsizetype n = readLength("bytes value");
            return QVariant(QByteArray(take(n), n));
        }
        case Type::Fixed:
            return QVariant(QByteArray(take(schema.size), schema.size));
        case Type::Enum: {
            const qint64 index = readLong();
            if (index < 0 || index >= schema.symbols.size())
                failure(QStringLiteral("enum index %1 is not one of its %2 symbols")
                            .arg(index)
                            .arg(schema.symbols.size()));
            return QVariant(schema.symbols.at(qsizetype(index)));
        }
        case Type::Union: {
            checkDepth(depth);
            const qint64 index = readLong();
            if (index < 0 || index >= qint64(schema.branches.size()))
                failure(QStringLiteral("union branch %1 does not exist (%2 branches)")
                            .arg(index)
                            .arg(schema.branches.size()));
            return value(*schema.branches[std::size_t(index)], depth + 1);
        }
        case Type::Record: {
            checkDepth(depth);
            QVariantMap map;
            for (const Schema::Field &field : schema.fields) {
                try {
                    map.insert(field.name, value(*field.schema, depth + 1));
                } catch (Failure &f) {
                    f.path.prepend(QLatin1Char('.') + field.name);
                    throw;
                }
            }
            if (schema.fields.empty())
                spendEmpty(1);
            return map;
        }
        case Type::Array: {
            checkDepth(depth);
            QVariantList list;
            blocks(
                *schema.items, [&](qsizetype count) { list.reserve(list.size() + count); },
                [&] {
                    try {
                        list.append(value(*schema.items, depth + 1));
                    } catch (Failure &f) {
                        f.path.prepend(QStringLiteral("[%1]").arg(list.size()));
                        throw;
                    }
                });
            return list;
        }
        case Type::Map: {
            checkDepth(depth);
            QVariantMap map;
            blocks(
                *schema.values, [](qsizetype) {},
                [&] {
                    QString key;
                    try {
                        key = value(SchemaSet::primitive(Type::String), depth + 1).toString();
                        map.insert(key, value(*schema.values, depth + 1));
                    } catch (Failure &f) {
                        f.path.prepend(key.isNull()
                                ? QStringLiteral("[key %1]").arg(map.size())
                                : QStringLiteral("[\"%1\"]").arg(printable(key)));
                        throw;
                    }
                });
            return map;
        }
        }
        failure(QStringLiteral("unknown schema type"));
    }

private:
    quint8 byte()
    {
        if (m_reader.remaining() < 1)
            throw NeedMore();
        const auto b = quint8(*m_reader.current());
        m_reader.skip(1);
        return b;
    }

    const char *take(qsizetype n)
    {
        if (m_reader.remaining() < n)
            throw NeedMore();
        const char *at = m_reader.current();
        m_reader.skip(n);
        return at;
    }

    qint64 readLong()
    {
        quint64 result = 0;
        for (int i = 0, shift = 0; i < 10; ++i, shift += 7) {
            const quint8 b = byte();
            // The tenth byte holds the 64th bit only.
            if (i == 9 && b > 1)
                failure(QStringLiteral("a varint longer than 64 bits"));
            result |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80))
                return qint64((result >> 1) ^ (quint64(0) - (result & 1)));
        }
        failure(QStringLiteral("a varint longer than 10 bytes"));
    }

    // A length announced by the peer: malformed past the limit, "need more" past the bytes we
    // have; in both cases nothing is allocated for it.
    qsizetype readLength(const char *what)
    {
        const qint64 n = readLong();
        if (n < 0)
            failure(QStringLiteral("a %1 of negative length %2").arg(QLatin1String(what)).arg(n));
        if (n > m_limits.maxLength)
            failure(QStringLiteral("a %1 of %2 bytes exceeds the limit of %3")
                        .arg(QLatin1String(what))
                        .arg(n)
                        .arg(m_limits.maxLength));
        if (n > m_reader.remaining())
            throw NeedMore();
        return qsizetype(n);
    }

    void checkDepth(int depth) const
    {
        if (depth >= m_limits.maxDepth)
            failure(QStringLiteral("nested deeper than %1").arg(m_limits.maxDepth));
    }

    void spendEmpty(qint64 count)
    {
        m_emptyBudget -= count;
        if (m_emptyBudget < 0)
            failure(QStringLiteral("more than %1 items that take no bytes")
                        .arg(m_limits.maxEmptyItems));
    }

    // Avro's blocked encoding of arrays and maps: (count, items) blocks up to a count of 0; a
    // negative count is followed by the block's size in bytes (so readers can skip it).
    template<typename Reserve, typename Item>
    void blocks(const Schema &item, Reserve reserve, Item readItem)
    {
        const qsizetype itemSize = std::max<qsizetype>(item.minSize, 0);
        qint64 total = 0;
        for (;;) {
            qint64 count = readLong();
            if (count == 0)
                return;
            qint64 blockBytes = -1;
            if (count < 0) {
                if (count == std::numeric_limits<qint64>::min())
                    failure(QStringLiteral("a block count out of range"));
                count = -count;
                blockBytes = readLong();
                if (blockBytes < 0 || blockBytes > m_limits.maxLength)
                    failure(QStringLiteral("a block size of %1 bytes").arg(blockBytes));
                if (blockBytes > m_reader.remaining())
                    throw NeedMore();
            }
            if (count > m_limits.maxItems - total)
                failure(QStringLiteral("more than %1 items").arg(m_limits.maxItems));
            total += count;
            if (itemSize > 0) {
                if (count > m_reader.remaining() / itemSize)
                    throw NeedMore(); // cannot be all here; reserve nothing for it
                reserve(qsizetype(count));
            } else {
                spendEmpty(count);
            }
            const qsizetype start = m_reader.position();
            for (qint64 i = 0; i < count; ++i)
                readItem();
            if (blockBytes >= 0 && m_reader.position() - start != blockBytes)
                failure(QStringLiteral("a block announced as %1 bytes took %2")
                            .arg(blockBytes)
                            .arg(m_reader.position() - start));
        }
    }

    ByteReader &m_reader;
    const CodecLimits &m_limits;
    qint64 m_emptyBudget;
};

// ---- encoding ---------------------------------------------------------------------------

enum class Kind { Null, Bool, Integral, Floating, String, Bytes, List, Map, Other };

Kind kindOf(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return Kind::Null;
    case QMetaType::Bool:
        return Kind::Bool;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::SChar:
    case QMetaType::UChar:
        return Kind::Integral;
    case QMetaType::Double:
    case QMetaType::Float:
        return Kind::Floating;
    case QMetaType::QString:
        return Kind::String;
    case QMetaType::QByteArray:
        return Kind::Bytes;
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
        return Kind::List;
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
        return Kind::Map;
    default:
        if (value.canView<QSequentialIterable>())
            return Kind::List;
        return Kind::Other;
    }
}

// An integral value as qint64: integers, and doubles holding a whole number in range.
std::optional<qint64> asInteger(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::ULongLong:
    case QMetaType::ULong: {
        const qulonglong u = value.toULongLong();
        if (u > qulonglong(std::numeric_limits<qint64>::max()))
            return std::nullopt;
        return qint64(u);
    }
    case QMetaType::Double:
    case QMetaType::Float: {
        const double d = value.toDouble();
        // 2^63 is exact as a double; every double below it in magnitude fits.
        if (!std::isfinite(d) || d != std::floor(d) || d < -9223372036854775808.0
            || d >= 9223372036854775808.0)
            return std::nullopt;
        return qint64(d);
    }
    default:
        if (kindOf(value) == Kind::Integral)
            return value.toLongLong();
        return std::nullopt;
    }
}

bool fitsInt(qint64 v)
{
    return v >= std::numeric_limits<qint32>::min() && v <= std::numeric_limits<qint32>::max();
}

bool recordFits(const Schema &record, const QVariant &value)
{
    const QVariantMap map = value.toMap();
    for (const Schema::Field &field : record.fields) {
        if (!field.defaultValue && !map.contains(field.name))
            return false;
    }
    return true;
}

// The union branch for `value`: the first of its exact type, else the first it converts to.
std::optional<std::size_t> chooseBranch(const Schema &u, const QVariant &value)
{
    const Kind kind = kindOf(value);
    const std::optional<qint64> integer
        = (kind == Kind::Integral || kind == Kind::Floating) ? asInteger(value) : std::nullopt;
    auto exact = [&](const Schema &b) {
        switch (kind) {
        case Kind::Null:
            return b.type == Type::Null;
        case Kind::Bool:
            return b.type == Type::Boolean;
        case Kind::Integral:
            return b.type == Type::Long || (b.type == Type::Int && integer && fitsInt(*integer));
        case Kind::Floating:
            return b.type == Type::Double || b.type == Type::Float;
        case Kind::String:
            return b.type == Type::String
                || (b.type == Type::Enum && b.symbols.contains(value.toString()));
        case Kind::Bytes:
            return b.type == Type::Bytes
                || (b.type == Type::Fixed && value.toByteArray().size() == b.size);
        case Kind::List:
            return b.type == Type::Array;
        case Kind::Map:
            return b.type == Type::Map || (b.type == Type::Record && recordFits(b, value));
        case Kind::Other:
            return false;
        }
        return false;
    };
    auto loose = [&](const Schema &b) {
        if (kind == Kind::Integral)
            return b.type == Type::Double || b.type == Type::Float;
        if (kind == Kind::Floating && integer)
            return b.type == Type::Long || (b.type == Type::Int && fitsInt(*integer));
        return false;
    };
    for (std::size_t i = 0; i < u.branches.size(); ++i) {
        if (exact(*u.branches[i]))
            return i;
    }
    for (std::size_t i = 0; i < u.branches.size(); ++i) {
        if (loose(*u.branches[i]))
            return i;
    }
    return std::nullopt;
}

class Encoder {
public:
    Encoder(QByteArray &out, const CodecLimits &limits)
        : m_out(out)
        , m_limits(limits)
    {
    }

    void value(const Schema &schema, const QVariant &v, int depth)
    {
        switch (schema.type) {
        case Type::Null:
            if (kindOf(v) != Kind::Null)
                wrongType(schema, v);
            return;
        case Type::Boolean:
            if (v.typeId() != QMetaType::Bool)
                wrongType(schema, v);
            m_out.append(v.toBool() ? '\x01' : '\x00');
            return;
        case Type::Int:
        case Type::Long: {
            const std::optional<qint64> n = asInteger(v);
            if (!n || (v.typeId() == QMetaType::Bool))
                wrongType(schema, v);
            if (schema.type == Type::Int && !fitsInt(*n))
                failure(QStringLiteral("%1 is out of range of an int").arg(*n));
            appendLong(m_out, *n);
            return;
        }
        case Type::Float: {
            const Kind kind = kindOf(v);
            if (kind != Kind::Floating && kind != Kind::Integral)
                wrongType(schema, v);
            const auto f = float(v.toDouble());
            quint32 bits;
            std::memcpy(&bits, &f, sizeof bits);
            appendLittleEndian(bits);
            return;
        }
        case Type::Double: {
            const Kind kind = kindOf(v);
            if (kind != Kind::Floating && kind != Kind::Integral)
                wrongType(schema, v);
            const double d = v.toDouble();
            quint64 bits;
            std::memcpy(&bits, &d, sizeof bits);
            appendLittleEndian(bits);
            return;
        }
        case Type::String:
            if (v.typeId() != QMetaType::QString)
                wrongType(schema, v);
            appendString(m_out, v.toString());
            return;
        case Type::Bytes: {
            if (v.typeId() != QMetaType::QByteArray)
                wrongType(schema, v);
            const QByteArray bytes = v.toByteArray();
            appendLong(m_out, bytes.size());
            m_out.append(bytes);
            return;
        }
        case Type::Fixed: {
            if (v.typeId() != QMetaType::QByteArray)
                wrongType(schema, v);
            const QByteArray bytes = v.toByteArray();
            if (bytes.size() != schema.size)
                failure(QStringLiteral("%1 needs %2 bytes, got %3")
                            .arg(schema.describe())
                            .arg(schema.size)
                            .arg(bytes.size()));
            m_out.append(bytes);
            return;
        }
        case Type::Enum: {
            if (v.typeId() != QMetaType::QString)
                wrongType(schema, v);
            const qsizetype index = schema.symbols.indexOf(v.toString());
            if (index < 0)
                failure(QStringLiteral("\"%1\" is not a symbol of %2")
                            .arg(printable(v.toString()), schema.describe()));
            appendLong(m_out, index);
            return;
        }
        case Type::Union: {
            checkDepth(depth);
            const std::optional<std::size_t> branch = chooseBranch(schema, v);
            if (!branch)
                failure(QStringLiteral("a %1 fits no branch of %2")
                            .arg(variantTypeName(v), schema.describe()));
            appendLong(m_out, qint64(*branch));
            value(*schema.branches[*branch], v, depth + 1);
            return;
        }
        case Type::Record: {
            checkDepth(depth);
            if (kindOf(v) != Kind::Map)
                wrongType(schema, v);
            const QVariantMap map = v.toMap();
            for (const Schema::Field &field : schema.fields) {
                try {
                    const auto it = map.constFind(field.name);
                    if (it != map.constEnd())
                        value(*field.schema, *it, depth + 1);
                    else if (field.defaultValue)
                        value(*field.schema, *field.defaultValue, depth + 1);
                    else
                        failure(QStringLiteral("the field is missing and has no default"));
                } catch (Failure &f) {
                    f.path.prepend(QLatin1Char('.') + field.name);
                    throw;
                }
            }
            return;
        }
        case Type::Array: {
            checkDepth(depth);
            if (v.typeId() == QMetaType::QStringList) {
                const QStringList list = v.toStringList();
                items(
                    list.size(), [&](qsizetype i) { value(*schema.items, list.at(i), depth + 1); });
            } else if (v.typeId() == QMetaType::QVariantList) {
                const QVariantList list = v.toList();
                items(
                    list.size(), [&](qsizetype i) { value(*schema.items, list.at(i), depth + 1); });
            } else if (kindOf(v) == Kind::List) {
                QVariantList list;
                for (const QVariant &item : v.value<QSequentialIterable>())
                    list.append(item);
                items(
                    list.size(), [&](qsizetype i) { value(*schema.items, list.at(i), depth + 1); });
            } else {
                wrongType(schema, v);
            }
            return;
        }
        case Type::Map: {
            checkDepth(depth);
            if (kindOf(v) != Kind::Map)
                wrongType(schema, v);
            const QVariantMap map = v.toMap();
            if (!map.isEmpty()) {
                appendLong(m_out, map.size());
                for (auto it = map.cbegin(); it != map.cend(); ++it) {
                    appendString(m_out, it.key());
                    try {
                        value(*schema.values, it.value(), depth + 1);
                    } catch (Failure &f) {
                        f.path.prepend(QStringLiteral("[\"%1\"]").arg(printable(it.key())));
                        throw;
                    }
                }
            }
            m_out.append('\0');
            return;
        }
        }
    }

private:
    template<typename Item>
    void items(qsizetype count, Item item)
    {
        // One block with every item, then the empty block that ends the array.
        if (count > 0) {
            appendLong(m_out, count);
            for (qsizetype i = 0; i < count; ++i) {
                try {
                    item(i);
                } catch (Failure &f) {
                    f.path.prepend(QStringLiteral("[%1]").arg(i));
                    throw;
                }
            }
        }
        m_out.append('\0');
    }

    template<typename T>
    void appendLittleEndian(T bits)
    {
        char bytes[sizeof(T)];
        qToLittleEndian(bits, bytes);
        m_out.append(bytes, sizeof bytes);
    }

    void checkDepth(int depth) const
    {
        if (depth >= m_limits.maxDepth)
            failure(QStringLiteral("nested deeper than %1").arg(m_limits.maxDepth));
    }

    [[noreturn]] static void wrongType(const Schema &schema, const QVariant &v)
    {
        failure(QStringLiteral("a %1 cannot be encoded as %2")
                    .arg(variantTypeName(v), schema.describe()));
    }

    QByteArray &m_out;
    const CodecLimits &m_limits;
};

} // namespace

void appendLong(QByteArray &out, qint64 value)
{
    quint64 z = (quint64(value) << 1) ^ quint64(value >> 63);
    char bytes[10];
    int n = 0;
    while (z >= 0x80) {
        bytes[n++] = char((z & 0x7f) | 0x80);
        z >>= 7;
    }
    bytes[n++] = char(z);
    out.append(bytes, n);
}

void appendString(QByteArray &out, QStringView text)
{
    // ASCII names (the hot path: message names, keys) go straight in, without a temporary.
    const qsizetype n = text.size();
    bool ascii = true;
    for (qsizetype i = 0; i < n && ascii; ++i)
        ascii = text[i].unicode() < 0x80;
    if (ascii) {
        appendLong(out, n);
        const qsizetype at = out.size();
        out.resize(at + n);
        char *dst = out.data() + at;
        for (qsizetype i = 0; i < n; ++i)
            dst[i] = char(text[i].unicode());
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    appendLong(out, utf8.size());
    out.append(utf8);
}

bool isValidUtf8(const char *bytes, qsizetype size)
{
    const auto *s = reinterpret_cast<const unsigned char *>(bytes);
    qsizetype i = 0;
    while (i < size) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra;
        quint32 cp;
        if (c >= 0xc2 && c <= 0xdf) {
            extra = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            extra = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false; // a continuation byte, an overlong lead (c0, c1) or past f4
        }
        if (size - i <= extra)
            return false;
        for (int k = 1; k <= extra; ++k) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
            || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        i += extra + 1;
    }
    return true;
}

void encode(QByteArray &out, const Schema &schema, const QVariant &value, const CodecLimits &limits)
{
    try {
        Encoder(out, limits).value(schema, value, 0);
    } catch (const Failure &f) {
        throw toError("encoding", schema, f);
    }
}

std::optional<QVariant> decode(ByteReader &reader, const Schema &schema, const CodecLimits &limits)
{
    // Most calls at the end of a buffer stop here, without throwing NeedMore.
    if (reader.remaining() < schema.minSize)
        return std::nullopt;
    ByteReader attempt = reader;
    try {
        QVariant result = Decoder(attempt, limits).value(schema, 0);
        reader = attempt;
        return result;
    } catch (const NeedMore &) {
        return std::nullopt;
    } catch (const Failure &f) {
        throw toError("decoding", schema, f);
    }
}

} // namespace Benchtop::Yaq
