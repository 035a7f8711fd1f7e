// SPDX-License-Identifier: MIT
#include "remoteprotocol.h"

#include <device/messagetable.h>

#include "deviceprotocol.h"

#include <device/diagnostics.h>

#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace Benchtop::Yaq {

namespace {

// Parsing stops at the first problem: one clear line is worth more than a cascade.
struct ParseError {
    QString message;
};

[[noreturn]] void fail(const QString &where, const QString &what)
{
    throw ParseError{where.isEmpty() ? what : where + QLatin1String(": ") + what};
}

QString describe(const QJsonValue &value)
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

QString member(const QString &where, const QString &key)
{
    // Keys that are not plain names are quoted, so that a path stays readable.
    const bool plain = !key.isEmpty() && std::all_of(key.begin(), key.end(), [](QChar c) {
        return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('-');
    });
    const QString part = plain ? key : quoted(key);
    return where.isEmpty() ? part : where + QLatin1Char('.') + part;
}

QString element(const QString &where, qsizetype index)
{
    return where + QStringLiteral("[%1]").arg(index);
}

// --- JSON as Python writes it ---

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

// --- Avro types ---

const QSet<QString> &primitives()
{
    static const QSet<QString> names{QStringLiteral("null"), QStringLiteral("boolean"),
        QStringLiteral("int"), QStringLiteral("long"), QStringLiteral("float"),
        QStringLiteral("double"), QStringLiteral("bytes"), QStringLiteral("string")};
    return names;
}

constexpr int kMaxTypeDepth = 32;

// Checks the shape of Avro types and collects the names they define and reference, so that
// every reference can be checked once the whole document has been read.
class TypeChecker {
public:
    void check(const QJsonValue &type, const QString &where, int depth = 0)
    {
        if (depth > kMaxTypeDepth)
            fail(where, QStringLiteral("type nested more than %1 levels deep").arg(kMaxTypeDepth));
        if (type.isString()) {
            if (!primitives().contains(type.toString()))
                m_references.append({type.toString(), where});
            return;
        }
        if (type.isArray()) {
            const QJsonArray branches = type.toArray();
            if (branches.isEmpty())
                fail(where, QStringLiteral("a union must list at least one type"));
            for (qsizetype i = 0; i < branches.size(); ++i)
                check(branches.at(i), element(where, i), depth + 1);
            return;
        }
        if (!type.isObject()) {
            fail(where,
                QStringLiteral("must be an Avro type (a name, a list or an object), not %1")
                    .arg(describe(type)));
        }
        const QJsonObject object = type.toObject();
        const QJsonValue kind = object.value(QLatin1String("type"));
        if (kind.isUndefined())
            fail(where, QStringLiteral("\"type\" is missing"));
        if (!kind.isString()) {
            check(kind, member(where, QStringLiteral("type")), depth + 1);
            return;
        }
        const QString name = kind.toString();
        if (name == QLatin1String("array")) {
            check(required(object, "items", where), member(where, QStringLiteral("items")),
                depth + 1);
        } else if (name == QLatin1String("map")) {
            check(required(object, "values", where), member(where, QStringLiteral("values")),
                depth + 1);
        } else if (name == QLatin1String("record") || name == QLatin1String("error")) {
            define(object, where);
            const QJsonValue fields = required(object, "fields", where);
            if (!fields.isArray())
                fail(where,
                    QStringLiteral("\"fields\" must be a list, not %1").arg(describe(fields)));
            const QJsonArray list = fields.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QString at
                    = member(where, QStringLiteral("fields")) + QStringLiteral("[%1]").arg(i);
                if (!list.at(i).isObject())
                    fail(at, QStringLiteral("must be an object, not %1").arg(describe(list.at(i))));
                const QJsonObject field = list.at(i).toObject();
                if (!field.value(QLatin1String("name")).isString())
                    fail(at, QStringLiteral("\"name\" must be a string"));
                check(required(field, "type", at), member(at, QStringLiteral("type")), depth + 1);
            }
        } else if (name == QLatin1String("enum")) {
            define(object, where);
            const QJsonValue symbols = required(object, "symbols", where);
            const QJsonArray list = symbols.toArray();
            if (!symbols.isArray()
                || !std::all_of(
                    list.begin(), list.end(), [](const QJsonValue &s) { return s.isString(); }))
                fail(where, QStringLiteral("\"symbols\" must be a list of strings"));
        } else if (name == QLatin1String("fixed")) {
            define(object, where);
            const QJsonValue size = required(object, "size", where);
            if (!size.isDouble() || size.toDouble() < 0
                || std::floor(size.toDouble()) != size.toDouble())
                fail(where, QStringLiteral("\"size\" must be a whole number >= 0"));
        } else if (!primitives().contains(name)) {
            m_references.append({name, where});
        }
    }

