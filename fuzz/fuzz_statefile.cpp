// SPDX-License-Identifier: MIT
// Fuzz target: a device's state file. The bytes are the file's text, given to StateStore::parse
// (what load() does with a file it has read, without the renaming). Nothing may be thrown;
// a verdict's message names the file and stays one line; a file set aside restores nothing; and
// what is restored is what save() can write (or refuses for its nesting): written again and read
// back, it is the same text.
#include <state/statestore.h>

#include <QStringList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>

using namespace Benchtop;

namespace {

void check(bool condition, const char *invariant, const QString &detail = {})
{
    if (!condition) {
        if (!detail.isEmpty())
            std::fprintf(stderr, "detail: %s\n", qPrintable(detail.left(2000)));
        std::fprintf(stderr, "invariant broken: %s\n", invariant);
        std::abort();
    }
}

bool holdsTheVersionKey(const QVariantMap &state)
{
    return state.contains(QLatin1String(StateStore::kVersionKey));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QString path = QStringLiteral("stage-state.toml");
    const StateStore::Parsed parsed = StateStore::parse(text, path);

    const QString &message = parsed.message;
    check(!message.contains(QLatin1Char('\n')) && !message.contains(QLatin1Char('\r'))
            && !message.contains(QChar(0)),
        "the message is one line", message);
    // A key named in a message is cut short when long, and a warning names only a few.
    check(message.size() < 1500, "the message is short", message);
    if (parsed.verdict != StateStore::Parsed::Verdict::Usable) {
        check(message.startsWith(path + QLatin1Char(':')), "the message names the file", message);
        check(parsed.state.isEmpty(), "a file set aside restores nothing");
        return 0;
    }
    check(message.isEmpty() || message.startsWith(path + QLatin1Char(':')),
        "a warning names the file", message);
    check(!holdsTheVersionKey(parsed.state), "the version is not part of the state");

    // What was restored, saved again, reads back as the same state (compared as text: NaN
    // is not equal to itself), unless save() refuses it for its nesting (dotted keys make
    // tables deeper than a file may nest them).
    QByteArray saved;
    try {
        saved = StateStore::toToml(parsed.state);
    } catch (const std::exception &e) {
        const QString error = QString::fromUtf8(e.what());
        check(error.endsWith(QLatin1String(": arrays and inline tables nested more than 128 deep")),
            "what was restored can be saved, or is refused for its nesting", error);
        return 0;
    }
    const StateStore::Parsed again = StateStore::parse(saved, path);
    check(again.verdict == StateStore::Parsed::Verdict::Usable && again.message.isEmpty(),
        "what save() writes loads without a warning", again.message);
    check(StateStore::toToml(again.state) == saved, "save and load round-trip",
        QString::fromUtf8(saved));
    return 0;
}
