// SPDX-License-Identifier: MIT
#include "driverinfo.h"

#include "driverfactory.h"

#include <device/diagnostics.h>
#include <device/traits.h>

#include <QJsonArray>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <initializer_list>

namespace Benchtop {

namespace {

// Parsing stops at the first problem: one clear line is worth more than a cascade.
struct MetadataError {
    QString message;
};

[[noreturn]] void fail(const QString &where, const QString &what)
{
    throw MetadataError{where + what};
}

// Kinds and field names appear in lab files, messages and the yaq protocol: keep them plain.
bool isPlainName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    return pattern.match(name).hasMatch();
}

// JSON numbers are doubles; an integer must be exact (2^53) to survive the round trip.
bool isInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    return std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= 9007199254740992.0;
}

void checkKeys(
    const QJsonObject &object, std::initializer_list<const char *> known, const QString &where)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool found = false;
        for (const char *key : known)
            found = found || it.key() == QLatin1String(key);
        if (!found) {
            QStringList names;
            for (const char *key : known)
                names << QLatin1String(key);
            fail(where,
                QStringLiteral("unknown key %1 (known: %2)")
                    .arg(quoted(it.key()), names.join(QLatin1String(", "))));
        }
    }
}

// A string member: absent gives `fallback` unless required; present must be a string.
QString stringMember(const QJsonObject &object, const char *key, const QString &where,
    bool required, bool nonEmpty = false)
{
    const QString name = quoted(QLatin1String(key));
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined()) {
        if (required)
            fail(where, name + QLatin1String(" is missing"));
        return {};
    }
    if (!value.isString() || (nonEmpty && value.toString().isEmpty()))
        fail(where,
            name
                + (nonEmpty ? QLatin1String(" must be a non-empty string")
                            : QLatin1String(" must be a string")));
    return value.toString();
}

bool isNumeric(ValueType type)
{
    return type == ValueType::Int || type == ValueType::Double || type == ValueType::DoubleList
        || type == ValueType::DoubleMap;
}

std::optional<double> numberMember(
    const QJsonObject &object, const char *key, ValueType type, const QString &where)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        return std::nullopt;
    if (!isNumeric(type)) {
        fail(where,
            QStringLiteral("%1 applies only to numbers (int, double, array<double>, "
                           "map<double>), not to %2")
                .arg(quoted(QLatin1String(key)), toString(type)));
    }
    if (!value.isDouble())
        fail(where, QStringLiteral("%1 must be a number").arg(quoted(QLatin1String(key))));
    return value.toDouble();
}

// The default as the QVariant a lab value of that type becomes (ConfigField::check, the same
// check as a lab value's): bool, qlonglong, double, QString, or a QVariantList / QVariantMap of
// those. A JSON number is a double; a whole one is an integer too.
QVariant convertDefault(const QJsonValue &value, const ConfigField &field, const QString &where)
{
    // An empty array is a range's way of saying "none" only when it is the default, as it is
    // being made.
    ConfigField withDefault = field;
    withDefault.defaultValue = value.toVariant();
    const FieldCheck check = withDefault.check(withDefault.defaultValue, ConfigField::Source::Json);
    if (!check.ok()) {
        const FieldProblem &problem = check.problems.first();
        fail(where, QStringLiteral("default%1 %2").arg(problem.path, problem.what));
    }
    return check.value;
}