    /// Throws for the first reference to a type that nothing defines.
    void checkReferences() const
    {
        for (const auto &[name, where] : m_references) {
            if (!m_defined.contains(name))
                fail(where, QStringLiteral("unknown type %1").arg(quoted(name)));
        }
    }

private:
    static QJsonValue required(const QJsonObject &object, const char *key, const QString &where)
    {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined())
            fail(where, QStringLiteral("%1 is missing").arg(quoted(QLatin1String(key))));
        return value;
    }

    void define(const QJsonObject &object, const QString &where)
    {
        const QJsonValue name = object.value(QLatin1String("name"));
        if (!name.isString() || name.toString().isEmpty())
            fail(where, QStringLiteral("a named type needs a \"name\" string"));
        m_defined.insert(name.toString());
        const QJsonValue space = object.value(QLatin1String("namespace"));
        if (space.isString() && !space.toString().isEmpty())
            m_defined.insert(space.toString() + QLatin1Char('.') + name.toString());
    }

    QSet<QString> m_defined;
    QList<std::pair<QString, QString>> m_references; // (name, where)
};

bool isNumeric(const QString &name)
{
    return name == QLatin1String("int") || name == QLatin1String("long")
        || name == QLatin1String("float") || name == QLatin1String("double");
}

std::optional<ValueTypeOfAvro> valueTypeOf(
    const QJsonValue &type, const QJsonArray &types, int depth);

// A named type, looked up in `types`.
QJsonValue resolve(const QString &name, const QJsonArray &types)
{
    for (const QJsonValue &t : types) {
        if (t.toObject().value(QLatin1String("name")).toString() == name)
            return t;
    }
    return {};
}

// What one element of a list or map is: string-like, number-like or neither.
enum class ElementKind { String, Number, Other };

ElementKind elementKind(const QJsonValue &type, const QJsonArray &types, int depth)
{
    const std::optional<ValueTypeOfAvro> element = valueTypeOf(type, types, depth + 1);
    if (!element)
        return ElementKind::Other;
    if (element->type == ValueType::String)
        return ElementKind::String;
    if (element->type == ValueType::Double || element->type == ValueType::Int)
        return ElementKind::Number;
    return ElementKind::Other;
}

