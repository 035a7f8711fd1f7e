// SPDX-License-Identifier: MIT
#include "jsonpath.h"

#include "yaqerror.h"

#include <device/diagnostics.h>

#include <algorithm>

namespace Benchtop::Yaq {

QString memberPath(const QString &where, const QString &key)
{
    const bool plain = !key.isEmpty() && std::all_of(key.begin(), key.end(), [](QChar c) {
        return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('-');
    });
    const QString part = plain ? key : quoted(key);
    return where.isEmpty() ? part : where + QLatin1Char('.') + part;
}

QString elementPath(const QString &where, qsizetype index)
{
    return where + QStringLiteral("[%1]").arg(index);
}

QString describeJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("true/false");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

QString quotedJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return quoted(value.toString());
    case QJsonValue::Double:
        return QString::number(value.toDouble());
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    default:
        return describeJson(value);
    }
}

void failAt(const QString &where, const QString &what)
{
    throw SchemaError(where.isEmpty() ? what : where + QLatin1String(": ") + what);
}

} // namespace Benchtop::Yaq
