// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <stdexcept>

/// The pure half of the SCPI driver: what an instrument's reply means and how a value goes into a
/// command. No I/O, no event loop: every function here takes text and gives values or throws, so
/// that the parsers can be tested on tables of replies and fuzzed.
namespace Benchtop::Scpi {

/// A reply that is not what was asked for. what(): one line saying what was expected and quoting
/// the reply, e.g. `not a number: "1.2.3V"`. The driver prefixes the device name and the query.
class BadReply : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One SCPI number (IEEE 488.2 NR1/NR2/NR3, e.g. "+1.23456E-03", "42", "-.5", " 7 "): surrounding
/// whitespace (incl. \r) is ignored; also accepts the case-insensitive mnemonics INF, +INF, -INF,
/// NAN, and the SCPI overflow/invalid markers: 9.9E37 → +inf, -9.9E37 → -inf, ±9.91E37 → NaN.
/// A number too small for a double (1E-999) is 0 with its sign; one too large (1E999) throws, as
/// does anything else (empty, trailing garbage, units suffix, two numbers, hex, "1e", ...).
double parseNumber(const QString &reply);

/// Comma-separated numbers ("1,2.5,-3E1"), for array channels, each as parseNumber reads it. An
/// empty (or all-whitespace) reply is an empty list only if `allowEmpty`; an empty item
/// ("1,,2", "1,") always throws.
QList<double> parseNumberList(const QString &reply, bool allowEmpty = false);

/// "1"/"0"/"ON"/"OFF" (case-insensitive, whitespace ignored); else BadReply.
bool parseBool(const QString &reply);

/// The four comma-separated fields of a *IDN? reply.
struct Identity {
    QString manufacturer;
    QString model;
    QString serial;
    QString firmware;
};

/// Fields are trimmed, surrounding double quotes removed ("" inside quotes is one quote, as in
/// IEEE 488.2 string data). Exactly 4 fields (commas inside a quoted field are part of it);
/// manufacturer and model must be non-empty; serial and firmware may be empty or "0". Control
/// characters (other than the whitespace around the whole reply) or a stray quote → BadReply.
Identity parseIdentity(const QString &reply);

/// One entry of the error queue (SYST:ERR?).
struct InstrumentError {
    int code = 0;
    QString message;
    bool isNoError() const { return code == 0; }
};

/// One line of the error queue: `-113,"Undefined header"`, `+0,"No error"`, `0,"No error"`,
/// `-222,"Data out of range;VOLT 99"`; some instruments give no quotes (`-113,Undefined header`)
/// or a bare code (`0`). Code must be an integer in [-32768, 32767]; the message is trimmed and
/// unquoted, and may not hold control characters.
InstrumentError parseErrorLine(const QString &reply);

/// A command template with one `{value}` placeholder, e.g. "VOLT {value}" or
/// "SOUR:VOLT {value};*WAI". formatCommand puts `value` in SCPI number form (shortest round-trip
/// decimal, e.g. 12.5, 1e-07; never locale-dependent; -0 is sent as 0). A bad template (see
/// checkTemplate), NaN or an infinity throw std::invalid_argument.
QString formatCommand(const QString &commandTemplate, double value);

/// What is wrong with a command template, as one line quoting it ("" when it is fine): no
/// placeholder, more than one, an unknown {…} placeholder, an unmatched brace, a newline or other
/// control character in it.
QString checkTemplate(const QString &commandTemplate);

} // namespace Benchtop::Scpi
