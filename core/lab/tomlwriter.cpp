// SPDX-License-Identifier: MIT
#include "tomlwriter.h"

#include <QStringList>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace Benchtop {

namespace {

bool isTable(const QVariant &value)
{
    return value.typeId() == QMetaType::QVariantMap || value.typeId() == QMetaType::QVariantHash;
}

QString keyPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

QString elementPath(const QString &path, qsizetype index)
{
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

void appendBasicString(QString &out, const QString &text)
{
    out += QLatin1Char('"');
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'"':
            out += QLatin1String("\\\"");
            break;
        case u'\\':
            out += QLatin1String("\\\\");
            break;
        case u'\b':
            out += QLatin1String("\\b");
            break;
        case u'\t':
            out += QLatin1String("\\t");
            break;
        case u'\n':
            out += QLatin1String("\\n");
            break;
        case u'\f':
            out += QLatin1String("\\f");
            break;
        case u'\r':
            out += QLatin1String("\\r");
            break;
        default:
            // TOML allows no other control character in a basic string, not even DEL.
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
}

void appendDouble(QString &out, double x)
{
    if (std::isnan(x)) {
        out += QLatin1String("nan");
        return;
    }
    if (std::isinf(x)) {
        out += x < 0 ? QLatin1String("-inf") : QLatin1String("inf");
        return;
    }
    // std::to_chars without a format: the shortest text that reads back to the same double,
    // whatever the locale.
    char buffer[64];
    const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof buffer, x);
    const QLatin1String text(buffer, result.ptr - buffer);
    out += text;
    // Without a point or an exponent TOML reads an integer (and an int field would take it).
    if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')))
        out += QLatin1String(".0");
}

/// Writes values; the first failure stops it and is kept in `error`.
class Writer {
public:
    explicit Writer(TomlWriteError *error)
        : m_error(error)
    {
    }

    void fail(const QString &path, const QString &reason)
    {
        if (m_error)
            *m_error = {path, reason};
    }

    /// `depth`: how many arrays and inline tables hold the value.
    bool value(QString &out, const QVariant &v, const QString &path, int depth)
    {
        switch (v.typeId()) {
        case QMetaType::Bool:
            out += v.toBool() ? QLatin1String("true") : QLatin1String("false");
            return true;
        case QMetaType::Int:
        case QMetaType::Long:
        case QMetaType::LongLong:
        case QMetaType::Short:
        case QMetaType::SChar:
            out += QString::number(v.toLongLong());
            return true;
        case QMetaType::UInt:
        case QMetaType::ULong:
        case QMetaType::ULongLong:
        case QMetaType::UShort:
        case QMetaType::UChar: {
            const qulonglong x = v.toULongLong();
            // TOML integers are signed 64-bit.
            if (x > static_cast<qulonglong>(std::numeric_limits<qint64>::max())) {
                fail(path,
                    QStringLiteral("%1 is too large for a TOML integer").arg(QString::number(x)));
                return false;
            }
            out += QString::number(x);
            return true;
        }
        case QMetaType::Double:
        case QMetaType::Float:
            appendDouble(out, v.toDouble());
            return true;
        case QMetaType::QString:
            appendBasicString(out, v.toString());
            return true;
        case QMetaType::QStringList:
        case QMetaType::QVariantList: {
            if (!nest(depth, path))
                return false;
            const QVariantList list = v.toList();
            out += QLatin1Char('[');
            for (qsizetype i = 0; i < list.size(); ++i) {
                out += i == 0 ? QLatin1String(" ") : QLatin1String(", ");
                if (!value(out, list[i], elementPath(path, i), depth + 1))
                    return false;
            }
            out += list.isEmpty() ? QLatin1String("]") : QLatin1String(" ]");
            return true;
        }
        case QMetaType::QVariantMap:
        case QMetaType::QVariantHash: {
            if (!nest(depth, path))
                return false;
            // A hash has no order; a map's sorted keys make the text the same every time.
            const QVariantMap map = v.toMap();
            if (map.isEmpty()) {
                out += QLatin1String("{}");
                return true;
            }
            out += QLatin1String("{ ");
            for (auto it = map.cbegin(); it != map.cend(); ++it) {
                if (it != map.cbegin())
                    out += QLatin1String(", ");
                out += tomlKey(it.key()) + QLatin1String(" = ");
                if (!value(out, it.value(), keyPath(path, it.key()), depth + 1))
                    return false;
            }
            out += QLatin1String(" }");
            return true;
        }
        default:
            break;
        }
        fail(path,
            QStringLiteral("values of type %1 are not supported")
                .arg(QLatin1String(v.isValid() ? v.typeName() : "invalid (null)")));
        return false;
    }

    /// Key/values first, then each table under its own `[a.b]` header.
    bool table(QString &out, const QVariantMap &map, const QString &path, const QString &header)
    {
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (isTable(it.value()))
                continue;
            out += tomlKey(it.key()) + QLatin1String(" = ");
            if (!value(out, it.value(), keyPath(path, it.key()), 0))
                return false;
            out += QLatin1Char('\n');
        }
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (!isTable(it.value()))
                continue;
            const QString subHeader
                = (header.isEmpty() ? QString() : header + QLatin1Char('.')) + tomlKey(it.key());
            if (!out.isEmpty())
                out += QLatin1Char('\n');
            out += QLatin1Char('[') + subHeader + QLatin1String("]\n");
            if (!table(out, it.value().toMap(), keyPath(path, it.key()), subHeader))
                return false;
        }
        return true;
    }

private:
    bool nest(int depth, const QString &path)
    {
        if (depth < kTomlMaxNesting)
            return true;
        fail(path,
            QStringLiteral("arrays and inline tables nested more than %1 deep")
                .arg(kTomlMaxNesting));
        return false;
    }

    TomlWriteError *m_error;
};

} // namespace

QString tomlKey(const QString &key)
{
    const bool bare = !key.isEmpty() && std::all_of(key.cbegin(), key.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'-' || c == u'_';
    });
    if (bare)
        return key;
    QString out;
    appendBasicString(out, key);
    return out;
}

QString tomlValue(const QVariant &value, TomlWriteError *error)
{
    QString out;
    if (!Writer(error).value(out, value, QString(), 0))
        return {};
    return out;
}

QString tomlLine(const QString &key, const QVariant &value, TomlWriteError *error)
{
    QString out = tomlKey(key) + QLatin1String(" = ");
    if (!Writer(error).value(out, value, key, 0))
        return {};
    return out;
}

std::optional<QByteArray> tomlDocument(const QVariantMap &table, TomlWriteError *error)
{
    QString out;
    if (!Writer(error).table(out, table, QString(), QString()))
        return std::nullopt;
    return out.toUtf8();
}

} // namespace Benchtop
