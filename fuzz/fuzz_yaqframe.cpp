// SPDX-License-Identifier: MIT
// Fuzz target: the yaq wire layer, where every byte a peer sends goes first. Byte 0 sets the
// chunk size the rest is fed in (split anywhere, as TCP does); the rest goes
//  - to a ServerDecoder (the frame reader under it), taking requests until it needs more;
//  - to a ClientDecoder expecting a handshake response, a double, a null and a structured
//    value;
//  - as raw Avro to the codec, by a record schema with every type (and a recursive one);
//    a value it decodes must encode, and that encoding decode to the same bytes again.
// Only ProtocolError may be thrown, with a one-line message that is not huge.
#include <yaq/wire/avrocodec.h>
#include <yaq/wire/messages.h>
#include <yaq/wire/protocoldocument.h>
#include <yaq/wire/yaqerror.h>

#include <QJsonDocument>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Benchtop::Yaq;

namespace {

void check(bool condition, const char *invariant)
{
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", invariant);
        std::abort();
    }
}

void checkMessage(const ProtocolError &error)
{
    const QString text = error.message();
    check(!text.contains(QLatin1Char('\n')), "error message on one line");
    check(text.size() < 2000, "error message not huge");
    check(!text.isEmpty(), "error message not empty");
}

constexpr const char kProtocol[] = R"({"protocol": "fuzz", "types": [
  {"type": "record", "name": "Node", "fields": [
    {"name": "value", "type": "long"},
    {"name": "next", "type": ["null", "Node"]}]},
  {"type": "enum", "name": "Colour", "symbols": ["RED", "GREEN", "BLUE"]},
  {"type": "fixed", "name": "Four", "size": 4},
  {"type": "record", "name": "Every", "fields": [
    {"name": "n", "type": "null"},
    {"name": "b", "type": "boolean"},
    {"name": "i", "type": "int"},
    {"name": "l", "type": "long"},
    {"name": "f", "type": "float"},
    {"name": "d", "type": "double"},
    {"name": "s", "type": "string"},
    {"name": "by", "type": "bytes"},
    {"name": "a", "type": {"type": "array", "items": ["null", "int", "string"]}},
    {"name": "m", "type": {"type": "map", "values": {"type": "array", "items": "null"}}},
    {"name": "u", "type": ["null", "long", "double", "string", "Node"]},
    {"name": "e", "type": "Colour"},
    {"name": "x", "type": "Four"},
    {"name": "list", "type": "Node"}]}],
 "messages": {
  "get_position": {"request": [], "response": "double"},
  "set_position": {"request": [{"name": "position", "type": "double"}], "response": "null"},
  "everything": {"request": [{"name": "all", "type": "Every"},
                             {"name": "colour", "type": ["null", "Colour"], "default": null}],
                 "response": "Every"}}})";

const ProtocolDocument &protocol()
{
    static const ProtocolDocument document{QByteArray(kProtocol)};
    return document;
}

void serverSide(QByteArrayView bytes, qsizetype chunk)
{
    const ProtocolDocument &p = protocol();
    ServerDecoder decoder([&](const QString &name) { return p.message(name); }, p.hash());
    try {
        for (qsizetype at = 0; at < bytes.size(); at += chunk) {
            decoder.feed(bytes.sliced(at, std::min(chunk, bytes.size() - at)));
            while (std::optional<CallRequest> request = decoder.next()) {
                if (request->message)
                    check(request->args.size() == qsizetype(request->message->request.size()),
                        "one argument per parameter");
                else
                    check(!request->name.isEmpty() && !p.message(request->name),
                        "unknown only when unknown");
            }
        }
    } catch (const ProtocolError &error) {
        checkMessage(error);
    }
}

void clientSide(QByteArrayView bytes, qsizetype chunk)
{
    const ProtocolDocument &p = protocol();
    ClientDecoder decoder;
    decoder.expect(SchemaSet::primitive(Schema::Type::Null), ClientDecoder::WithHandshake::Yes);
    decoder.expect(*p.message(QStringLiteral("get_position"))->response);
    decoder.expect(SchemaSet::primitive(Schema::Type::Null));
    decoder.expect(*p.message(QStringLiteral("everything"))->response);
    try {
        for (qsizetype at = 0; at < bytes.size(); at += chunk) {
            decoder.feed(bytes.sliced(at, std::min(chunk, bytes.size() - at)));
            while (std::optional<CallResponse> response = decoder.next())
                check(!response->error || !response->value.isValid(), "error or value");
        }
    } catch (const ProtocolError &error) {
        checkMessage(error);
    }
}

void codec(QByteArrayView bytes)
{
    const Schema &every = *protocol().schemas().find(QStringLiteral("Every"));
    ByteReader reader(bytes);
    std::optional<QVariant> value;
    try {
        value = decode(reader, every);
    } catch (const ProtocolError &error) {
        checkMessage(error);
        return;
    }
    if (!value) {
        check(reader.position() == 0, "need more leaves the reader");
        return;
    }
    QByteArray once;
    encode(once, every, *value); // a decoded value always encodes: throws (and aborts) if not
    ByteReader again(once);
    const std::optional<QVariant> back = decode(again, every);
    check(back.has_value() && again.remaining() == 0, "an encoding decodes whole");
    QByteArray twice;
    encode(twice, every, *back);
    check(once == twice, "encode(decode(encode(v))) == encode(v)");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype chunk = qsizetype(data[0] % 64) + 1;
    // A copy that owns exactly the bytes, so that ASan sees any read past them.
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    serverSide(bytes, chunk);
    clientSide(bytes, chunk);
    codec(bytes);
    return 0;
}