std::optional<ValueTypeOfAvro> valueTypeOf(
    const QJsonValue &type, const QJsonArray &types, int depth)
{
    if (depth > kMaxTypeDepth)
        return std::nullopt; // a named type that refers to itself
    if (type.isString()) {
        const QString name = type.toString();
        if (name == QLatin1String("boolean"))
            return ValueTypeOfAvro{ValueType::Bool, {}};
        if (name == QLatin1String("int") || name == QLatin1String("long"))
            return ValueTypeOfAvro{ValueType::Int, {}};
        if (name == QLatin1String("float") || name == QLatin1String("double"))
            return ValueTypeOfAvro{ValueType::Double, {}};
        if (name == QLatin1String("string"))
            return ValueTypeOfAvro{ValueType::String, {}};
        if (primitives().contains(name))
            return std::nullopt; // null, bytes
        const QJsonValue named = resolve(name, types);
        return named.isObject() ? valueTypeOf(named, types, depth + 1) : std::nullopt;
    }
    if (type.isArray()) {
        // A union: ["null", X] is X that may be missing; numbers only is a number.
        QJsonArray others;
        for (const QJsonValue &branch : type.toArray()) {
            if (branch != QJsonValue(QStringLiteral("null")))
                others.append(branch);
        }
        if (others.size() == 1)
            return valueTypeOf(others.at(0), types, depth + 1);
        const bool numbers = !others.isEmpty()
            && std::all_of(others.begin(), others.end(),
                [](const QJsonValue &b) { return b.isString() && isNumeric(b.toString()); });
        if (numbers)
            return ValueTypeOfAvro{ValueType::Double, {}};
        return std::nullopt;
    }
    const QJsonObject object = type.toObject();
    const QJsonValue kind = object.value(QLatin1String("type"));
    if (!kind.isString())
        return kind.isUndefined() ? std::nullopt : valueTypeOf(kind, types, depth + 1);
    const QString name = kind.toString();
    if (name == QLatin1String("enum")) {
        QStringList symbols;
        for (const QJsonValue &s : object.value(QLatin1String("symbols")).toArray())
            symbols << s.toString();
        return ValueTypeOfAvro{ValueType::String, symbols};
    }
    if (name == QLatin1String("array")) {
        switch (elementKind(object.value(QLatin1String("items")), types, depth)) {
        case ElementKind::String:
            return ValueTypeOfAvro{ValueType::StringList, {}};
        case ElementKind::Number:
            return ValueTypeOfAvro{ValueType::DoubleList, {}};
        case ElementKind::Other:
            return std::nullopt;
        }
    }
    if (name == QLatin1String("map")) {
        switch (elementKind(object.value(QLatin1String("values")), types, depth)) {
        case ElementKind::String:
            return ValueTypeOfAvro{ValueType::StringMap, {}};
        case ElementKind::Number:
            return ValueTypeOfAvro{ValueType::DoubleMap, {}};
        case ElementKind::Other:
            return ValueTypeOfAvro{ValueType::Map, {}};
        }
    }
    if (name == QLatin1String("record")) {
        const bool ndarray
            = object.value(QLatin1String("logicalType")) == QJsonValue(QStringLiteral("ndarray"))
            || object.value(QLatin1String("name")) == QJsonValue(QStringLiteral("ndarray"));
        return ndarray ? std::optional(ValueTypeOfAvro{ValueType::DoubleList, {}}) : std::nullopt;
    }
    return valueTypeOf(kind, types, depth + 1); // {"type": "int"}
}

// --- the document ---

QString stringMember(const QJsonObject &object, const char *key, const QString &where,
    bool required, bool nonEmpty = false)
{
    const QJsonValue value = object.value(QLatin1String(key));
    const QString name = quoted(QLatin1String(key));
    if (value.isUndefined()) {
        if (required)
            fail(where, name + QLatin1String(" is missing"));
        return {};
    }
    if (!value.isString())
        fail(where, QStringLiteral("%1 must be a string, not %2").arg(name, describe(value)));
    if (nonEmpty && value.toString().isEmpty())
        fail(where, QStringLiteral("%1 must not be empty").arg(name));
    return value.toString();
}

QJsonObject objectMember(
    const QJsonObject &object, const char *key, const QString &where, bool required)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined()) {
        if (required)
            fail(where, quoted(QLatin1String(key)) + QLatin1String(" is missing"));
        return {};
    }
    if (!value.isObject()) {
        fail(where,
            QStringLiteral("%1 must be an object, not %2")
                .arg(quoted(QLatin1String(key)), describe(value)));
    }
    return value.toObject();
}

// A getter-like member: absent or null gives "", a string must name a message of the document.
QString messageMember(const QJsonObject &object, const char *key, const QString &where,
    const RemoteProtocol &protocol, bool required)
{
    const QJsonValue value = object.value(QLatin1String(key));
    const QString name = quoted(QLatin1String(key));
    if (value.isUndefined() || value.isNull()) {
        if (required)
            fail(where, name + QLatin1String(" is missing"));
        return {};
    }
    if (!value.isString())
        fail(where,
            QStringLiteral("%1 must be a message name or null, not %2").arg(name, describe(value)));
    const QString message = value.toString();
    if (message.isEmpty() && !required)
        return {};
    if (!protocol.messages.contains(message))
        fail(where,
            QStringLiteral("%1 %2 is not a message of the document").arg(name, quoted(message)));
    return message;
}

