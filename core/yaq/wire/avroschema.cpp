// SPDX-License-Identifier: MIT
#include "avroschema.h"

#include "jsonpath.h"
#include "yaqerror.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <array>

namespace Benchtop::Yaq {

namespace {

// A protocol document comes from the peer (a client parses the server's), so its nesting is
// bounded like any other input. yaq's deepest types (get_measured's map of ndarray records)
// are four levels deep.
constexpr int kMaxSchemaDepth = 32;
constexpr qsizetype kMaxFixedSize = 16 * 1024 * 1024;
constexpr qsizetype kMinSizeCap = qsizetype(1) << 40; // sums of fixed sizes cannot overflow

struct PrimitiveName {
    const char *name;
    Schema::Type type;
    qsizetype minSize;
};
constexpr std::array<PrimitiveName, 8> kPrimitives{{
    {"null", Schema::Type::Null, 0},
    {"boolean", Schema::Type::Boolean, 1},
    {"int", Schema::Type::Int, 1},
    {"long", Schema::Type::Long, 1},
    {"float", Schema::Type::Float, 4},
    {"double", Schema::Type::Double, 8},
    {"string", Schema::Type::String, 1},
    {"bytes", Schema::Type::Bytes, 1},
}};

const Schema *primitiveByName(const QString &name)
{
    for (const PrimitiveName &p : kPrimitives) {
        if (name == QLatin1String(p.name))
            return &SchemaSet::primitive(p.type);
    }
    return nullptr;
}

bool validName(const QString &name)
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z_][A-Za-z0-9_]*")));
    return pattern.match(name).hasMatch();
}

[[noreturn]] void fail(const QString &where, const QString &what)
{
    throw SchemaError(QStringLiteral("%1: %2").arg(where, what));
}

qsizetype capped(qsizetype a, qsizetype b)
{
    return std::min(a + b, kMinSizeCap);
}

} // namespace

const char *Schema::typeName(Type type)
{
    switch (type) {
    case Type::Null:
        return "null";
    case Type::Boolean:
        return "boolean";
    case Type::Int:
        return "int";
    case Type::Long:
        return "long";
    case Type::Float:
        return "float";
    case Type::Double:
        return "double";
    case Type::String:
        return "string";
    case Type::Bytes:
        return "bytes";
    case Type::Array:
        return "array";
    case Type::Map:
        return "map";
    case Type::Union:
        return "union";
    case Type::Record:
        return "record";
    case Type::Enum:
        return "enum";
    case Type::Fixed:
        return "fixed";
    }
    return "?";
}

QString Schema::describe() const
{
    const QLatin1String kind(typeName(type));
    switch (type) {
    case Type::Array:
        return QStringLiteral("array<%1>").arg(items->describe());
    case Type::Map:
        return QStringLiteral("map<%1>").arg(values->describe());
    case Type::Union: {
        QStringList names;
        for (const Schema *branch : branches)
            names << branch->describe();
        return QStringLiteral("union [%1]").arg(names.join(QStringLiteral(", ")));
    }
    case Type::Fixed:
        return QStringLiteral("fixed %1 (%2)").arg(name).arg(size);
    case Type::Record:
    case Type::Enum:
        return kind + QLatin1Char(' ') + name;
    default:
        return kind;
    }
}

struct SchemaSet::Parser {
    explicit Parser(SchemaSet &s)
        : set(s)
        , nodesBefore(qsizetype(s.m_nodes.size()))
    {
    }

    SchemaSet &set;
    qsizetype nodesBefore;
    QStringList added; // names to forget if the parse fails

    Schema &newNode(Schema::Type type)
    {
        Schema &node = set.m_nodes.emplace_back();
        node.type = type;
        return node;
    }

    void rollback()
    {
        for (const QString &name : std::as_const(added))
            set.m_names.remove(name);
        while (qsizetype(set.m_nodes.size()) > nodesBefore)
            set.m_nodes.pop_back();
    }

    const Schema *reference(const QString &name, const QString &space) const
    {
        if (!space.isEmpty() && !name.contains(QLatin1Char('.'))) {
            if (const Schema *found = set.m_names.value(space + QLatin1Char('.') + name))
                return found;
        }
        return set.m_names.value(name);
    }

