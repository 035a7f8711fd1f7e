// SPDX-License-Identifier: MIT
#include "pythonjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

namespace Benchtop::Yaq {

namespace {

// --- reading ---

// NaN, Infinity and -Infinity outside strings become these strings before Qt parses the text,
// and doubles again afterwards. (A document holding these strings itself gets numbers instead,
// which the checks then treat as any other wrong value.)
const QString kNanSentinel = QChar(0x0001) + QStringLiteral("benchtop:NaN");
const QString kInfSentinel = QChar(0x0001) + QStringLiteral("benchtop:Infinity");
const QString kNegInfSentinel = QChar(0x0001) + QStringLiteral("benchtop:-Infinity");

bool isWordChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

struct Sanitized {
    QByteArray text;
    // (offset in `text` after which, cumulative bytes added) for mapping error offsets back.
    std::vector<std::pair<qsizetype, qsizetype>> shifts;

    qsizetype originalOffset(qsizetype offset) const
    {
        qsizetype added = 0;
        for (const auto &[at, total] : shifts) {
            if (at > offset)
                break;
            added = total;
        }
        return std::max<qsizetype>(0, offset - added);
    }
};

Sanitized sanitize(const QByteArray &text)
{
    Sanitized result;
    result.text.reserve(text.size());
    const struct {
        const char *token;
        const char *replacement;
    } tokens[] = {
        {"-Infinity", "\"\\u0001benchtop:-Infinity\""},
        {"Infinity", "\"\\u0001benchtop:Infinity\""},
        {"NaN", "\"\\u0001benchtop:NaN\""},
    };
    bool inString = false;
    qsizetype added = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (inString) {
            result.text += c;
            if (c == '\\' && i + 1 < text.size())
                result.text += text.at(++i);
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            result.text += c;
            continue;
        }
        bool replaced = false;
        if (c == '-' || c == 'I' || c == 'N') {
            const bool boundaryBefore = i == 0 || !isWordChar(text.at(i - 1));
            for (const auto &t : tokens) {
                const qsizetype length = qsizetype(std::strlen(t.token));
                if (boundaryBefore && text.mid(i, length) == t.token
                    && (i + length == text.size() || !isWordChar(text.at(i + length)))) {
                    result.text += t.replacement;
                    added += qsizetype(std::strlen(t.replacement)) - length;
                    result.shifts.emplace_back(result.text.size(), added);
                    i += length - 1;
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced)
            result.text += c;
    }
    return result;
}

QJsonValue restoreNumbers(const QJsonValue &value)
{
    // Depth is bounded by Qt's parser (1024 levels).
    switch (value.type()) {
    case QJsonValue::String: {
        const QString text = value.toString();
        if (!text.startsWith(QChar(0x0001)))
            return value;
        if (text == kNanSentinel)
            return std::numeric_limits<double>::quiet_NaN();
        if (text == kInfSentinel)
            return std::numeric_limits<double>::infinity();
        if (text == kNegInfSentinel)
            return -std::numeric_limits<double>::infinity();
        return value;
    }
    case QJsonValue::Array: {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue item = array.at(i);
            if (item.isString() || item.isArray() || item.isObject())
                array.replace(i, restoreNumbers(item));
        }
        return array;
    }
    case QJsonValue::Object: {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QJsonValue item = it.value();
            if (item.isString() || item.isArray() || item.isObject())
                it.value() = restoreNumbers(item);
        }
        return object;
    }
    default:
        return value;
    }
}

// --- writing ---

void writeString(QByteArray &out, const QString &text)
{
    out += '"';
    const QByteArray utf8 = text.toUtf8();
    for (char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                char escape[8];
                std::snprintf(escape, sizeof escape, "\\u%04x", u);
                out += escape;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void writeNumber(QByteArray &out, double x)
{
    if (std::isnan(x)) {
        out += "NaN";
        return;
    }
    if (std::isinf(x)) {
        out += x > 0 ? "Infinity" : "-Infinity";
        return;
    }
    char buffer[64];
    std::to_chars_result result;
    if (std::floor(x) == x && std::fabs(x) <= 9007199254740992.0)
        result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(x));
    else
        result = std::to_chars(buffer, buffer + sizeof buffer, x); // shortest round trip
    out.append(buffer, result.ptr - buffer);
}

void writeValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        break;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double:
        writeNumber(out, value.toDouble());
        break;
    case QJsonValue::String:
        writeString(out, value.toString());
        break;
    case QJsonValue::Array: {
        out += '[';
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                out += ',';
            writeValue(out, array.at(i));
        }
        out += ']';
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        QStringList keys = object.keys();
        keys.sort(); // QJsonObject keeps them sorted; the text must not depend on it
        out += '{';
        for (qsizetype i = 0; i < keys.size(); ++i) {
            if (i)
                out += ',';
            writeString(out, keys.at(i));
            out += ':';
            writeValue(out, object.value(keys.at(i)));
        }
        out += '}';
        break;
    }
    }
}

} // namespace

std::optional<QJsonObject> parseProtocolJson(const QByteArray &text, QString *error)
{
    if (text.size() > kMaxDocumentBytes) {
        if (error)
            *error = QStringLiteral("the protocol document is %1 bytes, more than the %2 accepted")
                         .arg(text.size())
                         .arg(kMaxDocumentBytes);
        return std::nullopt;
    }
    const Sanitized sanitized = sanitize(text);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(sanitized.text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const qsizetype offset = std::min(sanitized.originalOffset(parseError.offset), text.size());
        const QByteArray before = text.left(offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = offset - (before.lastIndexOf('\n') + 1) + 1;
        if (error)
            *error = QStringLiteral("the protocol document is not JSON: %1 at line %2, column %3")
                         .arg(parseError.errorString())
                         .arg(line)
                         .arg(column);
        return std::nullopt;
    }
    if (!document.isObject()) {
        if (error)
            *error = QStringLiteral("the protocol document must be a JSON object, not %1")
                         .arg(document.isArray() ? QStringLiteral("a list")
                                                 : QStringLiteral("a value"));
        return std::nullopt;
    }
    if (sanitized.shifts.empty())
        return document.object();
    return restoreNumbers(document.object()).toObject();
}

QByteArray canonicalText(const QJsonObject &document)
{
    QByteArray out;
    writeValue(out, document);
    return out;
}

} // namespace Benchtop::Yaq
