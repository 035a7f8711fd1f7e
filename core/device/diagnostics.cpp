// SPDX-License-Identifier: MIT
#include "diagnostics.h"

#include <QList>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace Benchtop {

namespace {

/// Longer text is shown by its beginning and its length: a message stays one readable line even
/// for a 5 MB string.
constexpr qsizetype kQuotedMax = 60;
constexpr qsizetype kQuotedHead = 40;
/// What is shown of a text, escapes included, at most: escapes take up to ten characters each.
constexpr qsizetype kShownMax = 100;

void appendEscaped(QString &out, char32_t c)
{
    switch (c) {
    case U'"':
        out += QLatin1String("\\\"");
        return;
    case U'\\':
        out += QLatin1String("\\\\");
        return;
    case U'\n':
        out += QLatin1String("\\n");
        return;
    case U'\r':
        out += QLatin1String("\\r");
        return;
    case U'\t':
        out += QLatin1String("\\t");
        return;
    case U'\0':
        out += QLatin1String("\\0");
        return;
    default:
        break;
    }
    // U+2028 and U+2029 are "printable" to Qt, but end a line where they are shown.
    const QChar::Category category = QChar::category(c);
    const bool breaksLine
        = category == QChar::Separator_Line || category == QChar::Separator_Paragraph;
    if (QChar::isPrint(c) && !breaksLine) {
        out += QString::fromUcs4(&c, 1);
    } else if (c < 0x100) {
        out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    } else if (c < 0x10000) {
        out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
    } else {
        out += QStringLiteral("\\U%1").arg(uint(c), 8, 16, QLatin1Char('0'));
    }
}

} // namespace

QString quoted(QStringView text)
{
    // Not between the two halves of a surrogate pair.
    const qsizetype head = text.size() > kQuotedMax && text.at(kQuotedHead - 1).isHighSurrogate()
        ? kQuotedHead - 1
        : kQuotedHead;
    const QStringView shown = text.size() > kQuotedMax ? text.first(head) : text;
    QString escaped;
    bool cut = shown.size() < text.size();
    for (qsizetype i = 0; i < shown.size(); ++i) {
        const QChar c = shown.at(i);
        QString one;
        if (c.isHighSurrogate() && i + 1 < shown.size() && shown.at(i + 1).isLowSurrogate()) {
            appendEscaped(one, QChar::surrogateToUcs4(c, shown.at(i + 1)));
            ++i;
        } else {
            appendEscaped(one, c.unicode());
        }
        if (escaped.size() + one.size() > kShownMax) {
            cut = true; // control characters, shown as escapes, make it long
            break;
        }
        escaped += one;
    }
    QString result = QLatin1Char('"') + escaped;
    if (cut)
        result += QChar(0x2026); // …
    result += QLatin1Char('"');
    if (cut)
        result += QStringLiteral(" (%1 characters)").arg(text.size());
    return result;
}

QString quotedList(const QStringList &items)
{
    QStringList quotedItems;
    quotedItems.reserve(items.size());
    for (const QString &item : items)
        quotedItems << quoted(item);
    return quotedItems.join(QLatin1String(", "));
}

QString formatNumber(double value)
{
    if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15)
        return QString::number(qlonglong(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString describeValue(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return value.toString();
    case QMetaType::Double:
    case QMetaType::Float: {
        QString text = formatNumber(value.toDouble());
        if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e'))
            && !text.contains(QLatin1Char('n')))
            text += QLatin1String(".0");
        return text;
    }
    case QMetaType::QString:
        return QStringLiteral("a string");
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
        return QStringLiteral("an array");
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
        return QStringLiteral("a table");
    case QMetaType::Nullptr:
    case QMetaType::UnknownType:
        return QStringLiteral("null");
    default:
        return QStringLiteral("a value of type %1").arg(QLatin1String(value.typeName()));
    }
}

int editDistance(const QString &a, const QString &b)
{
    const QString x = a.toCaseFolded();
    const QString y = b.toCaseFolded();
    QList<int> previous(y.size() + 1);
    QList<int> current(y.size() + 1);
    for (qsizetype j = 0; j <= y.size(); ++j)
        previous[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= x.size(); ++i) {
        current[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= y.size(); ++j) {
            const int substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[y.size()];
}

QString closestName(const QString &word, const QStringList &candidates)
{
    constexpr int kMostEdits = 2;
    QString best;
    int bestDistance = kMostEdits + 1;
    for (const QString &candidate : candidates) {
        // The distance is at least the difference in length.
        if (std::abs(word.size() - candidate.size()) > kMostEdits)
            continue;
        const int distance = editDistance(word, candidate);
        if (distance < bestDistance && distance < std::max(word.size(), candidate.size())) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

QString didYouMean(const QString &word, const QStringList &candidates)
{
    const QString best = closestName(word, candidates);
    return best.isEmpty() ? QString() : QStringLiteral(" (did you mean %1?)").arg(quoted(best));
}

QString describeException(const std::exception_ptr &error)
{
    try {
        std::rethrow_exception(error);
    } catch (const std::exception &e) {
        return QString::fromLocal8Bit(e.what());
    } catch (...) {
        return QStringLiteral("an exception that is not a std::exception");
    }
}

} // namespace Benchtop