ControlKind controlKindMember(const QJsonObject &object, const QString &where)
{
    const QJsonValue value = object.value(QLatin1String("control_kind"));
    if (value.isUndefined() || value.isNull())
        return ControlKind::Normal;
    for (ControlKind kind : {ControlKind::Hinted, ControlKind::Normal, ControlKind::Omitted}) {
        if (value == QJsonValue(toString(kind)))
            return kind;
    }
    fail(where, QStringLiteral("\"control_kind\" must be \"hinted\", \"normal\" or \"omitted\""));
}

bool boolMember(const QJsonObject &object, const char *key, const QString &where, bool fallback)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool())
        fail(where,
            QStringLiteral("%1 must be true or false, not %2")
                .arg(quoted(QLatin1String(key)), describe(value)));
    return value.toBool();
}

MessageDefinition parseMessage(
    const QString &name, const QJsonValue &value, const QString &where, TypeChecker &checker)
{
    if (!value.isObject())
        fail(where, QStringLiteral("must be an object, not %1").arg(describe(value)));
    const QJsonObject object = value.toObject();
    MessageDefinition message;
    message.name = name;
    message.doc = stringMember(object, "doc", where, false);
    message.trait = stringMember(object, "origin", where, false);
    if (const TraitMessage *known = traitMessage(name)) {
        message.effect = known->definition.effect;
        message.onceIdle = known->definition.onceIdle;
    }

    const QJsonValue request = object.value(QLatin1String("request"));
    if (!request.isUndefined() && !request.isNull()) {
        if (!request.isArray()) {
            fail(where,
                QStringLiteral("\"request\" must be a list of parameters, not %1")
                    .arg(describe(request)));
        }
        const QJsonArray parameters = request.toArray();
        for (qsizetype i = 0; i < parameters.size(); ++i) {
            const QString at = element(member(where, QStringLiteral("request")), i);
            if (!parameters.at(i).isObject())
                fail(at,
                    QStringLiteral("must be an object, not %1").arg(describe(parameters.at(i))));
            const QJsonObject p = parameters.at(i).toObject();
            MessageParameter parameter;
            parameter.name = stringMember(p, "name", at, true, true);
            for (const MessageParameter &other : std::as_const(message.request)) {
                if (other.name == parameter.name)
                    fail(at,
                        QStringLiteral("parameter %1 is listed twice").arg(quoted(parameter.name)));
            }
            parameter.type = p.value(QLatin1String("type"));
            if (parameter.type.isUndefined())
                fail(at, QStringLiteral("\"type\" is missing"));
            checker.check(parameter.type, member(at, QStringLiteral("type")));
            parameter.defaultValue = p.value(QLatin1String("default"));
            message.request << parameter;
        }
    }
    const QJsonValue response = object.value(QLatin1String("response"));
    if (!response.isUndefined() && !response.isNull()) {
        checker.check(response, member(where, QStringLiteral("response")));
        message.response = response;
    }
    return message;
}

std::optional<RemoteProperty> parseYaqProperty(const QString &name, const QJsonValue &value,
    const QString &where, RemoteProtocol &protocol, TypeChecker &checker)
{
    if (!value.isObject())
        fail(where, QStringLiteral("must be an object, not %1").arg(describe(value)));
    const QJsonObject object = value.toObject();
    const QJsonValue type = object.value(QLatin1String("type"));
    if (type.isUndefined())
        fail(where, QStringLiteral("\"type\" is missing"));
    checker.check(type, member(where, QStringLiteral("type")));

    RemoteProperty property;
    property.info.name = name;
    property.info.getter = messageMember(object, "getter", where, protocol, true);
    property.info.setter = messageMember(object, "setter", where, protocol, false);
    property.unitsGetter = messageMember(object, "units_getter", where, protocol, false);
    property.limitsGetter = messageMember(object, "limits_getter", where, protocol, false);
    property.optionsGetter = messageMember(object, "options_getter", where, protocol, false);
    property.info.controlKind = controlKindMember(object, where);
    property.info.dynamic = boolMember(object, "dynamic", where, true);
    property.recordKind = stringMember(object, "record_kind", where, false);
    property.info.stateKey = name;

    const std::optional<ValueTypeOfAvro> valueType = valueTypeOfAvro(type, protocol.types);
    if (!valueType) {
        protocol.warnings << QStringLiteral("%1: left out: Benchtop cannot show a value of type %2")
                                 .arg(where,
                                     QString::fromUtf8(QJsonDocument(QJsonArray{type})
                                                           .toJson(QJsonDocument::Compact)
                                                           .chopped(1)
                                                           .mid(1)));
        return std::nullopt;
    }
    property.info.type = valueType->type;
    property.info.options = valueType->options;
    return property;
}