    // Registers a named type before its fields are parsed, so that a record may refer to
    // itself (a linked list).
    void declare(Schema &node, const QJsonObject &object, const QString &where, QString &space)
    {
        const QJsonValue nameValue = object.value(QLatin1String("name"));
        if (!nameValue.isString())
            fail(where,
                QStringLiteral("a %1 needs a \"name\"")
                    .arg(QLatin1String(Schema::typeName(node.type))));
        QString name = nameValue.toString();
        const QJsonValue ns = object.value(QLatin1String("namespace"));
        if (ns.isString())
            space = ns.toString();
        const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
        if (dot >= 0) {
            space = name.left(dot);
            name = name.mid(dot + 1);
        }
        if (!validName(name))
            fail(where, QStringLiteral("%1 is not a valid Avro name").arg(quotedJson(nameValue)));
        if (primitiveByName(name))
            fail(where,
                QStringLiteral("a named type cannot be called %1").arg(quotedJson(nameValue)));
        const QString full = space.isEmpty() ? name : space + QLatin1Char('.') + name;
        if (set.m_names.contains(full))
            fail(where, QStringLiteral("type \"%1\" is defined twice").arg(full));
        node.name = full;
        set.m_names.insert(full, &node);
        added << full;
        // The short name too, so that yaq's bare references ("ndarray") find a namespaced type.
        if (full != name && !set.m_names.contains(name)) {
            set.m_names.insert(name, &node);
            added << name;
        }
    }

    const Schema &parse(
        const QJsonValue &json, const QString &where, const QString &space, int depth)
    {
        if (depth > kMaxSchemaDepth)
            fail(where, QStringLiteral("nested deeper than %1").arg(kMaxSchemaDepth));
        if (json.isString()) {
            const QString name = json.toString();
            if (const Schema *p = primitiveByName(name))
                return *p;
            if (const Schema *named = reference(name, space))
                return *named;
            fail(where, QStringLiteral("unknown type %1").arg(quotedJson(json)));
        }
        if (json.isArray())
            return parseUnion(json.toArray(), where, space, depth);
        if (!json.isObject())
            fail(where,
                QStringLiteral("a schema must be a name, an object or an array, not %1")
                    .arg(quotedJson(json)));

        const QJsonObject object = json.toObject();
        const QJsonValue typeValue = object.value(QLatin1String("type"));
        if (!typeValue.isString()) {
            // {"type": {...}} is a schema wrapped once more; Avro allows it.
            if (typeValue.isObject() || typeValue.isArray())
                return parse(typeValue, where + QStringLiteral(".type"), space, depth + 1);
            fail(where, QStringLiteral("an object schema needs a \"type\""));
        }
        const QString type = typeValue.toString();
        if (const Schema *p = primitiveByName(type))
            return *p;
        if (type == QLatin1String("array")) {
            Schema &node = newNode(Schema::Type::Array);
            node.minSize = 1;
            node.items = &parse(required(object, "items", where), where + QStringLiteral(".items"),
                space, depth + 1);
            return node;
        }
        if (type == QLatin1String("map")) {
            Schema &node = newNode(Schema::Type::Map);
            node.minSize = 1;
            node.values = &parse(required(object, "values", where),
                where + QStringLiteral(".values"), space, depth + 1);
            return node;
        }
        if (type == QLatin1String("record") || type == QLatin1String("error"))
            return parseRecord(object, where, space, depth);
        if (type == QLatin1String("enum"))
            return parseEnum(object, where, space);
        if (type == QLatin1String("fixed"))
            return parseFixed(object, where, space);
        if (const Schema *named = reference(type, space))
            return *named; // {"type": "ndarray"}
        fail(where, QStringLiteral("unknown type %1").arg(quotedJson(typeValue)));
    }

