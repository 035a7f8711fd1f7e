// SPDX-License-Identifier: MIT
#include "addresstext.h"

#include <QLocale>

namespace Benchtop::Modbus {

namespace {
QString span(const QString &singular, const QString &plural, int start, int count)
{
    if (count == 1)
        return QStringLiteral("%1 %2").arg(singular).arg(start);
    return QStringLiteral("%1 %2 to %3").arg(plural).arg(start).arg(start + count - 1);
}
} // namespace

QString registers(Table table, int start, int count)
{
    return table == Table::Input
        ? span(QStringLiteral("input register"), QStringLiteral("input registers"), start, count)
        : span(
            QStringLiteral("holding register"), QStringLiteral("holding registers"), start, count);
}

QString bits(BitTable table, int start, int count)
{
    return table == BitTable::Coils
        ? span(QStringLiteral("coil"), QStringLiteral("coils"), start, count)
        : span(QStringLiteral("discrete input"), QStringLiteral("discrete inputs"), start, count);
}

QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString quotedNames(const QStringList &names)
{
    QStringList quoted;
    for (const QString &name : names)
        quoted << QLatin1Char('"') + name + QLatin1Char('"');
    return quoted.join(QStringLiteral(", "));
}

} // namespace Benchtop::Modbus