RemoteProperty parseExtensionProperty(
    const QJsonValue &value, const QString &where, const QJsonObject &yaqProperties)
{
    if (!value.isObject())
        fail(where, QStringLiteral("must be an object, not %1").arg(describe(value)));
    const QJsonObject object = value.toObject();
    RemoteProperty property;
    PropertyInfo &info = property.info;
    info.name = stringMember(object, "name", where, true, true);
    const QString typeName = stringMember(object, "value_type", where, true);
    const std::optional<ValueType> type = valueTypeFromString(typeName);
    if (!type)
        fail(where, QStringLiteral("unknown \"value_type\" %1").arg(quoted(typeName)));
    info.type = *type;
    // A driver's own messages are not listed in documents (nothing declares their parameters),
    // so the getter and setter of a Benchtop property need only be names.
    info.getter = stringMember(object, "getter", where, true, true);
    const QJsonValue setter = object.value(QLatin1String("setter"));
    if (!setter.isUndefined() && !setter.isNull() && !setter.isString())
        fail(where,
            QStringLiteral("\"setter\" must be a message name or null, not %1")
                .arg(describe(setter)));
    info.setter = setter.toString();
    info.stateKey = stringMember(object, "state_key", where, false);
    info.units = stringMember(object, "units", where, false);
    info.controlKind = controlKindMember(object, where);
    info.dynamic = boolMember(object, "dynamic", where, true);
    property.recordKind = stringMember(object, "record_kind", where, false);

    const QJsonValue argument = object.value(QLatin1String("argument"));
    if (!argument.isUndefined())
        info.argument = argument.toVariant();

    const QJsonValue limits = object.value(QLatin1String("limits"));
    if (!limits.isUndefined() && !limits.isNull()) {
        const QJsonArray pair = limits.toArray();
        if (!limits.isArray() || pair.size() != 2 || !pair.at(0).isDouble()
            || !pair.at(1).isDouble())
            fail(where, QStringLiteral("\"limits\" must be [lower, upper] or null"));
        info.limits = Limits{pair.at(0).toDouble(), pair.at(1).toDouble()};
    }
    const QJsonValue options = object.value(QLatin1String("options"));
    if (!options.isUndefined() && !options.isNull()) {
        if (!options.isArray())
            fail(where, QStringLiteral("\"options\" must be a list of strings"));
        for (const QJsonValue &option : options.toArray()) {
            if (!option.isString())
                fail(where, QStringLiteral("\"options\" must be a list of strings"));
            info.options << option.toString();
        }
    }
    // The getters of its units, limits and options, when it is also a yaq property.
    const QJsonObject yaq = yaqProperties.value(info.name).toObject();
    if (yaq.value(QLatin1String("getter")) == QJsonValue(info.getter) && !info.argument.isValid()) {
        property.unitsGetter = yaq.value(QLatin1String("units_getter")).toString();
        property.limitsGetter = yaq.value(QLatin1String("limits_getter")).toString();
        property.optionsGetter = yaq.value(QLatin1String("options_getter")).toString();
    }
    return property;
}