    static QJsonValue required(const QJsonObject &object, const char *key, const QString &where)
    {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined())
            fail(where, QStringLiteral("\"%1\" is missing").arg(QLatin1String(key)));
        return value;
    }

    const Schema &parseUnion(
        const QJsonArray &array, const QString &where, const QString &space, int depth)
    {
        if (array.isEmpty())
            fail(where, QStringLiteral("a union needs at least one branch"));
        Schema &node = newNode(Schema::Type::Union);
        node.minSize = 1;
        QSet<QString> seen;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString at = QStringLiteral("%1[%2]").arg(where).arg(i);
            const Schema &branch = parse(array.at(i), at, space, depth + 1);
            if (branch.type == Schema::Type::Union)
                fail(at, QStringLiteral("a union cannot contain a union directly"));
            // Avro: at most one branch of each unnamed type, and of each name.
            const QString key
                = branch.isNamed() ? branch.name : QLatin1String(Schema::typeName(branch.type));
            if (seen.contains(key))
                fail(at, QStringLiteral("the union has two branches of type %1").arg(key));
            seen.insert(key);
            node.branches.push_back(&branch);
        }
        return node;
    }

    const Schema &parseRecord(
        const QJsonObject &object, const QString &where, QString space, int depth)
    {
        Schema &node = newNode(Schema::Type::Record);
        declare(node, object, where, space);
        const QJsonValue fields = required(object, "fields", where);
        if (!fields.isArray())
            fail(where, QStringLiteral("\"fields\" must be an array"));
        QSet<QString> names;
        qsizetype minSize = 0;
        const QJsonArray array = fields.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            QString at = QStringLiteral("%1.fields[%2]").arg(where).arg(i);
            if (!array.at(i).isObject())
                fail(at, QStringLiteral("a field must be an object"));
            const QJsonObject field = array.at(i).toObject();
            const QJsonValue name = field.value(QLatin1String("name"));
            if (!name.isString() || !validName(name.toString()))
                fail(at,
                    QStringLiteral("a field needs a valid \"name\", not %1").arg(quotedJson(name)));
            at = QStringLiteral("%1.%2").arg(where, name.toString());
            if (names.contains(name.toString()))
                fail(at, QStringLiteral("field defined twice"));
            names.insert(name.toString());
            Schema::Field parsed;
            parsed.name = name.toString();
            parsed.schema = &parse(required(field, "type", at), at, space, depth + 1);
            const QJsonValue defaultValue = field.value(QLatin1String("default"));
            if (!defaultValue.isUndefined())
                parsed.defaultValue = convertDefault(*parsed.schema, defaultValue, at, 0);
            minSize = capped(minSize, parsed.schema->minSize);
            node.fields.push_back(std::move(parsed));
        }
        node.minSize = minSize;
        return node;
    }

    const Schema &parseEnum(const QJsonObject &object, const QString &where, QString space)
    {
        Schema &node = newNode(Schema::Type::Enum);
        declare(node, object, where, space);
        const QJsonValue symbols = required(object, "symbols", where);
        if (!symbols.isArray() || symbols.toArray().isEmpty())
            fail(where, QStringLiteral("\"symbols\" must be an array of at least one name"));
        for (const QJsonValue &symbol : symbols.toArray()) {
            if (!symbol.isString() || !validName(symbol.toString()))
                fail(
                    where, QStringLiteral("%1 is not a valid enum symbol").arg(quotedJson(symbol)));
            if (node.symbols.contains(symbol.toString()))
                fail(where, QStringLiteral("symbol %1 appears twice").arg(quotedJson(symbol)));
            node.symbols << symbol.toString();
        }
        node.minSize = 1;
        return node;
    }

    const Schema &parseFixed(const QJsonObject &object, const QString &where, QString space)
    {
        Schema &node = newNode(Schema::Type::Fixed);
        declare(node, object, where, space);
        const QJsonValue size = required(object, "size", where);
        const double n = size.toDouble(-1);
        if (!size.isDouble() || n < 0 || n > double(kMaxFixedSize) || n != std::floor(n))
            fail(where,
                QStringLiteral("\"size\" must be a whole number from 0 to %1, not %2")
                    .arg(kMaxFixedSize)
                    .arg(quotedJson(size)));
        node.size = qsizetype(n);
        node.minSize = node.size;
        return node;
    }

    // Avro protocol: a message's request lists its parameters in the form of a record's
    // fields. Paths name them by position, as the document lists them.
    std::vector<Schema::Field> parseParameters(const QJsonArray &list, const QString &where)
    {
        std::vector<Schema::Field> parameters;
        parameters.reserve(std::size_t(list.size()));
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString at = elementPath(where, i);
            if (!list.at(i).isObject())
                fail(at, QStringLiteral("must be an object, not %1").arg(describeJson(list.at(i))));
            const QJsonObject object = list.at(i).toObject();
            const QJsonValue name = required(object, "name", at);
            if (!name.isString() || !validName(name.toString()))
                fail(at,
                    QStringLiteral("\"name\" must be a valid Avro name, not %1")
                        .arg(quotedJson(name)));
            for (const Schema::Field &other : parameters) {
                if (other.name == name.toString())
                    fail(at, QStringLiteral("parameter %1 is listed twice").arg(quotedJson(name)));
            }
            Schema::Field parameter;
            parameter.name = name.toString();
            parameter.schema = &parse(
                required(object, "type", at), memberPath(at, QStringLiteral("type")), QString(), 1);
            const QJsonValue defaultValue = object.value(QLatin1String("default"));
            if (!defaultValue.isUndefined())
                parameter.defaultValue = convertDefault(*parameter.schema, defaultValue, at, 0);
            parameters.push_back(std::move(parameter));
        }
        return parameters;
    }

    // A JSON default as the value the codec takes (Avro spec, "field default values").
    QVariant convertDefault(
        const Schema &schema, const QJsonValue &json, const QString &where, int depth)
    {
        auto mismatch = [&]() -> QVariant {
            fail(where,
                QStringLiteral("default %1 does not fit %2")
                    .arg(quotedJson(json), schema.describe()));
        };
        if (depth > kMaxSchemaDepth)
            fail(where, QStringLiteral("default nested deeper than %1").arg(kMaxSchemaDepth));
        switch (schema.type) {
        case Schema::Type::Null:
            return json.isNull() ? QVariant() : mismatch();
        case Schema::Type::Boolean:
            return json.isBool() ? QVariant(json.toBool()) : mismatch();
        case Schema::Type::Int:
        case Schema::Type::Long: {
            const double d = json.toDouble();
            if (!json.isDouble() || d != std::floor(d) || std::abs(d) > 9.2e18)
                return mismatch();
            if (schema.type == Schema::Type::Int && (d < INT32_MIN || d > INT32_MAX))
                return mismatch();
            return QVariant(qint64(d));
        }
        case Schema::Type::Float:
        case Schema::Type::Double:
            return json.isDouble() ? QVariant(json.toDouble()) : mismatch();
        case Schema::Type::String:
            return json.isString() ? QVariant(json.toString()) : mismatch();
        case Schema::Type::Enum:
            return json.isString() && schema.symbols.contains(json.toString())
                ? QVariant(json.toString())
                : mismatch();
        case Schema::Type::Bytes:
        case Schema::Type::Fixed: {
            if (!json.isString())
                return mismatch();
            const QString text = json.toString();
            QByteArray bytes(text.size(), Qt::Uninitialized);
            for (qsizetype i = 0; i < text.size(); ++i) {
                if (text.at(i).unicode() > 0xff)
                    return mismatch();
                bytes[i] = char(text.at(i).unicode());
            }
            if (schema.type == Schema::Type::Fixed && bytes.size() != schema.size)
                return mismatch();
            return bytes;
        }
        case Schema::Type::Array: {
            if (!json.isArray())
                return mismatch();
            QVariantList list;
            for (const QJsonValue &item : json.toArray())
                list << convertDefault(*schema.items, item, where, depth + 1);
            return list;
        }
        case Schema::Type::Map: {
            if (!json.isObject())
                return mismatch();
            QVariantMap map;
            const QJsonObject object = json.toObject();
            for (auto it = object.begin(); it != object.end(); ++it)
                map.insert(it.key(), convertDefault(*schema.values, it.value(), where, depth + 1));
            return map;
        }
        case Schema::Type::Union:
            // Avro: a union's default is of its first branch.
            return convertDefault(*schema.branches.front(), json, where, depth + 1);
        case Schema::Type::Record: {
            if (!json.isObject())
                return mismatch();
            const QJsonObject object = json.toObject();
            QVariantMap map;
            for (const Schema::Field &field : schema.fields) {
                const QJsonValue value = object.value(field.name);
                if (!value.isUndefined())
                    map.insert(field.name, convertDefault(*field.schema, value, where, depth + 1));
                else if (field.defaultValue)
                    map.insert(field.name, *field.defaultValue);
                else
                    return mismatch();
            }
            return map;
        }
        }
        return mismatch();
    }
};