ConfigField parseField(const QJsonObject &object, QString where)
{
    ConfigField field;
    field.name = stringMember(object, "name", where, true, true);
    if (!isPlainName(field.name)) {
        fail(where,
            QStringLiteral("\"name\" %1 must be letters, digits, '-', '_' or '.'")
                .arg(quoted(field.name)));
    }
    where.chop(2); // "config[2]: " -> "config[2] ("speed"): "
    where += QStringLiteral(" (%1): ").arg(quoted(field.name));
    checkKeys(object,
        {"name", "type", "default", "min", "max", "options", "range", "units", "help", "group",
            "when"},
        where);

    const QString typeName = stringMember(object, "type", where, true);
    const std::optional<ValueType> type = valueTypeFromString(typeName);
    if (!type) {
        QStringList known;
        for (ValueType t : {ValueType::Bool, ValueType::Int, ValueType::Double, ValueType::String,
                 ValueType::StringList, ValueType::DoubleList, ValueType::StringMap,
                 ValueType::DoubleMap, ValueType::Map, ValueType::Bindings})
            known << toString(t);
        fail(where,
            QStringLiteral("unknown type %1 (known: %2)")
                .arg(quoted(typeName), known.join(QLatin1String(", "))));
    }
    field.type = *type;
    field.units = stringMember(object, "units", where, false);
    field.help = stringMember(object, "help", where, false);
    if (object.contains(QLatin1String("group")))
        field.group = stringMember(object, "group", where, false, true);
    const QJsonValue when = object.value(QLatin1String("when"));
    if (!when.isUndefined()) {
        const QString must
            = QStringLiteral("\"when\" must be an object of one key and the string it must hold");
        if (!when.isObject() || when.toObject().size() != 1 || !when.toObject().begin()->isString())
            fail(where, must);
        field.whenKey = when.toObject().begin().key();
        field.whenValue = when.toObject().begin()->toString();
    }

    field.minimum = numberMember(object, "min", field.type, where);
    field.maximum = numberMember(object, "max", field.type, where);
    if (field.minimum && field.maximum && *field.minimum > *field.maximum) {
        fail(where,
            QStringLiteral("\"min\" (%1) is greater than \"max\" (%2)")
                .arg(formatNumber(*field.minimum), formatNumber(*field.maximum)));
    }

    const QJsonValue options = object.value(QLatin1String("options"));
    if (!options.isUndefined()) {
        if (field.type != ValueType::String) {
            fail(where,
                QStringLiteral("\"options\" applies only to type string, not to %1")
                    .arg(toString(field.type)));
        }
        const QString must = QStringLiteral("\"options\" must be a non-empty array of strings");
        if (!options.isArray() || options.toArray().isEmpty())
            fail(where, must);
        const QJsonArray list = options.toArray();
        for (const auto &option : list) {
            if (!option.isString())
                fail(where, must);
            if (field.options.contains(option.toString()))
                fail(where,
                    QStringLiteral("option %1 is listed twice").arg(quoted(option.toString())));
            field.options << option.toString();
        }
    }

    const QJsonValue range = object.value(QLatin1String("range"));
    if (!range.isUndefined()) {
        if (!range.isBool())
            fail(where, QStringLiteral("\"range\" must be true or false"));
        if (range.toBool() && field.type != ValueType::DoubleList) {
            fail(where,
                QStringLiteral("\"range\" applies only to type array<double>, not to %1")
                    .arg(toString(field.type)));
        }
        field.range = range.toBool();
    }

    const QJsonValue defaultValue = object.value(QLatin1String("default"));
    if (!defaultValue.isUndefined())
        field.defaultValue = convertDefault(defaultValue, field, where);
    return field;
}

DriverInfo parseDriver(const QJsonObject &object, QString where)
{
    DriverInfo driver;
    const QJsonValue kind = object.value(QLatin1String("kind"));
    if (kind.isUndefined())
        fail(where, QStringLiteral("\"kind\" is missing"));
    if (!kind.isString() || !isPlainName(kind.toString())) {
        fail(where, QStringLiteral("\"kind\" must be a name of letters, digits, '-', '_' or '.'"));
    }
    driver.kind = kind.toString();
    where.chop(2);
    where += QStringLiteral(" (%1): ").arg(quoted(driver.kind));
    checkKeys(object, {"kind", "description", "traits", "config"}, where);
    driver.description = stringMember(object, "description", where, false);

    // Stored in knownTraits() order, is-daemon first: the order Device::traits() reports.
    QStringList declared{QLatin1String(Trait::IsDaemon)};
    const QJsonValue traits = object.value(QLatin1String("traits"));
    if (!traits.isUndefined()) {
        if (!traits.isArray())
            fail(where, QStringLiteral("\"traits\" must be an array of trait names"));
        const QStringList known = knownTraits();
        QSet<QString> seen;
        const QJsonArray list = traits.toArray();
        for (const auto &trait : list) {
            if (!trait.isString())
                fail(where, QStringLiteral("\"traits\" must be an array of trait names"));
            const QString name = trait.toString();
            if (!known.contains(name)) {
                fail(where,
                    QStringLiteral("unknown trait %1 (known: %2)")
                        .arg(quoted(name), known.join(QLatin1String(", "))));
            }
            if (seen.contains(name))
                fail(where, QStringLiteral("trait %1 is listed twice").arg(quoted(name)));
            seen.insert(name);
            declared << name;
        }
        for (const QString &name : known) {
            if (declared.contains(name))
                driver.traits << name;
        }
    } else {
        driver.traits = declared;
    }

    const QJsonValue config = object.value(QLatin1String("config"));
    if (!config.isUndefined()) {
        if (!config.isArray())
            fail(where, QStringLiteral("\"config\" must be an array of fields"));
        const QJsonArray fields = config.toArray();
        for (qsizetype i = 0; i < fields.size(); ++i) {
            const QString at = where + QStringLiteral("config[%1]").arg(i);
            if (!fields.at(i).isObject())
                fail(at, QStringLiteral(" must be an object"));
            ConfigField field = parseField(fields.at(i).toObject(), at + QLatin1String(": "));
            const QString fieldWhere = QStringLiteral("%1 (%2): ").arg(at, quoted(field.name));
            if (field.name == QLatin1String("driver")) {
                fail(fieldWhere,
                    QStringLiteral("\"driver\" is reserved (a lab table's \"driver\" names the "
                                   "driver kind)"));
            }
            if (field.name == QLatin1String("port")) {
                fail(fieldWhere,
                    QStringLiteral("\"port\" is reserved (a lab table's \"port\" is the port "
                                   "benchtopd serves the device on; call an instrument's own "
                                   "port \"tcp_port\" or \"serial_port\")"));
            }
            for (qsizetype j = 0; j < driver.config.size(); ++j) {
                if (driver.config.at(j).name == field.name) {
                    fail(fieldWhere,
                        QStringLiteral("field %1 is declared twice (also config[%2])")
                            .arg(quoted(field.name))
                            .arg(j));
                }
            }
            driver.config << field;
        }
        // A key's "when" names a choice of the same kind and one of its options.
        for (qsizetype i = 0; i < driver.config.size(); ++i) {
            const ConfigField &field = driver.config.at(i);
            if (field.whenKey.isEmpty())
                continue;
            const ConfigField *choice = driver.field(field.whenKey);
            if (!choice || choice->options.isEmpty() || !choice->options.contains(field.whenValue)
                || choice == &field) {
                fail(where + QStringLiteral("config[%1] (%2): ").arg(i).arg(quoted(field.name)),
                    QStringLiteral("\"when\" must name another key of this kind that has "
                                   "options, and one of them, not %1 = %2")
                        .arg(quoted(field.whenKey), quoted(field.whenValue)));
            }
        }
    }
    return driver;
}

