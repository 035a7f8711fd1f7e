// SPDX-License-Identifier: MIT
// Fuzz target: Modbus exception responses. The bytes are a raw response PDU; exceptionCode may
// only throw CodecError, and only for an empty PDU or a malformed exception response; the text
// of any code (from the PDU or from the first four bytes) names its number.
#include <modbusexception.h>
#include <registercodec.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace Benchtop::Modbus;

namespace {

void check(bool condition, const char *invariant)
{
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", invariant);
        std::abort();
    }
}

void checkText(int code)
{
    const QString text = exceptionText(code);
    check(text.endsWith(QStringLiteral(" (exception %1)").arg(code)), "text names the code");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // A copy that owns exactly `size` bytes, so that ASan sees any read past them.
    const QByteArray pdu(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    try {
        const std::optional<int> code = exceptionCode(pdu);
        check(size > 0, "an empty PDU is refused");
        check(code.has_value() == ((data[0] & 0x80) != 0), "exception bit");
        if (code) {
            check(size == 2 && data[0] != 0x80 && *code == data[1], "the second byte");
            checkText(*code);
        }
    } catch (const CodecError &error) {
        check(size == 0 || ((data[0] & 0x80) && (size != 2 || data[0] == 0x80)),
            "refuses only malformed exceptions");
        check(QString::fromUtf8(error.what()).size() < 200, "message short");
    }
    if (size >= sizeof(int)) {
        int code = 0;
        std::memcpy(&code, data, sizeof code);
        checkText(code);
    }
    return 0;
}