RemoteProtocol parse(const QJsonObject &document)
{
    const QString top;
    RemoteProtocol protocol;
    protocol.kind = stringMember(document, "protocol", top, true, true);
    protocol.doc = stringMember(document, "doc", top, false);

    const QJsonValue traits = document.value(QLatin1String("traits"));
    if (!traits.isUndefined()) {
        if (!traits.isArray())
            fail(top,
                QStringLiteral("\"traits\" must be a list of trait names, not %1")
                    .arg(describe(traits)));
        const QJsonArray list = traits.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (!list.at(i).isString())
                fail(element(QStringLiteral("traits"), i),
                    QStringLiteral("must be a string, not %1").arg(describe(list.at(i))));
            protocol.traits << list.at(i).toString();
        }
    }

    TypeChecker checker;
    const QJsonValue types = document.value(QLatin1String("types"));
    if (!types.isUndefined()) {
        if (!types.isArray())
            fail(top,
                QStringLiteral("\"types\" must be a list of named types, not %1")
                    .arg(describe(types)));
        protocol.types = types.toArray();
        for (qsizetype i = 0; i < protocol.types.size(); ++i) {
            const QString at = element(QStringLiteral("types"), i);
            const QJsonValue type = protocol.types.at(i);
            if (!type.isObject())
                fail(at, QStringLiteral("must be an object, not %1").arg(describe(type)));
            checker.check(type, at);
        }
    }

    const QJsonObject messages = objectMember(document, "messages", top, true);
    for (auto it = messages.begin(); it != messages.end(); ++it) {
        const QString where = member(QStringLiteral("messages"), it.key());
        if (it.key().isEmpty())
            fail(QStringLiteral("messages"), QStringLiteral("a message has an empty name"));
        protocol.messages.insert(it.key(), parseMessage(it.key(), it.value(), where, checker));
    }

    for (const char *section : {"config", "state"}) {
        const QJsonObject fields = objectMember(document, section, top, false);
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            if (!it.value().isObject()) {
                fail(member(QLatin1String(section), it.key()),
                    QStringLiteral("must be an object, not %1").arg(describe(it.value())));
            }
        }
        (section == QLatin1String("config") ? protocol.config : protocol.state) = fields;
    }

    const QJsonObject properties = objectMember(document, "properties", top, false);
    QList<RemoteProperty> yaqProperties;
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString where = member(QStringLiteral("properties"), it.key());
        if (std::optional<RemoteProperty> property
            = parseYaqProperty(it.key(), it.value(), where, protocol, checker))
            yaqProperties << *property;
    }
    checker.checkReferences();

    const QJsonValue extension = document.value(QLatin1String(kExtensionKey));
    const QString at = QLatin1String(kExtensionKey);
    if (extension.isUndefined()) {
        protocol.properties = yaqProperties;
        return protocol;
    }
    if (!extension.isObject())
        fail(top,
            QStringLiteral("%1 must be an object, not %2").arg(quoted(at), describe(extension)));
    const QJsonObject object = extension.toObject();
    const QJsonValue version = object.value(QLatin1String("version"));
    if (version != QJsonValue(kExtensionVersion)) {
        // A later Benchtop's extension: the yaq part is still good.
        protocol.warnings << QStringLiteral("%1: version %2 is not %3; its extension was ignored")
                                 .arg(at,
                                     version.isDouble() ? QString::number(version.toDouble())
                                                        : describe(version))
                                 .arg(kExtensionVersion);
        protocol.properties = yaqProperties;
        return protocol;
    }
    const QJsonValue list = object.value(QLatin1String("properties"));
    if (!list.isArray())
        fail(at, QStringLiteral("\"properties\" must be a list, not %1").arg(describe(list)));
    const QJsonArray entries = list.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        protocol.properties << parseExtensionProperty(
            entries.at(i), element(at + QLatin1String(".properties"), i), properties);
    }
    return protocol;
}

} // namespace

QList<PropertyInfo> RemoteProtocol::propertyInfos() const
{
    QList<PropertyInfo> infos;
    for (const RemoteProperty &property : properties)
        infos << property.info;
    return infos;
}

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

std::optional<RemoteProtocol> parseRemoteProtocol(const QJsonObject &document, QString *error)
{
    try {
        return parse(document);
    } catch (const ParseError &e) {
        if (error)
            *error = e.message;
        return std::nullopt;
    }
}

std::optional<RemoteProtocol> parseRemoteProtocol(const QByteArray &text, QString *error)
{
    const std::optional<QJsonObject> document = parseProtocolJson(text, error);
    if (!document)
        return std::nullopt;
    return parseRemoteProtocol(*document, error);
}

std::optional<ValueTypeOfAvro> valueTypeOfAvro(const QJsonValue &type, const QJsonArray &types)
{
    return valueTypeOf(type, types, 0);
}

} // namespace Benchtop::Yaq
