// SPDX-License-Identifier: MIT
#include "tablechecker_p.h"

#include <device/diagnostics.h>

#include <algorithm>

namespace Benchtop {

QPair<int, int> tablePositionOf(
    const TablePositions &positions, QString path, QPair<int, int> fallback)
{
    while (true) {
        const auto it = positions.constFind(path);
        if (it != positions.cend() && it->first > 0)
            return *it;
        const qsizetype cut
            = std::max(path.lastIndexOf(QLatin1Char('.')), path.lastIndexOf(QLatin1Char('[')));
        if (cut <= 0)
            return fallback;
        path.truncate(cut);
    }
}

QString keyLabel(const QString &path)
{
    return QStringLiteral("key ") + quoted(path);
}

TableChecker::TableChecker(const QString &file, const QString &device,
    const TablePositions &positions, QPair<int, int> tablePosition)
    : m_file(file)
    , m_device(device)
    , m_positions(positions)
    , m_tablePosition(tablePosition)
{
}

void TableChecker::error(
    const QString &key, const QString &path, const QString &message, LabError::Severity severity)
{
    const QPair<int, int> at = tablePositionOf(m_positions, path, m_tablePosition);
    m_errors.append({m_file, at.first, at.second, message, m_device, key, severity});
}

void TableChecker::errorAtTable(const QString &key, const QString &message)
{
    m_errors.append({m_file, m_tablePosition.first, m_tablePosition.second, message, m_device, key,
        LabError::Severity::Error});
}

void TableChecker::unknownKey(
    const QString &key, const QStringList &known, const QString &otherwise)
{
    const QString suggestion = didYouMean(key, known);
    error(key, key,
        QStringLiteral("unknown key ") + quoted(key)
            + (suggestion.isEmpty() ? otherwise : suggestion));
}

std::optional<QVariant> TableChecker::value(
    const ConfigField &field, const QString &key, const QVariant &v)
{
    const FieldCheck check = field.check(v);
    for (const FieldProblem &problem : check.problems)
        error(key, key + problem.path,
            keyLabel(key + problem.path) + QLatin1Char(' ') + problem.what);
    if (!check.ok())
        return std::nullopt;
    return check.value;
}

bool TableChecker::failed() const
{
    return std::any_of(
        m_errors.cbegin(), m_errors.cend(), [](const LabError &error) { return error.isError(); });
}

} // namespace Benchtop
