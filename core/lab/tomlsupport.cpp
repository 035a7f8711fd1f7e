// SPDX-License-Identifier: MIT
#include "tomlsupport_p.h"

#include <QVariantList>
#include <QVariantMap>

#include <string_view>

namespace Benchtop::TomlSupport {

namespace {
SyntaxError toSyntaxError(const toml::parse_error &error)
{
    const toml::source_position begin = error.source().begin;
    const std::string_view description = error.description();
    QString message
        = QString::fromUtf8(description.data(), static_cast<qsizetype>(description.size()));
    // toml++ says "invalid utf-8 sequence" for a UTF-16 file or binary data alike: say what
    // it must be.
    if (message.contains(QLatin1String("utf-8"), Qt::CaseInsensitive))
        message += QLatin1String(" (a TOML file must be UTF-8 text)");
    // toml++ quotes the character it saw as it is, a newline included: an error stays one line.
    QString oneLine;
    for (const QChar c : std::as_const(message)) {
        if (c == QLatin1Char('\n'))
            oneLine += QLatin1String("\\n");
        else if (c == QLatin1Char('\r'))
            oneLine += QLatin1String("\\r");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            oneLine += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            oneLine += c;
    }
    message = oneLine;
    return {static_cast<int>(begin.line), static_cast<int>(begin.column), message};
}

QString fromStdString(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}
} // namespace

std::optional<toml::table> parse(const QByteArray &text, SyntaxError *error)
{
    const std::string_view document(text.constData(), static_cast<size_t>(text.size()));
#if TOML_EXCEPTIONS
    // Debian's libtomlplusplus is built with exceptions (only the toml::ex ABI is exported), so
    // this is the branch in use; the error must not cross our API.
    try {
        return toml::parse(document, std::string_view());
    } catch (const toml::parse_error &e) {
        *error = toSyntaxError(e);
        return std::nullopt;
    }
#else
    toml::parse_result result = toml::parse(document, std::string_view());
    if (!result) {
        *error = toSyntaxError(result.error());
        return std::nullopt;
    }
    return std::move(result).table();
#endif
}

QVariant toVariant(const toml::node &node, const QString &path, const NodeVisitor &visit,
    const NodeVisitor &unsupported)
{
    if (visit)
        visit(path, node);
    switch (node.type()) {
    case toml::node_type::integer:
        return QVariant::fromValue(static_cast<qlonglong>(node.as_integer()->get()));
    case toml::node_type::floating_point:
        return QVariant::fromValue(node.as_floating_point()->get());
    case toml::node_type::boolean:
        return QVariant::fromValue(node.as_boolean()->get());
    case toml::node_type::string:
        return QVariant::fromValue(fromStdString(node.as_string()->get()));
    case toml::node_type::array: {
        const toml::array &array = *node.as_array();
        QVariantList list;
        list.reserve(static_cast<qsizetype>(array.size()));
        bool valid = true;
        for (size_t i = 0; i < array.size(); ++i) {
            const QString elementPath
                = path + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
            QVariant element = toVariant(array[i], elementPath, visit, unsupported);
            // Keep converting after a failure, so that every unsupported value is reported.
            valid = valid && element.isValid();
            list.append(std::move(element));
        }
        return valid ? QVariant::fromValue(list) : QVariant();
    }
    case toml::node_type::table: {
        QVariantMap map;
        bool valid = true;
        for (const auto &[key, value] : *node.as_table()) {
            const QString name = fromStdString(key.str());
            const QVariant converted = toVariant(
                value, path.isEmpty() ? name : path + QLatin1Char('.') + name, visit, unsupported);
            valid = valid && converted.isValid();
            map.insert(name, converted);
        }
        return valid ? QVariant::fromValue(map) : QVariant();
    }
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
    case toml::node_type::none:
        break;
    }
    if (unsupported)
        unsupported(path, node);
    return {};
}

QString describe(const toml::node &node)
{
    switch (node.type()) {
    case toml::node_type::integer:
        return QStringLiteral("an integer");
    case toml::node_type::floating_point:
        return QStringLiteral("a float");
    case toml::node_type::boolean:
        return QStringLiteral("a boolean");
    case toml::node_type::string:
        return QStringLiteral("a string");
    case toml::node_type::array:
        return QStringLiteral("an array");
    case toml::node_type::table:
        return QStringLiteral("a table");
    case toml::node_type::date:
        return QStringLiteral("a date");
    case toml::node_type::time:
        return QStringLiteral("a time");
    case toml::node_type::date_time:
        return QStringLiteral("a date-time");
    case toml::node_type::none:
        break;
    }
    return QStringLiteral("nothing");
}

} // namespace Benchtop::TomlSupport
