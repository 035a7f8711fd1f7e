// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <deque>
#include <optional>
#include <vector>

namespace Benchtop::Yaq {

/// One parsed Avro schema node. Nodes are owned by a SchemaSet and point at each other (a
/// named type may refer to itself), so a Schema is valid as long as its set lives. Read-only
/// once parsed; safe to share between threads.
struct Schema {
    enum class Type : quint8 {
        Null,
        Boolean,
        Int,
        Long,
        Float,
        Double,
        String,
        Bytes,
        Array,
        Map,
        Union,
        Record,
        Enum,
        Fixed,
    };
    struct Field {
        QString name;
        const Schema *schema = nullptr;
        /// The field's JSON default, converted by its schema (bytes and fixed from the JSON
        /// string's code points, as Avro says); used when a record is encoded without it.
        std::optional<QVariant> defaultValue;
    };

    Type type = Type::Null;
    /// The full name of a named type (record, enum, fixed); empty otherwise.
    QString name;
    const Schema *items = nullptr; ///< array
    const Schema *values = nullptr; ///< map
    std::vector<const Schema *> branches; ///< union
    std::vector<Field> fields; ///< record
    QStringList symbols; ///< enum
    qsizetype size = 0; ///< fixed
    /// The fewest bytes a value of this schema takes (0 for null): lets a decoder say "need
    /// more" without trying, and bounds item counts by the bytes that are left.
    qsizetype minSize = 0;

    bool isNamed() const { return type >= Type::Record; }
    /// A short description for messages: "int", "array<double>", "union [null, string]",
    /// "record ndarray", "fixed MD5 (16)".
    QString describe() const;
    static const char *typeName(Type type);
};

/// Owns parsed schemas and resolves the named types among them (records, enums, fixed), as an
/// Avro protocol's `types` list declares them. Names must be declared before they are used, as
/// in Avro; a record may refer to itself. Not copyable (nodes point into it), movable.
class SchemaSet {
public:
    SchemaSet();
    ~SchemaSet();
    SchemaSet(const SchemaSet &) = delete;
    SchemaSet &operator=(const SchemaSet &) = delete;
    SchemaSet(SchemaSet &&) noexcept;
    SchemaSet &operator=(SchemaSet &&) noexcept;

    /// Parses one schema (a primitive name, a reference to a named type, an object, or a union
    /// as a JSON array); named types it defines become visible to later parses. `where` names
    /// the JSON value in error messages. Throws SchemaError naming what was wrong and where;
    /// the set keeps what it had parsed before the call.
    const Schema &parse(const QJsonValue &json, const QString &where = QStringLiteral("schema"));

    /// Parses the parameters of a message's `request` (an Avro protocol lists them in the form
    /// of a record's fields: {"name", "type", "default"?}), in order. `where` names the list in
    /// error messages (a parameter is `where[i]`, its type `where[i].type`). Throws SchemaError
    /// as parse() does.
    std::vector<Schema::Field> parseParameters(const QJsonArray &parameters, const QString &where);

    /// Parses a protocol's `types` list, each a named type, in order.
    void parseTypes(const QJsonValue &types, const QString &where = QStringLiteral("types"));

    /// The named type `name` (full name, or the short name when it is unambiguous), or nullptr.
    const Schema *find(const QString &name) const;

    /// The shared node of a primitive type (Null … Bytes); valid for the program's life.
    static const Schema &primitive(Schema::Type type);

private:
    struct Parser;
    std::deque<Schema> m_nodes; // a deque: nodes never move as it grows
    QHash<QString, const Schema *> m_names;
};

} // namespace Benchtop::Yaq
