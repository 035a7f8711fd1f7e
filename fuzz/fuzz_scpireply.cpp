// SPDX-License-Identifier: MIT
// Fuzz target: every SCPI reply parser gets the same bytes, decoded as UTF-8 as the transport
// decodes replies. The parsers may only throw BadReply (formatCommand: std::invalid_argument for
// a bad template, which checkTemplate predicts); any other exception escapes, and a crash, a
// sanitizer report or a broken invariant aborts: each is a finding.
#include <scpireply.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>

using namespace Benchtop::Scpi;

namespace {

void check(bool condition, const char *invariant)
{
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", invariant);
        std::abort();
    }
}

/// A message is one short line whatever the reply: the reply is quoted shortened and escaped.
void checkMessage(const std::exception &error)
{
    const QString message = QString::fromUtf8(error.what());
    const auto check = [&](bool condition, const char *invariant) {
        if (!condition)
            std::fprintf(stderr, "message: %s\n", error.what());
        ::check(condition, invariant);
    };
    check(!message.isEmpty(), "message not empty");
    check(!message.contains(u'\n') && !message.contains(u'\r') && !message.contains(QChar(0)),
        "message on one line, no NUL");
    check(message.size() < 400, "message short");
}

template<typename Parse>
auto attempt(Parse &&parse) -> std::optional<decltype(parse())>
{
    try {
        return parse();
    } catch (const BadReply &error) {
        checkMessage(error);
        return std::nullopt;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString reply
        = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));

    const std::optional<double> number = attempt([&] { return parseNumber(reply); });
    if (number) {
        // A number has no comma: as a list it is itself.
        const QList<double> list = parseNumberList(reply);
        check(list.size() == 1, "a number is a list of one");
        check(std::isnan(*number) ? std::isnan(list[0]) : list[0] == *number, "same number");
    }
    if (number && std::isfinite(*number)) {
        // What formatCommand sends reads back as the same number (9.9E37 is the overflow marker).
        const QString command = formatCommand(QStringLiteral("{value}"), *number);
        const double back = parseNumber(command);
        check(std::abs(*number) == 9.9e37 ? std::isinf(back) : back == *number, "round trip");
    }

    for (const bool allowEmpty : {false, true}) {
        if (const auto list = attempt([&] { return parseNumberList(reply, allowEmpty); }))
            check(!list->isEmpty() || allowEmpty, "an empty list only when allowed");
    }

    attempt([&] { return parseBool(reply); });

    if (const auto identity = attempt([&] { return parseIdentity(reply); })) {
        check(!identity->manufacturer.isEmpty() && !identity->model.isEmpty(),
            "manufacturer and model");
        for (const QString *field :
            {&identity->manufacturer, &identity->model, &identity->serial, &identity->firmware})
            check(*field == field->trimmed(), "fields trimmed");
    }

    if (const auto error = attempt([&] { return parseErrorLine(reply); })) {
        check(error->code >= -32768 && error->code <= 32767, "code in range");
        check(error->message == error->message.trimmed(), "message trimmed");
    }

    // The reply as a command template: checkTemplate says whether formatCommand takes it.
    const QString problem = checkTemplate(reply);
    const double value = number && std::isfinite(*number) ? *number : 1.5;
    try {
        const QString command = formatCommand(reply, value);
        check(problem.isEmpty(), "formatCommand takes only what checkTemplate accepts");
        check(!command.contains(QLatin1String("{value}")), "placeholder replaced");
    } catch (const std::invalid_argument &error) {
        check(!problem.isEmpty(), "checkTemplate predicts formatCommand's refusal");
        checkMessage(error);
    }
    return 0;
}
