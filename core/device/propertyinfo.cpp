// SPDX-License-Identifier: MIT
#include "propertyinfo.h"

#include <array>
#include <utility>

namespace Benchtop {

namespace {
constexpr std::array<std::pair<ValueType, const char *>, 10> kTypeNames{{
    {ValueType::Bool, "bool"},
    {ValueType::Int, "int"},
    {ValueType::Double, "double"},
    {ValueType::String, "string"},
    {ValueType::StringList, "array<string>"},
    {ValueType::DoubleList, "array<double>"},
    {ValueType::StringMap, "map<string>"},
    {ValueType::DoubleMap, "map<double>"},
    {ValueType::Map, "map"},
    {ValueType::Bindings, "bindings"},
}};
} // namespace

QString toString(ValueType type)
{
    for (const auto &[value, name] : kTypeNames) {
        if (value == type)
            return QLatin1String(name);
    }
    return {};
}

std::optional<ValueType> valueTypeFromString(const QString &text)
{
    for (const auto &[value, name] : kTypeNames) {
        if (text == QLatin1String(name))
            return value;
    }
    return std::nullopt;
}

QString toString(ControlKind kind)
{
    switch (kind) {
    case ControlKind::Hinted:
        return QStringLiteral("hinted");
    case ControlKind::Normal:
        return QStringLiteral("normal");
    case ControlKind::Omitted:
        return QStringLiteral("omitted");
    }
    return {};
}

QVariant valueAt(const QVariantMap &values, const QString &stateKey)
{
    const qsizetype slash = stateKey.indexOf(QLatin1Char('/'));
    if (slash < 0)
        return values.value(stateKey);
    return values.value(stateKey.left(slash)).toMap().value(stateKey.mid(slash + 1));
}

} // namespace Benchtop
