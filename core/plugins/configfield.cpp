// SPDX-License-Identifier: MIT
#include "configfield.h"

#include <device/diagnostics.h>

#include <QVariantMap>

#include <cmath>
#include <limits>

namespace Benchtop {

namespace {

/// JSON numbers are doubles; an integer must be exact (2^53) to survive the round trip.
constexpr double kLargestExactInteger = 9007199254740992.0;

bool isInteger(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
        return true;
    case QMetaType::ULongLong:
        return value.toULongLong()
            <= static_cast<qulonglong>(std::numeric_limits<qlonglong>::max());
    default:
        return false;
    }
}

bool isNumber(const QVariant &value)
{
    return isInteger(value) || value.typeId() == QMetaType::Double
        || value.typeId() == QMetaType::Float;
}

bool isWholeJsonNumber(const QVariant &value)
{
    if (value.typeId() != QMetaType::Double)
        return false;
    const double x = value.toDouble();
    return std::isfinite(x) && std::floor(x) == x && std::fabs(x) <= kLargestExactInteger;
}

bool isMap(const QVariant &value)
{
    return value.typeId() == QMetaType::QVariantMap || value.typeId() == QMetaType::QVariantHash;
}

bool isList(const QVariant &value)
{
    return value.typeId() == QMetaType::QVariantList || value.typeId() == QMetaType::QStringList;
}

/// Checks one value of a field, collecting problems.
class Checker {
public:
    Checker(const ConfigField &field, ConfigField::Source source)
        : m_field(field)
        , m_source(source)
    {
    }

    FieldCheck run(const QVariant &value)
    {
        FieldCheck result;
        std::optional<QVariant> converted = convert(value);
        result.problems = std::move(m_problems);
        if (converted && result.problems.isEmpty())
            result.value = std::move(*converted);
        return result;
    }

private:
    void problem(const QString &path, const QString &what) { m_problems.append({path, what}); }

    void wrongType(const QString &path, ValueType type, const QVariant &value)
    {
        problem(path,
            QStringLiteral("must be %1, not %2")
                .arg(ConfigField::expected(type), describeValue(value)));
    }

    bool inLimits(double x, const QString &path)
    {
        const QString units
            = m_field.units.isEmpty() ? QString() : QLatin1Char(' ') + m_field.units;
        // Written so that NaN fails both comparisons.
        if (m_field.minimum && !(x >= *m_field.minimum)) {
            problem(path,
                QStringLiteral("must be at least %1%2, not %3")
                    .arg(formatNumber(*m_field.minimum), units, formatNumber(x)));
            return false;
        }
        if (m_field.maximum && !(x <= *m_field.maximum)) {
            problem(path,
                QStringLiteral("must be at most %1%2, not %3")
                    .arg(formatNumber(*m_field.maximum), units, formatNumber(x)));
            return false;
        }
        return true;
    }

    std::optional<double> number(const QVariant &value, const QString &path)
    {
        if (!isNumber(value)) {
            wrongType(path, ValueType::Double, value);
            return std::nullopt;
        }
        const double x = value.toDouble();
        if (!inLimits(x, path))
            return std::nullopt;
        return x;
    }

    std::optional<QString> string(const QVariant &value, const QString &path)
    {
        if (value.typeId() != QMetaType::QString) {
            wrongType(path, ValueType::String, value);
            return std::nullopt;
        }
        const QString text = value.toString();
        if (!m_field.options.isEmpty() && !m_field.options.contains(text)) {
            problem(path,
                QStringLiteral("must be one of %1, not %2")
                    .arg(quotedList(m_field.options), quoted(text)));
            return std::nullopt;
        }
        return text;
    }

    /// `device.message`: a binding's form (which devices and messages exist is the lab's).
    std::optional<QString> binding(const QVariant &value, const QString &path)
    {
        const QString target = value.toString();
        const qsizetype dot = target.indexOf(QLatin1Char('.'));
        if (value.typeId() != QMetaType::QString || dot <= 0 || dot == target.size() - 1) {
            problem(path,
                QStringLiteral("must be \"device.message\", not %1")
                    .arg(value.typeId() == QMetaType::QString ? quoted(target)
                                                              : describeValue(value)));
            return std::nullopt;
        }
        return target;
    }