SchemaSet::SchemaSet() = default;
SchemaSet::~SchemaSet() = default;
SchemaSet::SchemaSet(SchemaSet &&) noexcept = default;
SchemaSet &SchemaSet::operator=(SchemaSet &&) noexcept = default;

const Schema &SchemaSet::parse(const QJsonValue &json, const QString &where)
{
    Parser parser(*this);
    try {
        return parser.parse(json, where, QString(), 0);
    } catch (...) {
        parser.rollback();
        throw;
    }
}

std::vector<Schema::Field> SchemaSet::parseParameters(
    const QJsonArray &parameters, const QString &where)
{
    Parser parser(*this);
    try {
        return parser.parseParameters(parameters, where);
    } catch (...) {
        parser.rollback();
        throw;
    }
}

void SchemaSet::parseTypes(const QJsonValue &types, const QString &where)
{
    if (types.isUndefined() || types.isNull())
        return;
    if (!types.isArray())
        fail(where, QStringLiteral("must be an array of named types"));
    const QJsonArray array = types.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = QStringLiteral("%1[%2]").arg(where).arg(i);
        const Schema &type = parse(array.at(i), at);
        if (!type.isNamed())
            fail(at, QStringLiteral("must be a named type (record, enum or fixed)"));
    }
}

const Schema *SchemaSet::find(const QString &name) const
{
    return m_names.value(name);
}

const Schema &SchemaSet::primitive(Schema::Type type)
{
    static const std::array<Schema, kPrimitives.size()> nodes = [] {
        std::array<Schema, kPrimitives.size()> result;
        for (std::size_t i = 0; i < kPrimitives.size(); ++i) {
            result[i].type = kPrimitives[i].type;
            result[i].minSize = kPrimitives[i].minSize;
        }
        return result;
    }();
    const auto index = std::size_t(type);
    Q_ASSERT(index < nodes.size());
    return nodes[index];
}

} // namespace Benchtop::Yaq
