// SPDX-License-Identifier: MIT
#include "scpireply.h"

#include <device/diagnostics.h>

#include <QLocale>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace Benchtop::Scpi {

namespace {

/// The SCPI markers (SCPI 1999, 7.2.1.5): what an instrument sends for an overrange reading and
/// for a value it could not measure.
constexpr double kScpiInfinity = 9.9e37;
constexpr double kScpiNotANumber = 9.91e37;

bool isControl(QChar c)
{
    switch (c.category()) {
    case QChar::Other_Control:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

[[noreturn]] void fail(const QString &message)
{
    throw BadReply(message.toStdString());
}

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

enum class NumberProblem { None, NotANumber, OutOfRange };

struct NumberResult {
    double value = 0;
    NumberProblem problem = NumberProblem::None;
};

/// Decimal order of magnitude of a mantissa and exponent that std::from_chars found out of
/// range: above 0 it overflowed, otherwise it underflowed. `exponent` saturates, so that a
/// hundred-digit exponent cannot overflow the arithmetic.
long long magnitude(QStringView integerDigits, QStringView fractionDigits, long long exponent)
{
    for (qsizetype i = 0; i < integerDigits.size(); ++i) {
        if (integerDigits[i] != u'0')
            return exponent + (integerDigits.size() - i);
    }
    for (qsizetype i = 0; i < fractionDigits.size(); ++i) {
        if (fractionDigits[i] != u'0')
            return exponent - i;
    }
    return 0; // all zeros: from_chars does not get here
}

/// One number, already trimmed and non-empty: the NRf grammar checked here, character by
/// character (no locale, no Unicode digits, no hex), the conversion left to std::from_chars.
NumberResult readNumber(QStringView text)
{
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (text.compare(u"INF", Qt::CaseInsensitive) == 0
        || text.compare(u"+INF", Qt::CaseInsensitive) == 0)
        return {inf};
    if (text.compare(u"-INF", Qt::CaseInsensitive) == 0)
        return {-inf};
    if (text.compare(u"NAN", Qt::CaseInsensitive) == 0)
        return {std::numeric_limits<double>::quiet_NaN()};

    const qsizetype n = text.size();
    qsizetype i = 0;
    bool negative = false;
    if (i < n && (text[i] == u'+' || text[i] == u'-')) {
        negative = text[i] == u'-';
        ++i;
    }
    const qsizetype integerStart = i;
    while (i < n && isAsciiDigit(text[i]))
        ++i;
    const QStringView integerDigits = text.sliced(integerStart, i - integerStart);
    QStringView fractionDigits;
    if (i < n && text[i] == u'.') {
        const qsizetype fractionStart = ++i;
        while (i < n && isAsciiDigit(text[i]))
            ++i;
        fractionDigits = text.sliced(fractionStart, i - fractionStart);
    }
    if (integerDigits.isEmpty() && fractionDigits.isEmpty())
        return {0, NumberProblem::NotANumber};
    long long exponent = 0;
    if (i < n && (text[i] == u'e' || text[i] == u'E')) {
        ++i;
        bool exponentNegative = false;
        if (i < n && (text[i] == u'+' || text[i] == u'-')) {
            exponentNegative = text[i] == u'-';
            ++i;
        }
        if (i >= n || !isAsciiDigit(text[i]))
            return {0, NumberProblem::NotANumber};
        for (; i < n && isAsciiDigit(text[i]); ++i)
            exponent = std::min(exponent * 10 + (text[i].unicode() - u'0'), 1'000'000'000LL);
        if (exponentNegative)
            exponent = -exponent;
    }
    if (i != n)
        return {0, NumberProblem::NotANumber};

    // Only ASCII is left; from_chars takes no '+'.
    const std::string ascii = text.sliced(text[0] == u'+' ? 1 : 0).toLatin1().toStdString();
    double value = 0;
    const auto [end, error] = std::from_chars(ascii.data(), ascii.data() + ascii.size(), value);
    if (error == std::errc::result_out_of_range) {
        if (magnitude(integerDigits, fractionDigits, exponent) > 0)
            return {0, NumberProblem::OutOfRange};
        return {negative ? -0.0 : 0.0}; // too small for a double: as near zero as it gets
    }
    if (error != std::errc() || end != ascii.data() + ascii.size())
        return {0, NumberProblem::NotANumber}; // the checks above should make this unreachable

    if (value == kScpiInfinity)
        return {inf};
    if (value == -kScpiInfinity)
        return {-inf};
    if (std::abs(value) == kScpiNotANumber)
        return {std::numeric_limits<double>::quiet_NaN()};
    return {value};
}

/// The text of one field of a comma-separated reply: trimmed and, when double-quoted, unquoted
/// ("" inside is one quote). `rest` starts at the field and is left after its comma; `atEnd`
/// says there was no comma. Returns an error message, or "" with the field in `field`.
QString readField(QStringView &rest, bool &atEnd, QString &field)
{
    qsizetype i = 0;
    const qsizetype n = rest.size();
    while (i < n && rest[i].isSpace())
        ++i;
    field.clear();
    if (i < n && rest[i] == u'"') {
        ++i;
        bool closed = false;
        while (i < n) {
            if (rest[i] == u'"') {
                if (i + 1 < n && rest[i + 1] == u'"') {
                    field += u'"';
                    i += 2;
                    continue;
                }
                closed = true;
                ++i;
                break;
            }
            field += rest[i++];
        }
        if (!closed)
            return QStringLiteral("unbalanced quote");
        while (i < n && rest[i].isSpace())
            ++i;
        if (i < n && rest[i] != u',')
            return QStringLiteral("text after a closing quote");
        field = field.trimmed();
    } else {
        const qsizetype start = i;
        while (i < n && rest[i] != u',') {
            if (rest[i] == u'"')
                return QStringLiteral("a quote inside an unquoted field");
            ++i;
        }
        field = rest.sliced(start, i - start).trimmed().toString();
    }
    atEnd = i >= n;
    rest = atEnd ? QStringView() : rest.sliced(i + 1);
    return {};
}

qsizetype firstControl(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (isControl(text[i]))
            return i;
    }
    return -1;
}

} // namespace

double parseNumber(const QString &reply)
{
    const QString text = reply.trimmed();
    if (text.isEmpty())
        fail(QStringLiteral("not a number: empty reply"));
    const NumberResult result = readNumber(text);
    switch (result.problem) {
    case NumberProblem::None:
        return result.value;
    case NumberProblem::NotANumber:
        fail(QStringLiteral("not a number: ") + quoted(text));
    case NumberProblem::OutOfRange:
        fail(QStringLiteral("number out of range: ") + quoted(text));
    }
    fail(QStringLiteral("not a number: ") + quoted(text));
}

QList<double> parseNumberList(const QString &reply, bool allowEmpty)
{
    const QString text = reply.trimmed();
    if (text.isEmpty()) {
        if (allowEmpty)
            return {};
        fail(QStringLiteral("not a list of numbers: empty reply"));
    }
    const QList<QStringView> items = QStringView(text).split(u',');
    QList<double> values;
    values.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QStringView item = items[i].trimmed();
        const QString position = QStringLiteral("item %1 of %2").arg(i + 1).arg(items.size());
        if (item.isEmpty())
            fail(QStringLiteral("empty %1 in the list %2").arg(position, quoted(text)));
        const NumberResult result = readNumber(item);
        if (result.problem == NumberProblem::NotANumber) {
            fail(QStringLiteral("not a number in %1: %2 (reply %3)")
                     .arg(position, quoted(item), quoted(text)));
        }
        if (result.problem == NumberProblem::OutOfRange) {
            fail(QStringLiteral("number out of range in %1: %2 (reply %3)")
                     .arg(position, quoted(item), quoted(text)));
        }
        values << result.value;
    }
    return values;
}

bool parseBool(const QString &reply)
{
    const QString text = reply.trimmed();
    if (text == u"1" || text.compare(u"ON", Qt::CaseInsensitive) == 0)
        return true;
    if (text == u"0" || text.compare(u"OFF", Qt::CaseInsensitive) == 0)
        return false;
    const QString problem = QStringLiteral("not a boolean (1, 0, ON or OFF): ");
    fail(problem + (text.isEmpty() ? QStringLiteral("empty reply") : quoted(text)));
}

Identity parseIdentity(const QString &reply)
{
    const QString text = reply.trimmed();
    if (text.isEmpty())
        fail(QStringLiteral("not an identity (*IDN?): empty reply"));
    if (firstControl(text) >= 0)
        fail(QStringLiteral("control character in identity: ") + quoted(text));

    QStringList fields;
    QStringView rest = text;
    bool atEnd = false;
    while (!atEnd) {
        QString field;
        const QString problem = readField(rest, atEnd, field);
        if (!problem.isEmpty())
            fail(QStringLiteral("%1 in identity: %2").arg(problem, quoted(text)));
        fields << field;
    }
    if (fields.size() != 4) {
        fail(QStringLiteral("identity must have 4 comma-separated fields (manufacturer, model, "
                            "serial, firmware), not %1: %2")
                 .arg(fields.size())
                 .arg(quoted(text)));
    }
    if (fields[0].isEmpty())
        fail(QStringLiteral("empty manufacturer in identity: ") + quoted(text));
    if (fields[1].isEmpty())
        fail(QStringLiteral("empty model in identity: ") + quoted(text));
    return Identity{fields[0], fields[1], fields[2], fields[3]};
}

InstrumentError parseErrorLine(const QString &reply)
{
    const QString text = reply.trimmed();
    const QString what = QStringLiteral("error queue entry");
    if (text.isEmpty())
        fail(QStringLiteral("not an %1 (code,\"message\"): empty reply").arg(what));
    if (firstControl(text) >= 0)
        fail(QStringLiteral("control character in %1: %2").arg(what, quoted(text)));

    const qsizetype comma = text.indexOf(u',');
    const QStringView codeText = QStringView(text).first(comma < 0 ? text.size() : comma).trimmed();
    qsizetype i = 0;
    const bool negative = !codeText.isEmpty() && codeText[0] == u'-';
    if (!codeText.isEmpty() && (codeText[0] == u'-' || codeText[0] == u'+'))
        ++i;
    bool wellFormed = i < codeText.size();
    for (qsizetype j = i; j < codeText.size(); ++j)
        wellFormed = wellFormed && isAsciiDigit(codeText[j]);
    if (!wellFormed)
        fail(QStringLiteral("not an %1 (code,\"message\"): %2").arg(what, quoted(text)));
    while (i + 1 < codeText.size() && codeText[i] == u'0')
        ++i; // leading zeros
    const QStringView digits = codeText.sliced(i);
    long magnitude = 0;
    for (const QChar digit : digits) {
        magnitude = magnitude * 10 + (digit.unicode() - u'0');
        if (magnitude > 32768)
            break; // already out of range; keeps a 100 kB code from overflowing
    }
    const long code = negative ? -magnitude : magnitude;
    if (code < -32768 || code > 32767) {
        fail(QStringLiteral("error code out of range (-32768 to 32767) in %1: %2")
                 .arg(what, quoted(text)));
    }

    InstrumentError error;
    error.code = static_cast<int>(code);
    if (comma < 0)
        return error;
    QStringView rest = QStringView(text).sliced(comma + 1);
    if (rest.trimmed().startsWith(u'"')) {
        bool atEnd = false;
        const QString problem = readField(rest, atEnd, error.message);
        if (!problem.isEmpty())
            fail(QStringLiteral("%1 in %2: %3").arg(problem, what, quoted(text)));
        if (!atEnd)
            fail(QStringLiteral("text after a closing quote in %1: %2").arg(what, quoted(text)));
    } else {
        error.message = rest.trimmed().toString();
    }
    return error;
}

QString checkTemplate(const QString &commandTemplate)
{
    const QString where = QStringLiteral(" in command template ") + quoted(commandTemplate);
    if (firstControl(commandTemplate) >= 0)
        return QStringLiteral("control character (one command, one line)") + where;
    int placeholders = 0;
    const qsizetype n = commandTemplate.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (commandTemplate[i] == u'}')
            return QStringLiteral("unmatched \"}\"") + where;
        if (commandTemplate[i] != u'{')
            continue;
        const qsizetype close = commandTemplate.indexOf(u'}', i + 1);
        if (close < 0)
            return QStringLiteral("unclosed \"{\"") + where;
        const QStringView name = QStringView(commandTemplate).sliced(i, close - i + 1);
        if (name != u"{value}") {
            return QStringLiteral("unknown placeholder %1 (the only one is {value})")
                       .arg(quoted(name))
                + where;
        }
        ++placeholders;
        i = close;
    }
    if (placeholders == 0)
        return QStringLiteral("no {value} placeholder") + where;
    if (placeholders > 1)
        return QStringLiteral("more than one {value} placeholder") + where;
    return {};
}

QString formatCommand(const QString &commandTemplate, double value)
{
    const QString problem = checkTemplate(commandTemplate);
    if (!problem.isEmpty())
        throw std::invalid_argument(problem.toStdString());
    if (!std::isfinite(value)) {
        throw std::invalid_argument(QStringLiteral("cannot send %1 to an instrument: not a finite "
                                                   "number")
                                        .arg(value)
                                        .toStdString());
    }
    // QString::number is locale-independent; shortest form round-trips; an instrument may
    // not take "-0".
    const QString number = value == 0 ? QStringLiteral("0")
                                      : QString::number(value, 'g', QLocale::FloatingPointShortest);
    QString command = commandTemplate;
    return command.replace(QLatin1String("{value}"), number);
}

} // namespace Benchtop::Scpi
