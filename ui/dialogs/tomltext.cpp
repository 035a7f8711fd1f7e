// SPDX-License-Identifier: MIT
#include "tomltext.h"

#include <QLocale>
#include <QStringList>
#include <QVariantHash>
#include <QVariantList>
#include <QVariantMap>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Benchtop::Ui {

namespace {

QString basicString(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
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
    return out;
}

QString floatText(double x)
{
    if (std::isnan(x))
        return QStringLiteral("nan");
    if (std::isinf(x))
        return x < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");
    if (x == 0 && std::signbit(x))
        return QStringLiteral("-0.0"); // QString::number drops the sign
    QString text = QString::number(x, 'g', QLocale::FloatingPointShortest);
    // Without a point or an exponent TOML would read an integer, and an Int field would take it.
    if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')))
        text += QLatin1String(".0");
    return text;
}

QString arrayText(const QVariantList &list)
{
    QStringList elements;
    for (const QVariant &element : list) {
        const QString text = tomlValue(element);
        if (text.isEmpty())
            return {};
        elements << text;
    }
    return QLatin1Char('[') + elements.join(QLatin1String(", ")) + QLatin1Char(']');
}

QString tableText(const QVariantMap &map)
{
    if (map.isEmpty())
        return QStringLiteral("{}");
    QStringList entries;
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        const QString text = tomlValue(it.value());
        if (text.isEmpty())
            return {};
        entries << tomlKey(it.key()) + QLatin1String(" = ") + text;
    }
    return QLatin1String("{ ") + entries.join(QLatin1String(", ")) + QLatin1String(" }");
}

} // namespace

QString tomlKey(const QString &key)
{
    const bool bare = !key.isEmpty() && std::all_of(key.cbegin(), key.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'-' || c == u'_';
    });
    return bare ? key : basicString(key);
}

QString tomlValue(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::SChar:
        return QString::number(value.toLongLong());
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        // TOML integers are signed 64-bit.
        if (value.toULongLong() > static_cast<qulonglong>(std::numeric_limits<qint64>::max()))
            return {};
        return QString::number(value.toULongLong());
    case QMetaType::Double:
    case QMetaType::Float:
        return floatText(value.toDouble());
    case QMetaType::QString:
        return basicString(value.toString());
    case QMetaType::QStringList:
    case QMetaType::QVariantList:
        return arrayText(value.toList());
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
        // A hash has no order; a map's sorted keys make the text the same every time.
        return tableText(value.toMap());
    default:
        return {};
    }
}

} // namespace Benchtop::Ui