    /// [lower, upper]: two numbers, lower ≤ upper (NaN in either is refused); or [] when that is
    /// the field's default ("no range").
    bool isRange(const QVariantList &numbers)
    {
        const bool noneAllowed
            = m_field.defaultValue.isValid() && m_field.defaultValue.toList().isEmpty();
        if (numbers.isEmpty() && noneAllowed)
            return true;
        if (numbers.size() != 2) {
            problem({},
                QStringLiteral("must be [lower, upper]%1, not %2 numbers")
                    .arg(noneAllowed ? QStringLiteral(" or []") : QString())
                    .arg(numbers.size()));
            return false;
        }
        const double lower = numbers[0].toDouble();
        const double upper = numbers[1].toDouble();
        if (!(lower <= upper)) {
            problem({},
                QStringLiteral("is [%1, %2]: the lower end is above the upper")
                    .arg(formatNumber(lower), formatNumber(upper)));
            return false;
        }
        return true;
    }

    std::optional<QVariant> convert(const QVariant &value)
    {
        switch (m_field.type) {
        case ValueType::Bool:
            if (value.typeId() != QMetaType::Bool) {
                wrongType({}, m_field.type, value);
                return std::nullopt;
            }
            return value;
        case ValueType::Int: {
            const bool whole = m_source == ConfigField::Source::Json && isWholeJsonNumber(value);
            if (!isInteger(value) && !whole) {
                wrongType({}, m_field.type, value);
                return std::nullopt;
            }
            if (!inLimits(value.toDouble(), {}))
                return std::nullopt;
            return QVariant::fromValue(
                whole ? static_cast<qlonglong>(value.toDouble()) : value.toLongLong());
        }
        case ValueType::Double:
            if (const std::optional<double> x = number(value, {}))
                return *x;
            return std::nullopt;
        case ValueType::String:
            if (const std::optional<QString> text = string(value, {}))
                return *text;
            return std::nullopt;
        case ValueType::StringList:
        case ValueType::DoubleList: {
            if (!isList(value)) {
                wrongType({}, m_field.type, value);
                return std::nullopt;
            }
            const QVariantList list = value.toList();
            QStringList strings;
            QVariantList numbers;
            bool ok = true;
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QString path = QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
                if (m_field.type == ValueType::StringList) {
                    if (const std::optional<QString> text = string(list[i], path))
                        strings << *text;
                    else
                        ok = false;
                } else if (const std::optional<double> x = number(list[i], path)) {
                    numbers << *x;
                } else {
                    ok = false;
                }
            }
            if (!ok)
                return std::nullopt;
            if (m_field.type == ValueType::StringList)
                return QVariant::fromValue(strings);
            if (m_field.range && !isRange(numbers))
                return std::nullopt;
            return QVariant::fromValue(numbers);
        }
        case ValueType::StringMap:
        case ValueType::DoubleMap:
        case ValueType::Bindings: {
            if (!isMap(value)) {
                wrongType({}, m_field.type, value);
                return std::nullopt;
            }
            const QVariantMap map = value.toMap();
            QVariantMap result;
            bool ok = true;
            for (auto it = map.cbegin(); it != map.cend(); ++it) {
                const QString path = QLatin1Char('.') + it.key();
                std::optional<QVariant> entry;
                if (m_field.type == ValueType::StringMap) {
                    if (const std::optional<QString> text = string(it.value(), path))
                        entry = *text;
                } else if (m_field.type == ValueType::Bindings) {
                    if (const std::optional<QString> target = binding(it.value(), path))
                        entry = *target;
                } else if (const std::optional<double> x = number(it.value(), path)) {
                    entry = *x;
                }
                if (entry)
                    result.insert(it.key(), *entry);
                else
                    ok = false;
            }
            if (!ok)
                return std::nullopt;
            return QVariant::fromValue(result);
        }
        case ValueType::Map:
            if (!isMap(value)) {
                wrongType({}, m_field.type, value);
                return std::nullopt;
            }
            return QVariant::fromValue(value.toMap());
        }
        return std::nullopt;
    }

    const ConfigField &m_field;
    ConfigField::Source m_source;
    QList<FieldProblem> m_problems;
};

} // namespace

FieldCheck ConfigField::check(const QVariant &value, Source source) const
{
    return Checker(*this, source).run(value);
}

QString ConfigField::expected(ValueType type)
{
    switch (type) {
    case ValueType::Bool:
        return QStringLiteral("a boolean (true or false)");
    case ValueType::Int:
        return QStringLiteral("an integer");
    case ValueType::Double:
        return QStringLiteral("a number");
    case ValueType::String:
        return QStringLiteral("a string");
    case ValueType::StringList:
        return QStringLiteral("an array of strings");
    case ValueType::DoubleList:
        return QStringLiteral("an array of numbers");
    case ValueType::StringMap:
        return QStringLiteral("a table of strings");
    case ValueType::DoubleMap:
        return QStringLiteral("a table of numbers");
    case ValueType::Map:
        return QStringLiteral("a table");
    case ValueType::Bindings:
        return QStringLiteral("a table of bindings (input line = \"device.message\")");
    }
    return {};
}

} // namespace Benchtop
