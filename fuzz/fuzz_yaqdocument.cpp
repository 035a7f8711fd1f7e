// SPDX-License-Identifier: MIT
// Fuzz target: a yaq daemon's protocol document, the first thing a client reads from a peer
// (Client::connectTo). The bytes are the document's text: JSON as Python writes it
// (pythonjson.h), then the document (protocoldocument.h: named types, messages, properties'
// types, each checked by the one Avro parser).
// Only SchemaError may be thrown, with a one-line message that is not huge. A document that is
// read must read the same again when built from its JSON (as a server builds its own), and its
// canonical text must read back to the same text.
#include <yaq/wire/protocoldocument.h>
#include <yaq/wire/pythonjson.h>
#include <yaq/wire/yaqerror.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

using namespace Benchtop::Yaq;

namespace {

void check(bool condition, const char *invariant)
{
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", invariant);
        std::abort();
    }
}

void checkMessage(const QString &text)
{
    check(!text.contains(QLatin1Char('\n')), "error message on one line");
    check(text.size() < 2000, "error message not huge");
    check(!text.isEmpty(), "error message not empty");
}

void checkMessages(const ProtocolDocument &document)
{
    for (const auto &[name, message] : document.messages()) {
        check(!name.isEmpty() && message.name() == name, "a message has its name");
        check(message.response != nullptr, "a response schema, null for none");
        check(qsizetype(message.request.size()) == message.definition.request.size(),
            "one schema per declared parameter");
        for (std::size_t i = 0; i < message.request.size(); ++i) {
            check(message.request[i].name == message.definition.request[qsizetype(i)].name,
                "parameters in the declared order");
            check(message.request[i].defaultValue.has_value()
                    == message.definition.request[qsizetype(i)].hasDefault(),
                "a default where one is declared");
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    std::optional<ProtocolDocument> document;
    try {
        document.emplace(text);
    } catch (const SchemaError &error) {
        checkMessage(error.message());
        return 0;
    }
    checkMessages(*document);

    const ProtocolDocument again(document->json()); // throws (and aborts) if it disagrees
    checkMessages(again);
    check(again.messages().size() == document->messages().size(), "the same messages");
    check(again.text() == canonicalText(document->json()), "served as its canonical text");
    QString error;
    const std::optional<QJsonObject> back = parseProtocolJson(again.text(), &error);
    check(back.has_value(), "canonical text reads");
    check(canonicalText(*back) == again.text(), "canonical text reads back to itself");
    return 0;
}