PluginInfo parse(const QJsonObject &metaData)
{
    const QString top;
    // The ABI first: a plugin of another ABI may use a format this code does not know, and the
    // useful message is then "rebuild it", not a complaint about some field.
    const QJsonValue abi = metaData.value(QLatin1String("abi"));
    if (abi.isUndefined()) {
        fail(top,
            QStringLiteral("\"abi\" is missing: the metadata must give the plugin ABI it was "
                           "built for (this Benchtop has ABI %1)")
                .arg(kPluginAbi));
    }
    if (!isInteger(abi))
        fail(top,
            QStringLiteral("\"abi\" must be an integer (this Benchtop has ABI %1)")
                .arg(kPluginAbi));
    if (abi.toDouble() != kPluginAbi) {
        fail(top,
            QStringLiteral("plugin ABI %1, but this Benchtop has ABI %2")
                .arg(formatNumber(abi.toDouble()))
                .arg(kPluginAbi));
    }

    PluginInfo info;
    info.abi = kPluginAbi;
    checkKeys(metaData, {"abi", "name", "version", "description", "drivers"}, top);
    info.name = stringMember(metaData, "name", top, true, true);
    info.version = stringMember(metaData, "version", top, true, true);
    info.description = stringMember(metaData, "description", top, false);

    const QJsonValue drivers = metaData.value(QLatin1String("drivers"));
    if (drivers.isUndefined())
        fail(top, QStringLiteral("\"drivers\" is missing (the driver kinds the plugin offers)"));
    if (!drivers.isArray())
        fail(top, QStringLiteral("\"drivers\" must be an array of driver kinds"));
    const QJsonArray array = drivers.toArray();
    if (array.isEmpty())
        fail(top, QStringLiteral("\"drivers\" is empty: a plugin offers at least one driver kind"));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = QStringLiteral("drivers[%1]").arg(i);
        if (!array.at(i).isObject())
            fail(at, QStringLiteral(" must be an object"));
        DriverInfo driver = parseDriver(array.at(i).toObject(), at + QLatin1String(": "));
        for (qsizetype j = 0; j < info.drivers.size(); ++j) {
            if (info.drivers.at(j).kind == driver.kind) {
                fail(QStringLiteral("%1 (%2): ").arg(at, quoted(driver.kind)),
                    QStringLiteral("kind %1 is declared twice (also drivers[%2])")
                        .arg(quoted(driver.kind))
                        .arg(j));
            }
        }
        info.drivers << driver;
    }
    return info;
}

} // namespace

std::optional<PluginInfo> parsePluginMetadata(const QJsonObject &metaData, QString *error)
{
    try {
        PluginInfo info = parse(metaData);
        if (error)
            error->clear();
        return info;
    } catch (const MetadataError &e) {
        if (error)
            *error = e.message;
        return std::nullopt;
    }
}

} // namespace Benchtop
